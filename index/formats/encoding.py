"""Reading text files in the encodings Chinese users' files come in.

Order of attempts: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); strict UTF-8; then,
if the bytes look like text, strict GB18030 (a superset of GBK and GB2312). Binary files, UTF-8
with damaged bytes and anything else undecodable raise UnreadableFileError naming the file and
the reason. Newlines come back as \\n; an empty file is "".
"""

from __future__ import annotations

import codecs
from pathlib import Path

from index.errors import UnreadableFileError
from index.text.rules import HAN_CHAR

# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")  # control bytes ordinary text files contain
_BINARY_CONTROL_SHARE = 0.05
_SAMPLE = 8192
# A UTF-8 prefix holding this many Han characters makes a later bad byte damage, not GBK.
_UTF8_EVIDENCE = 4


def read_text(path: Path) -> str:
    """The text of a file, newlines normalised to \\n. Raises UnreadableFileError."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path}: cannot read ({err.strerror or err})") from err
    return decode(data, str(path))


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Text from bytes (see the module docstring); `name` goes into error messages."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _newlines(data.decode(encoding))
            except UnicodeDecodeError as err:
                raise UnreadableFileError(
                    f"{name}: invalid {encoding} text after its byte-order mark ({err.reason} "
                    f"at byte {err.start}) - re-save it as UTF-8"
                ) from err
    if _looks_binary(data):
        raise UnreadableFileError(
            f"{name}: looks like a binary file, not text (NUL or control bytes) - "
            "index .txt or .md files saved as UTF-8, UTF-16 or GBK"
        )
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        utf8_error = err
    if _han_count(data[: utf8_error.start].decode("utf-8")) >= _UTF8_EVIDENCE:
        raise UnreadableFileError(
            f"{name}: invalid UTF-8 at byte {utf8_error.start} (the text before it is UTF-8, "
            "so the file is damaged) - re-save it as UTF-8"
        )
    try:
        return _newlines(data.decode("gb18030"))
    except UnicodeDecodeError as err:
        raise UnreadableFileError(
            f"{name}: not UTF-8, UTF-16 or GB18030/GBK text (invalid byte at {utf8_error.start})"
            " - re-save it as UTF-8"
        ) from err


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls > len(sample) * _BINARY_CONTROL_SHARE


def _han_count(text: str) -> int:
    return len(HAN_CHAR.findall(text))


def _newlines(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
