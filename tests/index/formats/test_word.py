"""Word files made with python-docx: headings become sections, tables rows, list numbers kept;
zip bombs refused before python-docx opens them."""

from __future__ import annotations

import pytest

from index.errors import DamagedFileError, UnsupportedFileError
from index.formats.word import parse_docx
from tests.docs_factory import make_docx, make_zip_bomb


def test_parse_docx__sections_numbers_and_table_rows(tmp_path):
    path = make_docx(tmp_path / "review.docx")
    (article,) = parse_docx(path.read_bytes(), path.name)
    assert (article.title, article.publisher, article.pages) == (
        "Short drama market review",
        "Industry Research Desk",
        0,
    )
    got = [(p.section, p.text) for p in article.paragraphs]
    assert got == [
        ("Market size", "The micro-drama market reached 50.4 billion yuan in 2024."),
        ("Market size", "1. Paid users grew to 662 million."),
        ("Market size", "2. Advertising revenue rose by 35 percent."),
        ("平台", "红果短剧的月活跃用户超过1亿。"),
        ("平台", "Platform | Users | Year"),
        ("平台", "Hongguo | 100 million | 2025"),
        ("平台", "ReelShort | 30m | 2024"),
    ]
    assert [p.number for p in article.paragraphs] == list(range(1, 8))


def test_parse_docx__a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    data = make_zip_bomb(tmp_path / "bomb.docx").read_bytes()
    assert len(data) < 10_000
    with pytest.raises(UnsupportedFileError, match=r"unpacks to 2,000,000,\d+ bytes .*zip bomb"):
        parse_docx(data, "bomb.docx")


def test_parse_docx__a_zip_without_a_document_or_a_broken_zip_is_refused(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnsupportedFileError, match="not a Word document"):
        parse_docx((tmp_path / "x.zip").read_bytes(), "x.docx")
    with pytest.raises(DamagedFileError, match="damaged Word file"):
        parse_docx(b"PK\x03\x04" + bytes(40), "x.docx")
