"""Word (.docx) -> one Article: headings become sections, tables rows of text ("a | b | c"),
numbered list items keep their numbers ("1. ...") and every paragraph its position (`number`).

A .docx is a zip archive, and a zip can claim gigabytes from a few kilobytes (a zip bomb), so
its declared sizes are checked before python-docx unpacks anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from index.errors import DamagedFileError, UnsupportedFileError
from index.formats.outline import Kind, one_article, sectioned
from index.text.rules import clean_prose
from index.types import Article

MAX_UNPACKED = 200 * 1024 * 1024  # a Word file unpacking to more than this is refused
MAX_RATIO = 100  # ... as is one that unpacks to more than this many times its packed size
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes) -> None:
    """Refuse what is not a Word archive, or would unpack to far more than it holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as err:
        raise DamagedFileError(f"damaged Word file ({err}) - open and save it again") from err
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(data), 1):
        raise UnsupportedFileError(
            f"unpacks to {unpacked:,} bytes from {len(data):,} (a zip bomb?) - "
            "open it in Word and save it again"
        )
    if "word/document.xml" not in {m.filename for m in members}:
        raise UnsupportedFileError("a zip archive, not a Word document - save it as .docx")


def parse_docx(data: bytes, file: str, path: str = "") -> list[Article]:
    """One article: the title from the document's properties or its Title paragraph."""
    import docx

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises KeyError, ValueError, lxml errors...
        raise DamagedFileError(f"damaged Word file ({err}) - open and save it again") from err
    title, paragraphs = sectioned(_blocks(document), document.core_properties.title or "")
    author = (document.core_properties.author or "").strip()
    return one_article(file, path, title.strip(), paragraphs, publisher=author or None)


def _blocks(document: Any) -> Iterator[tuple[Kind, str]]:
    """("title" | "heading" | "text", text) for the body in order; a table gives a "text"
    per row."""
    labels = _ListLabels(document)
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table
            yield from (("text", row) for row in _table_rows(block))
            continue
        text = clean_prose(block.text.strip())
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style == "Title":
            yield "title", text
        elif style.startswith("Heading"):
            yield "heading", text
        else:
            yield "text", labels.label(block) + text


def _table_rows(table: Any) -> Iterator[str]:
    """Each row as "a | b | c" (a merged cell, repeated by python-docx, once)."""
    for row in table.rows:
        cells = [clean_prose(cell.text.strip()) for cell in row.cells]
        unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
        if unique:
            yield " | ".join(unique)


class _ListLabels:
    """The numbers Word shows before numbered list items ("1. ", "2. "), which are not in the
    paragraph's text: counted per list and level, a deeper level restarting under each item."""

    def __init__(self, document: Any) -> None:
        self._formats = _list_formats(document)
        self._counts: dict[tuple[str, int], int] = {}

    def label(self, paragraph: Any) -> str:
        num = _num_pr(paragraph)
        if num is None:
            return ""
        num_id, level = num
        fmt = self._formats.get((num_id, level), "decimal")
        if fmt == "bullet":
            return "• "
        count = self._counts.get((num_id, level), 0) + 1
        self._counts[(num_id, level)] = count
        for key in [k for k in self._counts if k[0] == num_id and k[1] > level]:
            del self._counts[key]
        return f"{count}. "


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """(list id, level) of a list item, from the paragraph or its style."""
    for owner in (paragraph._p, paragraph.style.element if paragraph.style is not None else None):
        ppr = owner.find(f"{_W}pPr") if owner is not None else None
        num = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num is not None and num.find(f"{_W}numId") is not None:
            level = num.find(f"{_W}ilvl")
            ilvl = int(level.get(f"{_W}val")) if level is not None else 0
            return num.find(f"{_W}numId").get(f"{_W}val"), ilvl
    return None


def _list_formats(document: Any) -> dict[tuple[str, int], str]:
    """(list id, level) -> the level's number format ("decimal", "bullet", ...)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {
        a.get(f"{_W}abstractNumId"): {
            int(lvl.get(f"{_W}ilvl")): fmt.get(f"{_W}val")
            for lvl in a.iter(f"{_W}lvl")
            if (fmt := lvl.find(f"{_W}numFmt")) is not None
        }
        for a in numbering.iter(f"{_W}abstractNum")
    }
    formats: dict[tuple[str, int], str] = {}
    for num in numbering.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val") if ref is not None else None, {})
        formats.update({(num.get(f"{_W}numId"), lvl): fmt for lvl, fmt in levels.items()})
    return formats
