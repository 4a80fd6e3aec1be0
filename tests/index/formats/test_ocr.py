"""Images read by OCR (the real RapidOCR models), and lines joined into paragraphs."""

from __future__ import annotations

import pytest

from index.formats.dispatch import parse_bytes
from index.formats.lines import text_paragraphs
from index.formats.ocr import OcrLine, ocr_paragraphs
from tests.docs_factory import make_image


def _line(text: str, top: float, width: float = 1000) -> OcrLine:
    return OcrLine(text, 100, top, 100 + width, top + 40, 0.99)


def test_ocr_paragraphs__chinese_lines_join_without_spaces_and_gaps_or_short_lines_end_one():
    lines = [
        _line("截至2026年5月，协会会员单位共有", 100),
        _line("356家。", 150, width=200),  # short: the paragraph's last line
        _line("精品化成为行业共识，头部平台", 200),
        _line("加大投入。", 250),
        _line("Overseas revenue reached 2.3", 400),  # after a wide gap
        _line("billion dollars.", 450),
    ]
    assert ocr_paragraphs(lines) == [
        "截至2026年5月，协会会员单位共有356家。",
        "精品化成为行业共识，头部平台加大投入。",
        "Overseas revenue reached 2.3 billion dollars.",
    ]


def test_text_paragraphs__blank_and_short_lines_end_paragraphs_and_hyphens_are_undone():
    text = (
        "The micro-drama market grew quickly in 2025 as platforms in-\n"
        "vested in production and paid users reached 662 million.\n"
        "A short last line.\n\n"
        "微短剧市场规模达到504亿元，同比增长百分之三十五，用户规模突破\n"
        "六亿六千万人。"
    )
    assert text_paragraphs(text) == [
        "The micro-drama market grew quickly in 2025 as platforms invested in production and "
        "paid users reached 662 million. A short last line.",
        "微短剧市场规模达到504亿元，同比增长百分之三十五，用户规模突破六亿六千万人。",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_parse_bytes__an_image_is_read_by_ocr_as_page_one(tmp_path, suffix):
    path = make_image(tmp_path / f"scan{suffix}", ["截至2026年5月，协会会员单位共有356家。"])
    (article,) = parse_bytes(path.read_bytes(), path.name)
    assert (article.pages, article.lang, article.title) == (1, "zh", "scan")
    assert [(p.page, p.text) for p in article.paragraphs] == [
        (1, "截至2026年5月，协会会员单位共有356家。")
    ]
