"""Synthetic corpora for the scale benchmark: realistic shape, real store, real keyword index."""

from __future__ import annotations

import shutil

from index.indexer import index_paths
from index.storage.store import open_store
from rag.bench.scale import fill
from rag.retrieval.hybrid import HybridRetriever
from tests.fakes import DIM, HashEmbedding
from tests.support import PUBLISHERS


def test_fill__adds_n_distinct_chunks_that_retrieval_can_search(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    seed_store = open_store(
        index_dir=tmp_path / "seed",
        url=None,
        collection="reports",
        embedder_name="fake/hash-64",
        create=True,
    )
    index_paths([corpus], seed_store, HashEmbedding())
    templates = seed_store.all_chunks()

    store = open_store(
        index_dir=tmp_path / "big",
        url=None,
        collection="scale",
        embedder_name="fake/hash-64",
        create=True,
    )
    fill(store, templates, 2500, DIM)
    assert store.count() == 2500
    retriever = HybridRetriever(store, HashEmbedding(), publishers=PUBLISHERS)
    assert retriever.size == 2500
    hits = retriever.retrieve("Hengdian crews actors", k=10)
    assert len(hits) == 10 and len({h.item.article_id for h in hits}) >= 5


def test_bench_scale__a_second_run_reuses_the_store_and_starts_from_the_saved_index(
    tmp_path, monkeypatch, seeds_dir
):
    from rag.assistant import Assistant
    from rag.bench.scale import bench_scale
    from rag.settings import Settings
    from tests.library_support import fake_models

    fake_models(monkeypatch)
    one_file = seeds_dir / "002_c22822ce1c7e6321.txt"
    settings = Settings(index_dir=tmp_path / "idx", corpus=[one_file], llm_backend="extractive")
    assistant = Assistant(settings)
    assistant.index()
    first = bench_scale(assistant, ["micro-drama users"], [400], tmp_path / "work")
    saved = tmp_path / "work" / "embedded-n400" / "collections" / "scale-400" / "keyword"
    assert [p.name for p in saved.iterdir()] == [first[0]["generation"]]
    again = bench_scale(assistant, ["micro-drama users"], [400], tmp_path / "work")
    assert first[0]["fill_s"] is not None and again[0]["fill_s"] is None
    assert again[0]["queries"] == 3 and again[0]["generation"] == first[0]["generation"]
