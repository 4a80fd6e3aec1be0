"""Reading text files in the encodings Chinese users' files come in.

UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 (a superset of GBK and GB2312).
Binary files and undecodable bytes raise UnreadableFileError naming the file and the reason.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from index.errors import UnreadableFileError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Text from bytes, newlines normalised to \\n."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise UnreadableFileError(
                    f"{name}: invalid {encoding} text ({err.reason})"
                ) from err
            return _newlines(text)
    if _looks_binary(data):
        raise UnreadableFileError(f"{name}: looks like a binary file, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _newlines(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(f"{name}: not UTF-8, UTF-16 or GB18030/GBK text")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path}: cannot read ({err.strerror or err})") from err
    return decode(data, str(path))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
