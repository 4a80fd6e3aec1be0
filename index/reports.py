"""Report exports -> Articles. `parse(path) -> list[Article]`.

An export may open with header lines (`Workflow`, a topic line such as `微短剧精品化`, `icon`,
`Search documents`). Then articles: a title line; usually a source line
`Publisher· YYYY-MM-DD HH:MM` (or a date alone, or nothing); then a body: one long line of
English bullets (`Core Insights - ... [1][2] - ... Market Dynamics - ...`) or lines of Chinese
prose. A body may open with a machine-summary disclaimer carrying the original article's URL.

Any other text (a user's own .txt or .md) falls back to the generic parser: one article per file,
titled from its first heading or line.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from index.encoding import read_text
from index.types import Article, Lang, Paragraph

HEADER_WORDS = frozenset({"workflow", "icon", "search documents"})
_SOURCE = re.compile(
    r"^(?P<publisher>.*?)\s*·\s*(?P<when>\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?)\s*$"
)
_DATE_ONLY = re.compile(r"^(?P<when>\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?)$")
_URL = re.compile(r"https?://[^\s,，。)）]+")
_DISCLAIMER = re.compile(r"^本文由")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK},;:])[ \t]+(?=[{_CJK}])")
_SENTENCE_END = ("。", "！", "？", ".", "!", "?", "”", '"')

TITLE_MAX = 120  # a title is a short line
BODY_MIN = 200  # a line this long is body text


# --- line classes ---------------------------------------------------------------------------
def _is_source(line: str) -> bool:
    return bool(_SOURCE.match(line) or _DATE_ONLY.match(line))


def _is_header(line: str) -> bool:
    return line.casefold() in HEADER_WORDS


def _is_body(line: str) -> bool:
    return len(line) >= BODY_MIN


def _next(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1 :]:
        if line:
            return line
    return None


def _is_title(lines: list[str], i: int) -> bool:
    """A short line, not ending a sentence, followed by a source line or by body text."""
    line = lines[i]
    if not line or _is_header(line) or _is_source(line) or len(line) > TITLE_MAX:
        return False
    if line.endswith(_SENTENCE_END[:3]):
        return False
    following = _next(lines, i)
    return following is not None and (_is_source(following) or _is_body(following))


def looks_like_export(lines: list[str]) -> bool:
    return any(_is_source(line) for line in lines) or any(_is_header(line) for line in lines[:6])


# --- fields ---------------------------------------------------------------------------------
def _when(text: str) -> datetime:
    return datetime.fromisoformat(text if " " in text else f"{text} 00:00")


def _source(line: str) -> tuple[str | None, datetime]:
    m = _SOURCE.match(line)
    if m:
        publisher = " ".join(m.group("publisher").split()) or None
        return publisher, _when(m.group("when"))
    m = _DATE_ONLY.match(line)
    assert m is not None
    return None, _when(m.group("when"))


def detect_lang(text: str) -> Lang:
    """'zh' when Han characters are at least a third of the letters."""
    han = len(_HAN.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if han and han * 3 >= latin else "en"


def clean_prose(text: str) -> str:
    """Drop the stray spaces line-wrapping left between Chinese characters."""
    return _CJK_SPACE.sub("", " ".join(text.split()))


def split_disclaimer(body: str) -> tuple[str, str | None]:
    """(body without a leading `本文由第三方AI...` disclaimer, the URL it carried)."""
    if not _DISCLAIMER.match(body):
        return body, None
    url_match = _URL.search(body)
    start = url_match.end() if url_match else 0
    # The disclaimer is Chinese; the summary proper starts at the first Latin heading after it.
    m = re.search(r"\s(?=[A-Z][a-z])", body[start:])
    if not m:
        return body, url_match.group(0) if url_match else None
    return body[start + m.end() :].strip(), url_match.group(0) if url_match else None


# --- English bullets ------------------------------------------------------------------------
_BULLET_SPLIT = re.compile(r"\s+-\s+")
_TAIL = re.compile(r"(\[\d+\](?:\s*\[\d+\])*)\s*[.。]?\s+(?P<tail>[^\[\]]+)$")
_PREAMBLE = re.compile(r"^(summary of key points|key points|summary)\s+", re.I)


def _is_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 8 and not text.endswith((".", "。")) and text[:1].isupper()


def is_bullet_body(body: str) -> bool:
    pieces = _BULLET_SPLIT.split(body, maxsplit=1)
    return len(pieces) == 2 and _is_heading(_PREAMBLE.sub("", pieces[0].strip()))


def split_bullets(body: str) -> list[Paragraph]:
    """`Heading - bullet [1] - bullet [2] Next Heading - bullet` -> bullets with their sections."""
    pieces = _BULLET_SPLIT.split(body.strip())
    section: str | None = _PREAMBLE.sub("", pieces[0].strip()) or None
    out: list[Paragraph] = []
    for i, piece in enumerate(pieces[1:], start=1):
        text, next_section = piece.strip(), None
        m = _TAIL.search(text)
        if m:
            tail = m.group("tail").strip()
            if i < len(pieces) - 1 and _is_heading(tail):
                text, next_section = text[: m.start("tail")].strip(), tail
            elif i == len(pieces) - 1 and not _is_heading(tail):
                # a closing remark after the last bullet ("This summary encapsulates ...")
                text = text[: m.start("tail")].strip()
                out.append(Paragraph(text, section))
                out.append(Paragraph(tail, None))
                continue
        if text:
            out.append(Paragraph(text, section))
        if next_section:
            section = next_section
    return out


def body_paragraphs(lines: list[str]) -> tuple[list[Paragraph], str | None]:
    """An article's body lines -> paragraphs, and a URL from a disclaimer if there was one."""
    body = "\n".join(line for line in lines if line)
    body, url = split_disclaimer(body)
    if is_bullet_body(body.replace("\n", " ")):
        return split_bullets(body.replace("\n", " ")), url
    paragraphs = [Paragraph(clean_prose(line)) for line in body.split("\n") if line.strip()]
    return paragraphs, url


