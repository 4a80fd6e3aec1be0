"""The page viewer's picture: page N rendered, the cited passage boxed on the right page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from index.errors import PageNotFoundError
from index.formats.render import highlight_boxes, render_page
from tests.docs_factory import make_pdf, make_scanned_pdf

PASSAGE = "截至2026年5月，协会会员单位共有356家。精品化成为行业共识，头部平台加大投入。"


def test_highlight_boxes__the_passage_is_found_on_its_page_line_by_line(tmp_path):
    path = make_pdf(tmp_path / "report.pdf")
    found = highlight_boxes(path, 2, PASSAGE)
    assert found.method == "text" and len(found.boxes) == 2  # two lines on the page
    first, second = found.boxes
    assert 60 < first.left < 80 and first.top < second.top  # top-left origin, in order
    assert all(b.bottom < 150 for b in found.boxes)  # near the top, where it is drawn
    assert highlight_boxes(path, 1, PASSAGE).method == "none"  # not on page 1


def test_highlight_boxes__whitespace_and_a_partly_changed_passage_still_match(tmp_path):
    path = make_pdf(tmp_path / "report.pdf")
    spaced = "Overseas  revenue of Chinese\nshort-drama apps reached 2.3 billion dollars in 2025."
    assert len(highlight_boxes(path, 3, spaced).boxes) == 1
    edited = "截至2026年5月，协会会员单位共有356家。(以上为摘要)"
    assert len(highlight_boxes(path, 2, edited).boxes) == 1  # the clause that is there


def test_render_page__png_with_yellow_only_where_the_passage_is(tmp_path):
    path = make_pdf(tmp_path / "report.pdf")
    plain = Image.open(io.BytesIO(render_page(path, 2, scale=1.0))).convert("RGB")
    marked = Image.open(io.BytesIO(render_page(path, 2, PASSAGE, scale=1.0))).convert("RGB")
    assert plain.size == marked.size == (596, 842)  # A4 at 72 dpi
    box = highlight_boxes(path, 2, PASSAGE).boxes[0]
    corner = (int(box.left) + 1, int(box.top) + 1)  # inside the box, beside the glyphs
    r, g, b = marked.getpixel(corner)  # type: ignore[misc]
    assert r > 200 and g > 180 and b < 150  # yellow
    assert plain.getpixel(corner) == (255, 255, 255)
    assert marked.getpixel((300, 600)) == (255, 255, 255)  # the rest untouched


def test_render_page__a_page_outside_the_document_says_which_pages_there_are(tmp_path):
    path = make_pdf(tmp_path / "report.pdf")
    with pytest.raises(PageNotFoundError, match="page 9 of 3 - pages are 1 to 3"):
        render_page(path, 9)


@pytest.mark.slow
def test_highlight_boxes__a_scanned_page_is_boxed_from_ocr_lines(tmp_path):
    path = make_scanned_pdf(tmp_path / "scan.pdf", [["截至2026年5月，协会会员单位共有356家。"]])
    found = highlight_boxes(path, 1, "截至2026年5月，协会会员单位共有356家。")
    assert found.method == "ocr" and len(found.boxes) == 1
    (box,) = found.boxes
    assert 50 < box.left < 70 and 70 < box.top < 85  # drawn at (120, 150) px at 150 dpi
