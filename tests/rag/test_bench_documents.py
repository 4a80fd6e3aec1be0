"""`python -m rag.bench.documents` on a small PDF: every stage measured, and the uploaded PDF's
first answer cites the page its fact is on (real parser, OCR, embedder and Chroma)."""

from __future__ import annotations

import pytest

from rag.bench.documents import bench_documents, render_md

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_bench_documents__every_stage_and_the_first_answer_cites_the_right_page(tmp_path):
    figures = bench_documents(tmp_path, pages=8, ocr_pages=1, embed=8)
    assert figures["text_layer"]["pages"] == 8 and figures["text_layer"]["chunks"] > 8
    assert figures["ocr"]["pages"] == 1 and figures["ocr"]["chunks"] >= 1
    assert figures["embedding"]["chunks"] == 8
    upload = figures["upload"]
    assert upload["status"] == "indexed" and upload["chunks"] == figures["text_layer"]["chunks"]
    assert upload["found"] and upload["cited_page"] == upload["needle_page"] == 6
    table = render_md(figures)
    assert "then the first answer" in table and "cited p. 6" in table