# --- parsers --------------------------------------------------------------------------------
def parse_export(lines: list[str], file: str, path: str) -> list[Article]:
    topic: str | None = None
    starts = [i for i in range(len(lines)) if _is_title(lines, i)]
    for line in lines[: starts[0] if starts else len(lines)]:
        if line and not _is_header(line) and not _is_source(line):
            topic = line
    articles = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start]
        rest = lines[start + 1 : end]
        publisher, published = None, None
        first = next((j for j, line in enumerate(rest) if line), None)
        if first is not None and _is_source(rest[first]):
            publisher, published = _source(rest[first])
            rest = rest[first + 1 :]
        paragraphs, url = body_paragraphs(rest)
        if not paragraphs:
            continue
        articles.append(
            Article(
                file=file,
                title=title,
                paragraphs=tuple(paragraphs),
                publisher=publisher,
                published=published,
                topic=topic,
                url=url,
                lang=detect_lang(" ".join(p.text for p in paragraphs)),
                path=path,
            )
        )
    return articles


def parse_generic(text: str, file: str, path: str) -> list[Article]:
    """One article per file; Markdown headings become sections."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if not blocks:
        return []
    title: str | None = None
    section: str | None = None
    paragraphs: list[Paragraph] = []
    for block in blocks:
        heading = re.match(r"^(#{1,6})\s+(.+?)\s*#*$", block.splitlines()[0])
        if heading:
            if title is None and heading.group(1) == "#":
                title = heading.group(2)
            else:
                section = heading.group(2)
            block = "\n".join(block.splitlines()[1:]).strip()
            if not block:
                continue
        paragraphs.append(Paragraph(clean_prose(block), section))
    if not paragraphs:
        return []
    if title is None:
        first_line = paragraphs[0].text.split("\n")[0]
        title = first_line[:80] + ("…" if len(first_line) > 80 else "")
    urls = _URL.findall(text)
    return [
        Article(
            file=file,
            title=title,
            paragraphs=tuple(paragraphs),
            url=urls[0] if urls else None,
            lang=detect_lang(text),
            path=path,
        )
    ]


def parse_text(text: str, file: str, path: str = "") -> list[Article]:
    lines = [line.strip() for line in text.split("\n")]
    if looks_like_export(lines):
        articles = parse_export(lines, file, path)
        if articles:
            return articles
    return parse_generic(text, file, path)


def parse(path: Path) -> list[Article]:
    """Articles of one file (export or generic). Raises UnreadableFileError."""
    return parse_text(read_text(path), path.name, str(path.resolve()))
