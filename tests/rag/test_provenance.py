"""A quote from a PDF is cited to its page, one from a Word file to its section: from the file,
through the index, to the citation record and the terminal's source lines."""

from __future__ import annotations

from pathlib import Path

from index.indexer import index_paths
from index.storage.store import open_store
from rag.answer.prompting import to_citation
from rag.records import citation_record, format_sources, source_line
from rag.types import Answer
from tests.docs_factory import make_docx, make_pdf
from tests.fakes import HashEmbedding
from tests.support import PUBLISHERS


def _indexed(tmp_path: Path) -> dict[str, object]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "report.pdf")
    make_docx(corpus / "review.docx")
    store = open_store(
        index_dir=tmp_path / "idx", url=None, collection="reports",
        embedder_name="fake/hash-64", create=True,
    )  # fmt: skip
    index_paths([corpus], store, HashEmbedding())
    return {s.chunk.text: s.chunk for s in store.all_chunks()}


def test_citation__a_pdf_quote_carries_its_page_to_the_record_and_the_source_line(tmp_path):
    chunks = _indexed(tmp_path)
    pdf = next(c for text, c in chunks.items() if "356家" in text)
    citation = to_citation(1, pdf, "zh", PUBLISHERS)  # type: ignore[arg-type]
    record = citation_record(citation)
    assert (record["page"], record["section"], record["file"]) == (2, None, "report.pdf")
    line = source_line(citation)
    assert " · report.pdf p. 2 ¶" in line
    assert line.startswith("[1] 微短剧行业发展报告 — 中国网络视听协会")


def test_citation__a_word_quote_carries_its_section_and_paragraph_number(tmp_path):
    chunks = _indexed(tmp_path)
    word = next(c for text, c in chunks.items() if "662 million" in text)
    citation = to_citation(2, word, "en", PUBLISHERS)  # type: ignore[arg-type]
    assert citation_record(citation)["page"] is None
    assert citation_record(citation)["section"] == "Market size"
    answer = Answer("Paid users reached 662 million [2].", [citation], [], False, "en", "test")
    assert "· review.docx · Market size ¶2\n" in format_sources(answer)
