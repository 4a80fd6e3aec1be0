"""Server mode for real: a `chroma run` on a loopback port, indexed and queried through the API."""

from __future__ import annotations

import shutil

import pytest

from index.errors import StoreUnavailableError
from index.indexer import index_paths
from index.storage.store import open_store
from rag.bench.chroma import chroma_server
from tests.fakes import HashEmbedding, hash_vector
from tests.support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture
def chroma_url(tmp_path):
    with chroma_server(tmp_path / "server") as url:  # started here, stopped by its PID
        yield url


def _store(url: str, create: bool = True):
    return open_store(
        index_dir=None, url=url, collection="reports", embedder_name="fake/hash-64", create=create
    )


def test_server__index_then_query_then_a_second_run_embeds_nothing(chroma_url, seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    first = index_paths([corpus], _store(chroma_url), HashEmbedding())
    assert (first.articles, first.embedded) == (23, first.chunks)
    again = index_paths([corpus], _store(chroma_url), HashEmbedding())
    assert again.embedded == 0 and again.unchanged == 5
    store = _store(chroma_url, create=False)
    assert store.count() == first.chunks
    some = store.all_chunks()[7].chunk
    hits = store.query(hash_vector(some.embed_text), 3)
    assert hits[0][0].chunk_id == some.chunk_id and hits[0][1] > 0.99


def test_server__an_assistant_answers_through_it(chroma_url, seeds_dir):
    from rag import Assistant, Settings

    assistant = Assistant(Settings(chroma_url=chroma_url, llm_backend="extractive"))
    assistant.index([seeds_dir / "002_c22822ce1c7e6321.txt"])
    answer = assistant.ask("How many micro-short drama users did China have by July?")
    assert "696" in answer.text and answer.citations


def test_server__unreachable_is_a_clear_error_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match=url):
        _store(url)
