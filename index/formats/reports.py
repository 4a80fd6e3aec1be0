"""Report exports -> Articles: `parse(path)`, `parse_text(text, file, path)`.

An export may open with header lines (`Workflow`, a topic line such as `微短剧精品化`, `icon`,
`Search documents`); the topic line goes to every article's `topic`. Then articles:

    title line                     short; never a sentence-ending prose line
    source line (optional)         `Publisher· YYYY-MM-DD HH:MM`, or a date alone
    body                           one long line of bullets, or lines of prose

A title is the line before a source line, or a short line followed by a body line (a long line,
or a bullet line `Heading - claim [1][2] - claim [3] Next Heading - ...`). A file whose only
source line follows its first title is one article (a news story: "Title / Source: CNN ·
2022-06-15 / body"); its other short lines are headings within it ("Why the buzz?"). A source
line's label ("Source:", "来源：") is no part of the publisher. A body may open with
a machine-summary disclaimer (`本文由第三方AI基于财新文章 https://... 提炼总结而成,...`); it is
dropped and its URL goes to `Article.url`.

Bodies become `Paragraph`s: a bullet keeps its section heading in `Paragraph.section` (a preamble
such as `Summary of Key Points` is not a heading); a closing remark after the last bullet is a
paragraph without a section; prose lines are paragraphs with the stray spaces of line-wrapping
between Chinese characters removed. Markers such as `[15][21]` stay in the text (the chunker
turns them into refs).

Any other text (a user's own .txt or .md) goes to the generic parser (`index/formats/generic.py`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from index.formats.encoding import read_text
from index.formats.generic import parse_generic
from index.text.rules import HAN_CHAR, URL, clean_prose, detect_lang
from index.types import Article, Paragraph

log = logging.getLogger(__name__)

HEADER_WORDS = frozenset({"workflow", "icon", "search documents"})
TITLE_MAX = 120  # a title without a source line is at most this long
BODY_MIN = 200  # a line this long is body text, never a title
HEADING_MAX_WORDS = 10
HEADING_MAX_CHARS = 80

_WHEN = r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
_SOURCE = re.compile(rf"^(?P<publisher>.*?)\s*[·•・]\s*(?P<when>{_WHEN})$")
_DATE_ONLY = re.compile(rf"^(?P<when>{_WHEN})$")
_REF = re.compile(r"\[\d+\]")
_PROSE_END = ("。", "！", "？", "，", ",", "；", ";", "、", "…", ".")
_SOURCE_LABEL = re.compile(r"^(?:source|sources|来源|出处|來源)\s*[:：]\s*", re.I)  # "Source: CNN"

_DISCLAIMER_START = re.compile(r"^\s*本文由")
_DISCLAIMER_WORDS = re.compile(
    r"本文|第三方|AI|人工智能|原文|偏差|观点|立场|链接|校验|核对|提炼|总结|参考"
)
_DISCLAIMER_CUTS = re.compile(r"(?<=[。！？])|\s+(?=[A-Z][a-z])")

_BULLET_SPLIT = re.compile(r"\s+-\s+")
_TAIL = re.compile(r"\]\s*[.。]?\s*(?P<tail>[^\[\]]*)$")
_LAST_SENTENCE_END = re.compile(r"^(?P<before>.*[.!?。！？])\s+(?P<after>[^.!?。！？]+)$")
_SENTENCE_INSIDE = re.compile(r"[a-z]{3}[.!?]\s|[。！？]")
_PREAMBLE = re.compile(
    r"^(?:summary of key points|key points summary|key points)\s*[:：]?\s+", re.I
)


# --- entry points -----------------------------------------------------------------------------
def parse(path: Path) -> list[Article]:
    """Articles of one file (export or generic). Raises UnreadableFileError."""
    return parse_text(read_text(path), path.name, str(path.resolve()))


def parse_text(text: str, file: str, path: str = "") -> list[Article]:
    """Articles of a text: the export parser if it looks like an export, else the generic one."""
    lines = [line.strip() for line in text.split("\n")]
    if not looks_like_export(lines):
        return parse_generic(text, file, path)
    articles = parse_export(lines, file, path)
    if articles:
        return articles
    # No article found: what is left after the export's own lines is read as generic text,
    # unless it is one short line (a topic or title with no body).
    rest = [ln for ln in lines if not (_is_header(ln) or _is_source(ln))]
    content = [ln for ln in rest if ln]
    if len(content) < 2 and not any(len(ln) > TITLE_MAX for ln in content):
        return []
    return parse_generic("\n".join(rest), file, path)


def looks_like_export(lines: list[str]) -> bool:
    return any(_is_source(line) for line in lines) or any(_is_header(line) for line in lines[:6])


# --- line classes -----------------------------------------------------------------------------
def _is_source(line: str) -> bool:
    return bool(_SOURCE.match(line) or _DATE_ONLY.match(line))


def _is_header(line: str) -> bool:
    return line.casefold() in HEADER_WORDS


def _is_body(line: str) -> bool:
    return len(line) >= BODY_MIN or (is_bullet_body(line) and not line.startswith("- "))


def _next(lines: list[str], i: int) -> str | None:
    return next((line for line in lines[i + 1 :] if line), None)


def _is_title(lines: list[str], i: int) -> bool:
    """The line before a source line, or a short line followed by body text."""
    line = lines[i]
    if not line or _is_header(line) or _is_source(line) or _is_body(line):
        return False
    following = _next(lines, i)
    if following is None:
        return False
    if _is_source(following):
        return True
    if len(line) > TITLE_MAX or not _is_body(following):
        return False
    # Before a bullet body a short line can only be a title; before prose it must not read
    # like the wrapped end of a sentence.
    return is_bullet_body(following) or not line.endswith(_PROSE_END)


# --- fields -----------------------------------------------------------------------------------
def _when(text: str) -> datetime | None:
    """The date and time of a source line; None when no such date exists (2025-13-45 25:00)."""
    date, _, time = text.replace("T", " ").partition(" ")
    fmt = "%Y-%m-%d" + (" %H:%M:%S" if time.count(":") == 2 else " %H:%M" if time else "")
    try:
        return datetime.strptime(f"{date} {time}".strip(), fmt)
    except ValueError:
        return None


def _source(line: str) -> tuple[str | None, datetime | None]:
    """(publisher as written, or None for a date alone; when, or None for a date that does not
    exist)."""
    m = _SOURCE.match(line) or _DATE_ONLY.match(line)
    assert m is not None, line
    publisher = _SOURCE_LABEL.sub("", m.groupdict().get("publisher") or "")
    return " ".join(publisher.split()) or None, _when(m.group("when"))


def split_disclaimer(body: str) -> tuple[str, str | None]:
    """(body without a leading `本文由第三方AI...` disclaimer, the URL it carried).

    The disclaimer is the run of Chinese sentences at the start that read like one (AI, 原文,
    观点, 校验, ...); it ends at the first sentence that does not, or where Latin text starts.
    """
    if not _DISCLAIMER_START.match(body):
        return body, None
    line_end = body.find("\n") if "\n" in body else len(body)
    cuts = sorted({m.start() for m in _DISCLAIMER_CUTS.finditer(body, 0, line_end)} | {line_end})
    end = 0
    for cut in cuts:
        segment = body[end:cut]
        if segment.strip() and not (HAN_CHAR.search(segment) and _DISCLAIMER_WORDS.search(segment)):
            break
        end = cut
    url = URL.search(body[:end])
    return body[end:].strip(), url.group(0) if url else None


# --- bullets ----------------------------------------------------------------------------------
def _is_heading(text: str) -> bool:
    """A section heading: short, no markers, not a sentence (`Group 1: Survey Methodology`)."""
    text = text.strip()
    if not text or _REF.search(text) or text.endswith((".", "。", "!", "?", "！", "？", ",", "，")):
        return False
    if _SENTENCE_INSIDE.search(text):  # `Covers things. Core Insights` (but `Quantity vs. Quality`)
        return False
    if HAN_CHAR.match(text):
        return len(text) <= 30
    return (
        len(text.split()) <= HEADING_MAX_WORDS
        and len(text) <= HEADING_MAX_CHARS
        and (text[0].isupper() or text[0].isdigit())
    )


def _pieces(line: str) -> list[str]:
    return _BULLET_SPLIT.split(" " + line.strip())


def is_bullet_body(line: str) -> bool:
    """A line of bullets: pieces separated by ' - ', most of them carrying [n] markers."""
    bullets = _pieces(line)[1:]
    return bool(bullets) and 2 * sum(1 for b in bullets if _REF.search(b)) >= len(bullets)


def split_bullets(line: str, section: str | None = None) -> tuple[list[Paragraph], str | None]:
    """`Heading - claim [1] - claim [2] Next Heading - claim [3]` -> bullets with their
    sections, and the section in force at the end (for a bullet line that follows)."""
    pieces = _pieces(line)
    out: list[Paragraph] = []
    first = _PREAMBLE.sub("", pieces[0].strip())
    if first:
        before, heading = _split_heading(first)
        if before:
            out.append(Paragraph(before, None))
        section = heading if heading else section
    last = len(pieces) - 1
    for i, piece in enumerate(pieces[1:], start=1):
        text, tail = piece.strip(), ""
        m = _TAIL.search(text)
        if m and m.group("tail").strip():
            text, tail = text[: m.start() + 1], m.group("tail").strip()
        if i == last:
            if text:
                out.append(Paragraph(text, section))
            if tail and not _is_heading(tail):  # a closing remark, not a heading without bullets
                out.append(Paragraph(tail, None))
            continue
        before, heading = _split_heading(tail) if tail else ("", None)
        if tail and heading is None:
            text, before = f"{text} {tail}", ""  # no heading after all: the bullet goes on
        if text:
            out.append(Paragraph(text, section))
        if before:
            out.append(Paragraph(before, section))
        section = heading or section
    return out, section


def _split_heading(text: str) -> tuple[str, str | None]:
    """(text before the heading, the heading) of `[sentences.] Heading`, or (text, None)."""
    if _is_heading(text):
        return "", text
    m = _LAST_SENTENCE_END.match(text)
    if m and _is_heading(m.group("after")):
        return m.group("before").strip(), m.group("after").strip()
    return text, None


def body_paragraphs(lines: list[str]) -> tuple[list[Paragraph], str | None]:
    """An article's body lines -> paragraphs, and the URL of a disclaimer if there was one."""
    body, url = split_disclaimer("\n".join(line for line in lines if line))
    body_lines = [line.strip() for line in body.split("\n") if line.strip()]
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for i, line in enumerate(body_lines):
        if _is_header(line) or _is_source(line):
            continue
        if is_bullet_body(line):
            bullets, section = split_bullets(line, section)
            paragraphs.extend(bullets)
        elif _is_heading(line) and i + 1 < len(body_lines) and body_lines[i + 1].startswith("- "):
            section = line  # a heading line over bullet lines
        else:
            paragraphs.append(Paragraph(clean_prose(line)))
    return paragraphs, url


