"""The retriever with a second vector set and the glossed question, against the real embedded
Chroma with hashing embedders: which runs enter the fusion, and what the keyword run searches."""

from __future__ import annotations

import pytest

from index.indexer import index_paths
from index.storage.store import ChromaStore, VectorSet, open_store
from rag.corpus.profile import load_profile
from rag.retrieval.hybrid import HybridRetriever
from tests.conftest import SEEDS
from tests.fakes import HashEmbedding
from tests.support import PUBLISHERS

NAMES = load_profile("microdrama").names
ZHENGZHOU = "郑州微短剧出海计划发布"  # the Chinese article


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ChromaStore:
    folder = tmp_path_factory.mktemp("idx")
    store = open_store(
        index_dir=folder, url=None, collection="reports", embedder_name="fake/hash-64", create=True
    )
    second = open_store(
        index_dir=folder, url=None, collection="reports.x", embedder_name="fake/x", create=True
    )
    store = store.with_second(VectorSet(second, HashEmbedding("fake/x")))
    index_paths([SEEDS], store, HashEmbedding())
    return store


def _retriever(store: ChromaStore, **kwargs) -> HybridRetriever:
    return HybridRetriever(store, HashEmbedding(), publishers=PUBLISHERS, **kwargs)


def test_retrieve__the_second_set_runs_on_the_question_and_on_the_glossed_question(store):
    retriever = _retriever(store, names=NAMES, second=store.second)
    query = retriever.query("郑州每天开机多少部短剧？", "hybrid")
    assert query.keyword_text.endswith("Zhengzhou")
    assert [name for name, _ in query.second] == ["second", "second_glossed"]
    sources = set().union(*(hit.sources for hit in retriever.retrieve(query.text, k=10)))
    assert {"dense", "second", "second_glossed", "keyword"} <= sources


def test_retrieve__no_name_no_glossed_run_and_no_second_set_no_second_run(store):
    with_second = _retriever(store, names=NAMES, second=store.second)
    assert [n for n, _ in with_second.query("How long is a shoot?", "hybrid").second] == ["second"]
    without = _retriever(store, names=NAMES)
    hits = without.retrieve("郑州每天开机多少部短剧？", k=10)
    assert not any("second" in hit.sources for hit in hits)


def test_keyword__an_english_name_finds_the_chinese_article_through_the_glossary(store):
    question = "What plan for overseas micro-dramas did Zhengzhou announce?"
    glossed = _retriever(store, names=NAMES).retrieve(question, k=5, mode="keyword")
    plain = _retriever(store).retrieve(question, k=5, mode="keyword")
    assert ZHENGZHOU in [hit.item.title for hit in glossed]
    assert ZHENGZHOU not in [hit.item.title for hit in plain]
