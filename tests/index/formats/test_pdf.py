"""PDFs made at test time: text layers page by page (Chinese and English), garbled text
detected, scans read by OCR, and bad PDFs refused with their reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import DamagedFileError, EncryptedFileError, TooManyPagesError
from index.formats.pdf import garbled, page_count, parse_pdf
from tests.docs_factory import make_pdf, make_scanned_pdf


def _parse(path: Path, **kwargs: int):
    (article,) = parse_pdf(path.read_bytes(), path.name, str(path), **kwargs)
    return article


def test_parse_pdf__every_page_text_with_its_page_number(tmp_path):
    article = _parse(make_pdf(tmp_path / "report.pdf"))
    assert (article.title, article.publisher, article.pages, article.lang) == (
        "微短剧行业发展报告",
        "中国网络视听协会",
        3,
        "zh",
    )
    by_page = {p.page: p.text for p in article.paragraphs}
    assert "2025年微短剧市场规模达到504亿元，同比增长35%。" in by_page[1]
    assert "截至2026年5月，协会会员单位共有356家。" in " ".join(
        p.text for p in article.paragraphs if p.page == 2
    )
    assert any("2.3 billion dollars" in p.text for p in article.paragraphs if p.page == 3)
    numbers = [p.number for p in article.paragraphs]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_parse_pdf__a_pdf_without_title_is_titled_by_its_first_line(tmp_path):
    article = _parse(make_pdf(tmp_path / "r.pdf", [["短剧报告", "正文第一句。"]], title=None))
    assert article.title == "短剧报告"
    assert [p.text for p in article.paragraphs] == ["正文第一句。"]


def test_garbled__cid_codes_replacement_and_private_use_characters_and_missing_chinese():
    assert garbled("(cid:12)(cid:34) market", "市场")
    assert garbled("市\ufffd场", "市场")
    assert garbled("\ue001\ue002", "市场")
    reference = "截至2026年5月，协会会员单位共有356家。"
    assert garbled("2026 5 356", reference)  # pypdf lost the Chinese PDFium reads
    assert not garbled(reference, reference)
    assert not garbled("Overseas revenue", "Overseas revenue")


def test_parse_pdf__an_encrypted_pdf_is_refused_and_one_with_an_empty_password_opens(tmp_path):
    with pytest.raises(EncryptedFileError, match=r"^encrypted: .*without one"):
        _parse(make_pdf(tmp_path / "locked.pdf", password="secret"))
    assert _parse(make_pdf(tmp_path / "open.pdf", password="")).pages == 3


def test_parse_pdf__a_truncated_pdf_is_damaged(tmp_path):
    data = make_pdf(tmp_path / "a.pdf").read_bytes()
    with pytest.raises(DamagedFileError, match="damaged PDF"):
        parse_pdf(data[: len(data) // 2], "a.pdf")


def test_parse_pdf__more_pages_than_the_limit_is_refused(tmp_path):
    path = make_pdf(tmp_path / "long.pdf", [["第一页"]] * 2000, title=None, author=None)
    assert page_count(path.read_bytes()) == 2000
    with pytest.raises(TooManyPagesError, match="2,000 pages, over the limit of 1,000"):
        _parse(path)
    assert _parse(path, max_pages=2000).pages == 2000


@pytest.mark.slow
def test_parse_pdf__a_scanned_page_is_read_by_ocr_on_its_page(tmp_path):
    path = make_scanned_pdf(
        tmp_path / "scan.pdf",
        [["截至2026年5月，协会会员单位共有356家。"], ["Overseas revenue reached 2.3 billion."]],
    )
    article = _parse(path)
    assert article.pages == 2
    assert [(p.page, p.text) for p in article.paragraphs] == [
        (1, "截至2026年5月，协会会员单位共有356家。"),
        (2, "Overseas revenue reached 2.3 billion."),
    ]