# --- parsers ----------------------------------------------------------------------------------
def parse_export(lines: list[str], file: str, path: str = "") -> list[Article]:
    """Articles of a report export (see the module docstring)."""
    starts = [i for i in range(len(lines)) if _is_title(lines, i)]
    sourced = [i for i in starts if _is_source(_next(lines, i) or "")]
    if sourced == starts[:1]:
        starts = sourced  # one article with a source line: the other "titles" are its headings
    preamble = lines[: starts[0] if starts else len(lines)]
    topics = [ln for ln in preamble if ln and not _is_header(ln) and len(ln) <= TITLE_MAX]
    topic = topics[-1] if topics else None
    if any(len(ln) > TITLE_MAX for ln in preamble):
        log.warning("%s: text before the first article title ignored", file)
    articles = []
    for n, start in enumerate(starts):
        rest = lines[start + 1 : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        publisher, published = None, None
        first = next((j for j, line in enumerate(rest) if line), None)
        if first is not None and _is_source(rest[first]):
            publisher, published = _source(rest[first])
            rest = rest[first + 1 :]
        paragraphs, url = body_paragraphs(rest)
        if not paragraphs:
            log.warning("%s: article %r has no body; skipped", file, lines[start])
            continue
        articles.append(
            Article(
                file=file,
                title=lines[start],
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
