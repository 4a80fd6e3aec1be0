"""PDF -> one Article whose paragraphs carry their page numbers.

Text comes from the text layer, page by page, with pypdf. Some Chinese fonts come out of
pure-Python extractors garbled or missing (pypdf #2295, #1142: U+FFFD, private-use characters,
"(cid:12)"); such a page, or one where pypdf finds far fewer Chinese characters than PDFium
does, takes PDFium's text instead. A page with no text layer at all (a scan) is rendered by
PDFium and read by OCR (`index.formats.ocr`). A paragraph never spans two pages.

A PDF that needs a password is refused (an empty password is tried first: many "protected"
PDFs open with it), as is a damaged one and one with more pages than `max_pages`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from index.errors import DamagedFileError, EncryptedFileError, TooManyPagesError
from index.formats.lines import text_paragraphs
from index.formats.outline import one_article
from index.text.rules import HAN_CHAR
from index.types import Article, Paragraph

log = logging.getLogger(__name__)

OCR_SCALE = 150 / 72  # pages are rendered at 150 dpi for OCR (an A4 page: 1240 x 1754)
MIN_TEXT_CHARS = 3  # a page with fewer word characters in its text layer is read by OCR
HAN_SHARE = 0.5  # pypdf finding less than this share of PDFium's Chinese characters: garbled
HAN_EVIDENCE = 10  # ... when PDFium finds at least this many
TITLE_MAX = 80
_PLACEHOLDERS = frozenset({"untitled", "anonymous", "unspecified", "unknown", "none"})


@contextmanager
def open_pdf(data: bytes) -> Iterator[tuple[Any, Any]]:
    """The document as pypdf and PDFium see it; closed on exit. Raises EncryptedFileError
    and DamagedFileError with what to do."""
    import pypdf
    import pypdfium2 as pdfium

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedFileError(
                "encrypted: the PDF needs a password - save a copy without one and index that"
            )
        document = pdfium.PdfDocument(data, password="" if reader.is_encrypted else None)
    except (pypdf.errors.PyPdfError, pdfium.PdfiumError, ValueError) as err:
        raise DamagedFileError(
            f"damaged PDF ({err}) - open and save it again, or export it anew"
        ) from err
    try:
        yield reader, document
    finally:
        document.close()


def page_count(data: bytes) -> int:
    """How many pages a PDF has (raises like `open_pdf`)."""
    with open_pdf(data) as (_, document):
        return len(document)


def parse_pdf(data: bytes, file: str, path: str = "", *, max_pages: int = 1000) -> list[Article]:
    """One article of the PDF's text, paragraphs numbered from 1 through the document and
    tagged with their 1-based page. An empty list when no page has text."""
    with open_pdf(data) as (reader, document):
        pages = len(document)
        if pages > max_pages:
            raise TooManyPagesError(
                f"{pages:,} pages, over the limit of {max_pages:,} - split the PDF, or raise "
                "the page limit (max_pages)"
            )
        paragraphs: list[Paragraph] = []
        for number in range(1, pages + 1):
            text = page_text(reader.pages[number - 1], document[number - 1])
            for paragraph in text_paragraphs(text):
                paragraphs.append(Paragraph(paragraph, page=number, number=len(paragraphs) + 1))
        info = _info(reader)
    if not paragraphs:
        return []
    title = info.get("/Title") or _first_line_title(paragraphs)
    if paragraphs[0].text == title:
        paragraphs = paragraphs[1:] or paragraphs
    return one_article(
        file, path, title, paragraphs, publisher=info.get("/Author") or None, pages=pages
    )


def page_text(pypdf_page: Any, pdfium_page: Any) -> str:
    """A page's text: pypdf's, PDFium's where pypdf's is garbled, OCR where there is none."""
    try:
        text = pypdf_page.extract_text() or ""
    except Exception as err:  # pypdf fails on some broken content streams; PDFium may not
        log.warning("pypdf could not read a page (%s); using PDFium's text", err)
        text = "\ufffd"
    textpage = pdfium_page.get_textpage()
    try:
        reference = textpage.get_text_range()
    finally:
        textpage.close()
    if garbled(text, reference):
        text = reference
    if sum(c.isalnum() for c in text) < MIN_TEXT_CHARS:
        return _ocr(pdfium_page)
    return text


def garbled(text: str, reference: str) -> bool:
    """Whether extracted text shows the signs of a font pypdf cannot map (see the module
    docstring), given PDFium's text of the same page."""
    if "(cid:" in text or any(c == "\ufffd" or "\ue000" <= c <= "\uf8ff" for c in text):
        return True
    expected = len(HAN_CHAR.findall(reference))
    return expected >= HAN_EVIDENCE and len(HAN_CHAR.findall(text)) < expected * HAN_SHARE


def _ocr(pdfium_page: Any) -> str:
    from index.formats.ocr import ocr_paragraphs, read_lines

    image = pdfium_page.render(scale=OCR_SCALE).to_pil()
    return "\n\n".join(ocr_paragraphs(read_lines(image)))


def _info(reader: Any) -> dict[str, str]:
    """The document information, without the placeholders writers fill in ("untitled")."""
    try:
        items = (reader.metadata or {}).items()
        info = {k: str(v).strip() for k, v in items}
    except Exception:  # damaged document information: the text is what matters
        return {}
    return {k: v for k, v in info.items() if v and v.casefold() not in _PLACEHOLDERS}


def _first_line_title(paragraphs: list[Paragraph]) -> str | None:
    first = paragraphs[0].text
    return first if len(first) <= TITLE_MAX else None
