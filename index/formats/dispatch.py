"""Which files the index reads, and the parser for each: `parse_bytes(data, file, path)`.

| suffix          | parser (index.formats.)                    | pages                      |
|-----------------|--------------------------------------------|----------------------------|
| .txt .md        | reports (exports, else generic text)       | none                       |
| .pdf            | pdf (text layer; PDFium; OCR for scans)    | each                       |
| .png .jpg .jpeg | ocr                                        | 1                          |
| .docx           | word                                       | none (sections, ¶ numbers) |
| .html .htm      | webpage                                    | none (sections, ¶ numbers) |

The bytes must be what the name says: a file is sniffed by its first bytes before any parser
sees it, so a program renamed `.pdf` or a non-zip `.docx` is refused with a reason that says
what the file really is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.errors import UnreadableFileError, UnsupportedFileError
from index.formats.encoding import decode
from index.types import Article

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".html", ".htm", ".png", ".jpg", ".jpeg")
MAX_PAGES = 1000  # the default page limit of a PDF

# What the first bytes of a file say it is (checked in order; the first match names it).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"#!", "a script"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
# suffix -> (what its bytes must be, what the reader calls it)
_EXPECTED = {
    ".pdf": ("a PDF", "a PDF"),
    ".docx": ("a zip archive", "a Word .docx file"),
    ".png": ("a PNG image", "a PNG image"),
    ".jpg": ("a JPEG image", "a JPEG image"),
    ".jpeg": ("a JPEG image", "a JPEG image"),
}


def supported(path: Path) -> bool:
    """Whether the index reads files with this name (by suffix, in any case)."""
    return path.suffix.lower() in SUFFIXES


def what_is(data: bytes) -> str:
    """What a file's first bytes say it is: "a PDF", "a Windows program", ... or "unknown data"."""
    if data[:1024].find(b"%PDF-") != -1:  # a PDF may have junk before its header
        return "a PDF"
    return next((name for magic, name in _MAGIC if data.startswith(magic)), "unknown data")


def sniff(data: bytes, suffix: str) -> None:
    """Refuse bytes that are not what `suffix` promises. Raises UnsupportedFileError."""
    if suffix not in _EXPECTED:
        return
    expected, label = _EXPECTED[suffix]
    found = what_is(data)
    if found == expected:
        return
    if suffix == ".docx" and found.startswith("an old Office"):
        raise UnsupportedFileError("an old Word .doc file - open it in Word and save it as .docx")
    raise UnsupportedFileError(
        f"not {label}: the file is {found} - check the file, or give it the suffix of what it is"
    )


def parse_bytes(
    data: bytes, file: str, path: str = "", *, max_pages: int = MAX_PAGES
) -> list[Article]:
    """The articles of a file's bytes, by the suffix of `file`. Raises a RagIndexError
    (UnsupportedFileError, UnreadableFileError, DamagedFileError, EncryptedFileError,
    TooManyPagesError) whose message says what to do."""
    suffix = Path(file).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFileError(
            f"unsupported file type {suffix or '(no suffix)'} - index one of {' '.join(SUFFIXES)}"
        )
    if not data:
        raise UnreadableFileError("empty file (0 bytes) - nothing to index")
    sniff(data, suffix)
    return _parser(suffix, max_pages)(data, file, path)


def parse_file(path: Path, *, max_pages: int = MAX_PAGES) -> list[Article]:
    """`parse_bytes` of a file on disk."""
    return parse_bytes(path.read_bytes(), path.name, str(path.resolve()), max_pages=max_pages)


Parser = Callable[[bytes, str, str], list[Article]]


def _parser(suffix: str, max_pages: int) -> Parser:
    """The parser for a suffix; heavy libraries are imported only when a file needs them."""
    if suffix == ".pdf":
        from index.formats.pdf import parse_pdf

        return lambda data, file, path: parse_pdf(data, file, path, max_pages=max_pages)
    if suffix == ".docx":
        from index.formats.word import parse_docx

        return parse_docx
    if suffix in (".png", ".jpg", ".jpeg"):
        from index.formats.ocr import parse_image

        return parse_image
    if suffix in (".html", ".htm"):
        from index.formats.webpage import parse_html

        return lambda data, file, path: parse_html(decode(data, path or file), file, path)
    from index.formats.reports import parse_text

    return lambda data, file, path: parse_text(decode(data, path or file), file, path)
