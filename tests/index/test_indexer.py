"""Incremental indexing against the real embedded Chroma, with a fake (hashing) embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.errors import EmbedderMismatchError, IndexNotBuiltError
from index.indexer import index_paths
from index.storage.store import VectorSet, open_store
from tests.fakes import HashEmbedding


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def _store(tmp_path: Path, name: str = "fake/hash-64", rebuild: bool = False):
    return open_store(
        index_dir=tmp_path / "idx",
        url=None,
        collection="reports",
        embedder_name=name,
        create=True,
        rebuild=rebuild,
    )


def test_index__seeds_give_23_articles_and_a_second_run_embeds_nothing(tmp_path, corpus):
    first = index_paths([corpus], _store(tmp_path), HashEmbedding())
    assert (first.files, first.articles) == (5, 23)
    assert first.embedded == first.chunks > 100
    embedder = HashEmbedding()
    second = index_paths([corpus], _store(tmp_path), embedder)
    assert (second.embedded, second.unchanged, second.removed) == (0, 5, 0)
    assert embedder.embedded == 0
    assert _store(tmp_path).count() == first.chunks


def test_index__an_edited_file_re_embeds_only_its_new_chunks(tmp_path, corpus):
    index_paths([corpus], _store(tmp_path), HashEmbedding())
    target = corpus / "002_c22822ce1c7e6321.txt"
    text = target.read_text(encoding="utf-8")
    edited = text.replace("696 million", "700 million")
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    embedder = HashEmbedding()
    report = index_paths([corpus], _store(tmp_path), embedder)
    assert report.unchanged == 4 and report.changed == 1
    assert report.embedded == 1 == embedder.embedded  # one bullet changed
    assert report.removed == 1
    texts = [s.chunk.text for s in _store(tmp_path).all_chunks() if s.chunk.file == target.name]
    assert any("700 million" in t for t in texts)
    assert not any("696 million" in t for t in texts)


def test_index__a_deleted_file_loses_its_chunks(tmp_path, corpus):
    first = index_paths([corpus], _store(tmp_path), HashEmbedding())
    (corpus / "004_06c10140030632d2.txt").unlink()
    report = index_paths([corpus], _store(tmp_path), HashEmbedding())
    assert report.removed_files == 1 and report.removed > 0
    store = _store(tmp_path)
    assert store.count() == first.chunks - report.removed
    assert not any(s.chunk.file.startswith("004_") for s in store.all_chunks())


class _DiesAfter(HashEmbedding):
    """Embeds `batches` batches, then fails like a killed process would stop."""

    def __init__(self, batches: int) -> None:
        super().__init__(embed_batch_size=16)
        self._left = batches

    def _get_text_embeddings(self, texts):
        if self._left == 0:
            raise KeyboardInterrupt("killed")
        self._left -= 1
        return super()._get_text_embeddings(texts)


@pytest.mark.parametrize("batches", [0, 1, 3, 7])
def test_index__an_interrupted_run_is_completed_by_the_next(tmp_path, corpus, batches):
    clean = index_paths([corpus], _store(tmp_path / "clean"), HashEmbedding())
    with pytest.raises(KeyboardInterrupt):
        index_paths([corpus], _store(tmp_path), _DiesAfter(batches), batch_size=16)
    partial = _store(tmp_path).count()
    assert (partial > 0) == (batches > 0)
    report = index_paths([corpus], _store(tmp_path), HashEmbedding(), batch_size=16)
    assert report.embedded == clean.chunks - partial
    stored = _store(tmp_path).all_chunks()
    ids = [s.chunk.chunk_id for s in stored]
    assert len(ids) == len(set(ids)) == clean.chunks
    clean_ids = sorted(s.chunk.chunk_id for s in _store(tmp_path / "clean").all_chunks())
    assert sorted(ids) == clean_ids
    assert index_paths([corpus], _store(tmp_path), HashEmbedding()).embedded == 0


def test_index__missing_and_empty_files_are_skipped_with_a_reason(tmp_path, corpus):
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    report = index_paths([corpus, tmp_path / "nope.txt"], _store(tmp_path), HashEmbedding())
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "nope.txt"}
    assert "no such file" in reasons["nope.txt"]
    assert report.articles == 23


def test_index__rebuild_starts_over(tmp_path, corpus):
    first = index_paths([corpus], _store(tmp_path), HashEmbedding())
    again = index_paths([corpus], _store(tmp_path, rebuild=True), HashEmbedding())
    assert again.embedded == first.chunks


def test_store__refuses_another_embedding_model(tmp_path, corpus):
    index_paths([corpus], _store(tmp_path), HashEmbedding())
    with pytest.raises(EmbedderMismatchError, match="rag index --rebuild"):
        _store(tmp_path, name="other/model")


def test_store__no_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotBuiltError, match="rag index"):
        open_store(
            index_dir=tmp_path / "none",
            url=None,
            collection="reports",
            embedder_name="fake/hash-64",
            create=False,
        )


def test_index__a_file_over_the_size_limit_is_skipped_before_it_is_read(tmp_path, corpus):
    big = corpus / "big.txt"
    big.write_text("Micro-drama notes. " * 2000, encoding="utf-8")  # the seeds: 25 KB at most
    report = index_paths([corpus], _store(tmp_path), HashEmbedding(), max_file_bytes=30_000)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons == {"big.txt": "38,000 bytes, over the per-file limit of 30,000 bytes - "
                       "split the file, or raise RAG_MAX_FILE_BYTES"}  # fmt: skip
    assert report.files == 5


def test_index__a_file_the_parser_fails_on_is_skipped_and_the_run_goes_on(
    tmp_path, corpus, monkeypatch
):
    from index import indexer

    real = indexer.parse_bytes

    def parse_bytes(data: bytes, file: str, path: str = "", **limits: int):
        if file == "001_4b70c0adcfe8b3ab.txt":
            raise ValueError("parser bug")
        return real(data, file, path, **limits)

    monkeypatch.setattr(indexer, "parse_bytes", parse_bytes)
    report = index_paths([corpus], _store(tmp_path), HashEmbedding())
    (skip,) = report.skipped
    assert Path(skip.path).name == "001_4b70c0adcfe8b3ab.txt"
    assert skip.reason == "could not be parsed (ValueError: parser bug)"
    assert report.files == 4 and report.embedded == report.chunks


def _with_second(tmp_path: Path, store, embedder: HashEmbedding | None = None):
    """`store` carrying a second vector set: its own collection, its own (hashing) model."""
    second = open_store(
        index_dir=tmp_path / "idx",
        url=None,
        collection="reports.second",
        embedder_name="fake/hash-second",
        create=True,
    )
    return store.with_second(VectorSet(second, embedder or HashEmbedding("fake/hash-second")))


def test_index__the_second_vector_set_follows_the_first_incrementally(tmp_path, corpus):
    store = _with_second(tmp_path, _store(tmp_path))
    first = index_paths([corpus], store, HashEmbedding())
    assert first.second_embedded == first.chunks
    assert store.second.store.ids() == store.ids()
    lazy = HashEmbedding("fake/hash-second")
    again = index_paths([corpus], _with_second(tmp_path, _store(tmp_path), lazy), HashEmbedding())
    assert (again.embedded, again.second_embedded, lazy.embedded) == (0, 0, 0)
    next(corpus.glob("*.txt")).unlink()
    store = _with_second(tmp_path, _store(tmp_path))
    index_paths([corpus], store, HashEmbedding())
    assert store.second.store.ids() == store.ids() and store.count() < first.chunks


def test_index__an_index_built_before_the_second_set_gains_it_on_the_next_run(tmp_path, corpus):
    first = index_paths([corpus], _store(tmp_path), HashEmbedding())
    embedder = HashEmbedding()
    again = index_paths([corpus], _with_second(tmp_path, _store(tmp_path)), embedder)
    assert (again.embedded, again.second_embedded) == (0, first.chunks)
    assert embedder.embedded == 0


def test_index__the_second_collection_refuses_another_model(tmp_path, corpus):
    index_paths([corpus], _with_second(tmp_path, _store(tmp_path)), HashEmbedding())
    with pytest.raises(EmbedderMismatchError, match="fake/hash-second"):
        open_store(
            index_dir=tmp_path / "idx",
            url=None,
            collection="reports.second",
            embedder_name="fake/other",
            create=False,
        )
