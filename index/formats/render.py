"""A PDF page as a picture, with a passage highlighted: what the page viewer shows beside a
citation ("p. 2").

`highlight_boxes(pdf, page, passage)` finds where the passage is on the page: in the text
layer, by PDFium's character boxes (whitespace, line breaks, full-width forms and case are
ignored when matching, since the passage was cleaned and re-joined by the parser; a passage
not found whole is looked for clause by clause). A page with no text layer (a scan) is read
again by OCR and the lines the passage contains are boxed. `render_page` draws the boxes in
semi-transparent yellow on the rendered page and returns PNG bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from index.errors import PageNotFoundError
from index.formats.pdf import OCR_SCALE, open_pdf

Method = Literal["text", "ocr", "none"]
HIGHLIGHT = (255, 221, 0, 110)  # RGBA: semi-transparent yellow
MIN_PIECE = 6  # clauses shorter than this (normalised characters) are not looked for alone
_CLAUSES = re.compile(r"(?<=[。！？；，、.!?;,])")


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in PDF points, measured from the page's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Highlight:
    """Where a passage is on a page. `method` says how it was found: "text" (the text layer),
    "ocr" (a scanned page read again), or "none" (not found: `boxes` is empty)."""

    page: int
    width: float  # the page's size in points
    height: float
    boxes: tuple[Box, ...]
    method: Method


def highlight_boxes(pdf: bytes | Path, page: int, passage: str) -> Highlight:
    """The boxes covering `passage` on 1-based `page` of `pdf` (bytes or a path)."""
    with open_pdf(_bytes(pdf)) as (_, document):
        pdf_page = _page(document, page)
        width, height = pdf_page.get_size()
        boxes, method = _find(pdf_page, height, normalise(passage))
    return Highlight(page, width, height, tuple(boxes), method if boxes else "none")


def render_page(
    pdf: bytes | Path, page: int, passage: str | None = None, *, scale: float = 1.5
) -> bytes:
    """PNG bytes of 1-based `page` at `scale` (1.0 = 72 dpi), with `passage`, when given and
    found, highlighted."""
    from PIL import Image, ImageDraw

    data = _bytes(pdf)
    boxes = highlight_boxes(data, page, passage).boxes if passage else ()
    with open_pdf(data) as (_, document):
        image = _page(document, page).render(scale=scale).to_pil().convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for b in boxes:
        draw.rectangle(
            (b.left * scale, b.top * scale, b.right * scale, b.bottom * scale), HIGHLIGHT
        )
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, "PNG")
    return out.getvalue()


def normalise(text: str) -> str:
    """Text as the matcher compares it: NFKC, case-folded, without whitespace."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if not ch.isspace())


def _bytes(pdf: bytes | Path) -> bytes:
    return pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()


def _page(document: Any, page: int) -> Any:
    if not 1 <= page <= len(document):
        raise PageNotFoundError(f"page {page} of {len(document)} - pages are 1 to {len(document)}")
    return document[page - 1]


def _find(pdf_page: Any, height: float, passage: str) -> tuple[list[Box], Method]:
    """Boxes from the text layer, else (a scan) from OCR lines."""
    if not passage:
        return [], "none"
    textpage = pdf_page.get_textpage()
    try:
        text, index = _page_chars(textpage)
        if sum(ch.isalnum() for ch in text) >= 3:
            return _line_boxes(textpage, _matched(text, index, passage), height), "text"
    finally:
        textpage.close()
    return _ocr_boxes(pdf_page, passage), "ocr"


def _page_chars(textpage: Any) -> tuple[str, list[int]]:
    """The page's normalised text and, for each of its characters, PDFium's character index."""
    import pypdfium2.raw as raw

    chars: list[str] = []
    index: list[int] = []
    for i in range(textpage.count_chars()):
        for ch in normalise(chr(raw.FPDFText_GetUnicode(textpage.raw, i))):
            chars.append(ch)
            index.append(i)
    return "".join(chars), index


def _matched(text: str, index: list[int], passage: str) -> list[int]:
    """PDFium character indices of the passage: found whole, else clause by clause in order."""
    start = text.find(passage)
    if start != -1:
        return index[start : start + len(passage)]
    found: list[int] = []
    position = 0
    for clause in (normalise(c) for c in _CLAUSES.split(passage)):
        at = text.find(clause, position) if len(clause) >= MIN_PIECE else -1
        if at != -1:
            found.extend(index[at : at + len(clause)])
            position = at + len(clause)
    return found


def _line_boxes(textpage: Any, chars: list[int], height: float) -> list[Box]:
    """One box per run of characters on the same line (top-left origin)."""
    boxes: list[Box] = []
    for i in dict.fromkeys(chars):
        left, bottom, right, top = textpage.get_charbox(i)
        if right <= left or top <= bottom:
            continue  # a generated space or line break
        box = Box(left, height - top, right, height - bottom)
        if boxes and _same_line(boxes[-1], box):
            last = boxes[-1]
            box = Box(last.left, min(last.top, box.top), box.right, max(last.bottom, box.bottom))
            boxes[-1] = box
        else:
            boxes.append(box)
    return boxes


def _same_line(line: Box, char: Box) -> bool:
    """Whether a character continues a line: to its right, its middle within the line."""
    middle = (char.top + char.bottom) / 2
    return char.left >= line.left and line.top <= middle <= line.bottom


def _ocr_boxes(pdf_page: Any, passage: str) -> list[Box]:
    """The OCR lines of a scanned page that the passage contains (or that contain it)."""
    from index.formats.ocr import read_lines

    lines = read_lines(pdf_page.render(scale=OCR_SCALE).to_pil())
    boxes = []
    for line in lines:
        text = normalise(line.text)
        if len(text) >= 2 and (text in passage or passage in text):
            s = 1 / OCR_SCALE
            boxes.append(Box(line.left * s, line.top * s, line.right * s, line.bottom * s))
    return boxes
