"""The retriever's dense side against the real embedded Chroma (hashing embedder): the filtered
search it does in memory must give what Chroma's own `where` gives."""

from __future__ import annotations

from datetime import date

import pytest

from index.indexer import index_paths
from index.publishers import normalise_publisher
from index.storage.store import open_store
from index.types import Chunk
from rag.retrieval import hybrid as retrieve
from rag.retrieval.hybrid import HybridRetriever, chroma_where
from rag.types import Filters
from tests.conftest import SEEDS
from tests.fakes import HashEmbedding
from tests.support import PUBLISHERS

QUERIES: list[str] = []  # every query embedded


class CountingEmbedding(HashEmbedding):
    def _get_query_embedding(self, query: str) -> list[float]:
        QUERIES.append(query)
        return super()._get_query_embedding(query)


QUESTIONS = ["短剧用户规模有多大", "How many micro-drama companies are there?", "红果 播放量"]
FILTERS = [
    Filters(publishers=("People's Daily",)),
    Filters(publishers=("36Kr", "Yicai")),
    Filters(date_from=date(2025, 12, 24)),
    Filters(date_to=date(2025, 8, 1)),
    Filters(files=("004_06c10140030632d2.txt",)),
    Filters(publishers=("no such publisher",)),
]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> HybridRetriever:
    store = open_store(
        index_dir=tmp_path_factory.mktemp("idx"),
        url=None,
        collection="reports",
        embedder_name="fake/hash-64",
        create=True,
    )
    index_paths([SEEDS], store, HashEmbedding())
    return HybridRetriever(store, CountingEmbedding(), publishers=PUBLISHERS)


def _ranking(hits: list[tuple[Chunk, float]]) -> list[tuple[float, frozenset[str]]]:
    """Scores best first, each with the ids scoring it (hashed vectors tie often, and ties may
    come in any order); the last group is cut by n, so only its score counts."""
    groups: dict[float, set[str]] = {}
    for chunk, score in hits:
        groups.setdefault(round(score, 5), set()).add(chunk.chunk_id)
    ranked = [(score, frozenset(ids)) for score, ids in groups.items()]
    return ranked[:-1] + [(ranked[-1][0], frozenset())] if ranked else []


def _chroma_filtered(r: HybridRetriever, question: str, n: int, filters: Filters) -> list:
    vector = r.embedder.get_query_embedding(question)
    return _ranking(r.store.query(vector, n, chroma_where(filters, PUBLISHERS)))


@pytest.mark.parametrize(
    "overfetch, most",
    [(1000, 8000), (5, 8000), (5, 60)],  # the whole corpus seen / in proportion / Chroma's where
)
def test_dense__filtered_in_memory_equals_chromas_where(retriever, monkeypatch, overfetch, most):
    monkeypatch.setattr(retrieve, "OVERFETCH", overfetch)
    monkeypatch.setattr(retrieve, "MAX_OVERFETCH", most)
    for question in QUESTIONS:
        for filters in FILTERS:
            got = _ranking(retriever.dense(question, 8, filters))
            assert got == _chroma_filtered(retriever, question, 8, filters), (question, filters)


def test_dense__unfiltered_equals_chroma_and_reuses_a_given_vector(retriever):
    for question in QUESTIONS:
        vector = retriever.embedder.get_query_embedding(question)
        expected = _ranking(retriever.store.query(vector, 10))
        before = len(QUERIES)
        got = _ranking(retriever.dense(question, 10, None, vector))
        assert got == expected
        assert len(QUERIES) == before  # the vector given was used


def test_retrieve__embeds_the_question_once_even_with_a_publisher_pass(retriever):
    before = len(QUERIES)
    hits = retriever.retrieve("据人民日报，微短剧用户有多少？", k=5)
    assert len(QUERIES) == before + 1
    assert normalise_publisher(hits[0].item.publisher or "") in PUBLISHERS.keys_for(
        "People's Daily"
    )
