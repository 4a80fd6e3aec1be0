"""Pure formatting for the CLI and the page: records, citation links, escaping."""

from __future__ import annotations

from datetime import datetime

from index.types import Chunk, Scored
from rag.present import (
    answer_html,
    answer_record,
    citation_cards_html,
    context_cards_html,
    notices_html,
    sentences_citing,
)
from rag.types import Answer, Citation

EVIL = '<script>alert("x")</script>'


def _answer(text: str, refused: bool = False) -> Answer:
    cite = Citation(
        n=1,
        file="001.txt",
        title=f"Title {EVIL}",
        publisher="36Kr",
        published=datetime(2025, 9, 24, 7, 46),
        quote=f"quote {EVIL}",
        refs=(15, 21),
        chunk_id="c1",
    )
    chunk = Chunk(
        chunk_id="c1",
        article_id="a",
        text=f"quote {EVIL}",
        embed_text="",
        file="001.txt",
        title=f"Title {EVIL}",
        publisher="3 6 Ke",
    )
    return Answer(
        text=text,
        citations=[] if refused else [cite],
        contexts=[Scored(chunk, 0.9)],
        refused=refused,
        language="en",
        backend="local",
        timings_ms={"retrieve": 1.0, "generate": 2.0, "total": 3.0},
    )


def test_answer_html__links_known_markers_and_escapes_the_rest():
    out = answer_html(f"It grew [1]. {EVIL} [7]", known={1})
    assert '<a class="cite" href="#src-1"' in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "[7]" in out and 'href="#src-7"' not in out


def test_citation_cards__escaped_numbered_with_refs_and_supported_sentences():
    html = citation_cards_html(_answer("It grew 10% [1]. Other."), "en")
    assert 'id="src-1"' in html and "<script>" not in html
    assert "36Kr · 2025-09-24 · 001.txt ¶15,21" in html
    assert "It grew 10%." in html


def test_citation_cards__a_refusal_says_so():
    assert "Not in the reports" in citation_cards_html(_answer("x", refused=True), "en")
    assert "报告中没有答案" in citation_cards_html(_answer("x", refused=True), "zh")


def test_context_cards__show_the_usual_publisher_name_escaped():
    html = context_cards_html(_answer("x").contexts, "zh")
    assert "36氪" in html and "<script>" not in html


def test_notices_html__escaped_and_empty_when_none():
    assert notices_html([]) == ""
    assert "&lt;b&gt;" in notices_html(["<b>fallback</b>"])


def test_sentences_citing():
    assert sentences_citing("A [1]. B [2]. C [1][2].", 1) == ["A.", "C."]


def test_answer_record__has_the_results_shape():
    record = answer_record(_answer("It grew [1]."), id="q1")
    assert set(record) >= {
        "id",
        "question",
        "answer",
        "refused",
        "citations",
        "retrieved",
        "timings_ms",
        "backend",
    }
    assert record["citations"][0]["published"] == "2025-09-24T07:46:00"
    assert record["retrieved"][0] == {
        "rank": 1,
        "file": "001.txt",
        "title": f"Title {EVIL}",
        "chunk_id": "c1",
        "score": 0.9,
        "text": f"quote {EVIL}",
    }
