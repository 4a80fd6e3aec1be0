"""Answers, retrieved passages and filter choices as records: what the CLI, the HTTP API and the
page show."""

from __future__ import annotations

from datetime import datetime

from index.types import Chunk, Scored
from rag.records import (
    PassageView,
    answer_record,
    passage_view,
    sentences_citing,
)
from rag.types import Answer, Citation
from tests.support import PUBLISHERS

EVIL = '<script>alert("x")</script>'
PUBLISHED = datetime(2025, 9, 24, 7, 46)


def _chunk(publisher: str | None = "3 6 Ke", url: str | None = None) -> Chunk:
    return Chunk(
        chunk_id="c1",
        article_id="a",
        text=f"quote {EVIL}",
        embed_text="Title | Section | quote",
        file="001.txt",
        title=f"Title {EVIL}",
        refs=(15, 21),
        publisher=publisher,
        published=PUBLISHED,
        url=url,
    )


def _answer(text: str) -> Answer:
    cite = Citation(
        1, "001.txt", f"Title {EVIL}", "36Kr", PUBLISHED, f"quote {EVIL}", (15, 21), "c1"
    )
    return Answer(
        text=text,
        citations=[cite],
        contexts=[Scored(_chunk(), 0.9)],
        refused=False,
        language="en",
        backend="local",
        timings_ms={"retrieve": 1.0, "generate": 2.0, "total": 3.0},
    )


def test_passage_view__what_the_reader_is_shown_of_a_retrieved_passage():
    view = passage_view(
        Scored(_chunk(url="https://example.com/a"), 0.87, {"dense": 0.87}), "en", PUBLISHERS
    )
    assert view == PassageView(
        title=f"Title {EVIL}",  # raw: escaping is the page's job
        publisher="36Kr",
        published=PUBLISHED,
        file="001.txt",
        refs=(15, 21),
        text=f"quote {EVIL}",  # the clean passage, not the embedded text with its header
        url="https://example.com/a",
        score=0.87,
    )


def test_passage_view__names_the_publisher_as_the_reader_knows_it():
    scored = Scored(_chunk("2 1 Shi Ji Jing Ji Bao Dao"), 0.8)
    assert passage_view(scored, "zh", PUBLISHERS).publisher == "21世纪经济报道"
    assert passage_view(scored, "en", PUBLISHERS).publisher == "21st Century Business Herald"


def test_passage_view__an_unknown_or_missing_publisher_stays_as_written():
    assert passage_view(Scored(_chunk("Xiao Bao"), 0.8), "zh", PUBLISHERS).publisher == "Xiao Bao"
    assert passage_view(Scored(_chunk(None), 0.8), "en", PUBLISHERS).publisher is None


def test_publishers_choices__usual_names_in_both_languages_english_value():
    zh = {value: label for label, value in PUBLISHERS.choices("zh")}
    en = {value: label for label, value in PUBLISHERS.choices("en")}
    assert zh["36Kr"] == "36氪 · 36Kr" and en["36Kr"] == "36Kr · 36氪"
    assert en["Cailian Press"] == "Cailian Press · 财联社"
    assert list(zh) == [p.en for p in PUBLISHERS.table], "every known publisher, in one order"


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


def test_sentences_citing__the_sentences_that_carry_the_marker_without_markers():
    assert sentences_citing("A [1]. B [2]. C [1][2].", 1) == ["A.", "C."]
    assert sentences_citing("郑州有820家企业[1]。西安每天10个剧组[2]。", 2) == [
        "西安每天10个剧组。"
    ]
