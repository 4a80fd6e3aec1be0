"""read_text: the encodings Chinese users' files come in; binary and broken files refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from index.errors import UnreadableFileError
from index.formats.encoding import read_text

TEXT = "微短剧市场规模突破504亿元,用户6.62亿。\n第二行:Hongguo 红果短剧\n"


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("utf8_bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf16le_bom.txt", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        ("utf16be_bom.txt", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("gbk.txt", TEXT.encode("gbk")),
        ("gb18030.txt", (TEXT + "𠀀 €\n").encode("gb18030")),  # beyond GBK: 4-byte codes
    ],
)
def test_read_text__round_trips_chinese_in_each_encoding(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    expected = TEXT + ("𠀀 €\n" if name == "gb18030.txt" else "")
    assert read_text(path) == expected


def test_read_text__strips_the_utf8_bom(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "标题".encode())
    assert read_text(path) == "标题"


def test_read_text__normalises_newlines(tmp_path: Path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("一\r\n二\r三\n".encode("gbk"))
    assert read_text(path) == "一\n二\n三\n"


def test_read_text__empty_file_is_empty_text(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path) == ""


def test_read_text__the_seeds_are_utf8(seeds_dir: Path):
    for path in sorted(seeds_dir.glob("*.txt")):
        assert read_text(path) == path.read_text(encoding="utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),  # control bytes, no NUL
        (b"\xff\xfe\x00\xd8", "utf-16"),  # BOM, then an unpaired surrogate
        (b"caf\xe9 au lait", "not UTF-8"),  # Latin-1, not Chinese
    ],
)
def test_read_text__refuses_binary_and_undecodable_bytes_naming_the_file(
    tmp_path: Path, data: bytes, reason: str
):
    path = tmp_path / "bad_file.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as err:
        read_text(path)
    assert "bad_file.txt" in str(err.value)
    assert reason in str(err.value)


def test_read_text__damaged_utf8_is_refused_not_read_as_gbk_mojibake(tmp_path: Path):
    path = tmp_path / "damaged.txt"
    path.write_bytes("微短剧行业向高质量发展".encode() + b"\xff" + "精品化".encode())
    with pytest.raises(UnreadableFileError, match=r"damaged\.txt.*invalid UTF-8 at byte 33"):
        read_text(path)


def test_read_text__missing_file_is_an_unreadable_file_error(tmp_path: Path):
    with pytest.raises(UnreadableFileError, match="missing.txt"):
        read_text(tmp_path / "missing.txt")
