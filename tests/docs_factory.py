"""Real documents made at test time, for every test that needs a PDF, a scan, a Word file or a
web page: the parser tests, uploads, the page viewer. Nothing here is mocked: reportlab writes
real PDFs (Chinese in the built-in CID font `STSong-Light`), Pillow draws scanned pages with
Noto CJK, python-docx writes Word files.

Each builder writes to `path` and returns it, so a test reads `make_pdf(tmp_path / "a.pdf", ...)`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Two pages of a Chinese report and one English page: what `make_pdf` writes by default.
REPORT_PAGES: tuple[tuple[str, ...], ...] = (
    (
        "微短剧行业发展报告",
        "2025年微短剧市场规模达到504亿元，同比增长35%。",
        "用户规模突破6.6亿人，占网民总数的59.7%。",
    ),
    (
        "平台与内容",
        "截至2026年5月，协会会员单位共有356家。",
        "精品化成为行业共识，头部平台加大投入。",
    ),
    (
        "Overseas markets",
        "Overseas revenue of Chinese short-drama apps reached 2.3 billion dollars in 2025.",
        "ReelShort and DramaBox lead downloads in the United States.",
    ),
)


def make_pdf(
    path: Path,
    pages: Sequence[Sequence[str]] = REPORT_PAGES,
    *,
    title: str | None = "微短剧行业发展报告",
    author: str | None = "中国网络视听协会",
    password: str | None = None,
) -> Path:
    """A PDF with a text layer: one page per item of `pages`, one line per string (Chinese in
    STSong-Light, so pypdf and pdfium read it back). `password` encrypts it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = None
    if password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    _, height = A4
    for lines in pages:
        y = height - 72
        for line in lines:
            c.setFont("STSong-Light", 12)
            c.drawString(72, y, line)
            y -= 24
        c.showPage()
    c.save()
    return path


def scan_image(lines: Sequence[str], size: tuple[int, int] = (1240, 1754)) -> object:
    """A white page (a PIL image, A4 at 150 dpi) with `lines` drawn in Noto Sans CJK at 40 px:
    what a scanner gives."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(NOTO_CJK), 40)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill="black", font=font)
        y += 70
    return image


def make_scanned_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF of page images with no text layer (each page from `scan_image`)."""
    images = [scan_image(lines) for lines in pages]
    first, rest = images[0], images[1:]
    first.save(path, "PDF", resolution=150, save_all=True, append_images=rest)  # type: ignore[attr-defined]
    return path


def make_image(path: Path, lines: Sequence[str]) -> Path:
    """A PNG or JPEG (by `path`'s suffix) of a scanned page."""
    scan_image(lines).save(path)  # type: ignore[attr-defined]
    return path


def make_docx(
    path: Path,
    *,
    title: str = "Short drama market review",
    author: str | None = "Industry Research Desk",
) -> Path:
    """A Word file: a title, two headings with paragraphs under them, a numbered list and a
    table (header row and two rows)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    if author:
        document.core_properties.author = author
    document.add_heading(title, level=0)
    document.add_heading("Market size", level=1)
    document.add_paragraph("The micro-drama market reached 50.4 billion yuan in 2024.")
    document.add_paragraph("Paid users grew to 662 million.", style="List Number")
    document.add_paragraph("Advertising revenue rose by 35 percent.", style="List Number")
    document.add_heading("平台", level=1)
    document.add_paragraph("红果短剧的月活跃用户超过1亿。")
    table = document.add_table(rows=3, cols=3)
    rows = (
        ("Platform", "Users", "Year"),
        ("Hongguo", "100 million", "2025"),
        ("ReelShort", "30m", "2024"),
    )
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def make_zip_bomb(path: Path, declared_bytes: int = 2_000_000_000) -> Path:
    """A zip named like a Word file whose one member claims `declared_bytes` uncompressed:
    a few kilobytes on disk. (The member is small; only its declared size is huge, which is
    what a parser would trust.)"""
    member = b"\0" * 1_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", member)
    data = bytearray(buffer.getvalue())
    _declare_size(data, "word/document.xml", declared_bytes)
    path.write_bytes(bytes(data))
    return path


def _declare_size(data: bytearray, name: str, size: int) -> None:
    """Rewrite the uncompressed size of member `name` in the zip's central directory."""
    marker = b"PK\x01\x02"
    start = data.find(marker)
    while start != -1:
        name_len = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_len] == name.encode():
            data[start + 24 : start + 28] = size.to_bytes(4, "little")
            return
        start = data.find(marker, start + 4)
    raise ValueError(f"{name} not in the zip")


NAV = '<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/about">关于我们</a></nav>'
FOOTER = (
    "<footer><p>版权所有 © 2025 Example Media. All rights reserved. 京ICP备12345678号</p></footer>"
)
SCRIPT = "<script>var tracker = {id: 'UA-0000', send: function() {}};</script>"


def web_page(
    title: str = "微短剧出海报告",
    paragraphs: Sequence[str] = (
        "2025年中国微短剧出海应用收入达到23亿美元，同比增长超过两倍。",
        "ReelShort与DramaBox在美国市场的下载量位居前列，北美用户贡献了一半以上的收入。",
        "业内人士认为，本地化演员与题材是下一阶段竞争的关键。",
    ),
    *,
    heading: str = "市场格局",
    site: str = "Example Media",
    author: str = "李明",
    date: str = "2025-09-24",
) -> str:
    """A news page: metadata in the head, navigation, an article with a heading, a sidebar,
    a footer and scripts around it."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:1])
    body += f"<h2>{heading}</h2>" + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    return f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<title>{title} - {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T08:00:00+08:00">
{SCRIPT}</head><body><header>{NAV}</header>
<aside><h3>热门推荐</h3><ul><li><a href="/a">明星八卦合集</a></li>
<li><a href="/b">今日股市行情</a></li></ul></aside>
<main><article><h1>{title}</h1>{body}</article></main>
{FOOTER}{SCRIPT}</body></html>"""


def make_html(path: Path, **kwargs: object) -> Path:
    path.write_text(web_page(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path
