"""The retriever's corpus: loaded from the saved keyword index without reading Chroma's chunks,
reloaded when another process moves the generation, rebuilt (with a log line) when the saved
copy is missing or damaged."""

from __future__ import annotations

import logging
import shutil

import pytest

from index.storage import snapshot
from index.storage.keyword import KeywordIndex
from index.storage.store import StoredChunk, open_store
from index.types import Chunk
from rag.retrieval.corpus import writing
from rag.retrieval.hybrid import HybridRetriever
from tests.fakes import HashEmbedding, hash_vector

TEXTS = {
    "c1": "Port Alder landed 4,200 tonnes of cod in 2024",
    "c2": "Apple orchards in Vale grew 12 percent",
    "c3": "Norland built 30 wind turbines on its northern coast",
}


def _store(tmp_path):
    return open_store(
        index_dir=tmp_path / "idx",
        url=None,
        collection="things",
        embedder_name="fake",
        create=True,
    )


def _put(store, ids, folder=None):
    items = []
    for cid in ids:
        text = TEXTS[cid]
        chunk = Chunk(cid, f"a-{cid}", text, text, f"{cid}.txt", text[:12], path=f"/{cid}.txt")
        items.append(StoredChunk(chunk, text.lower().split(), "h"))
    with writing(store, folder):
        store.upsert(items, [hash_vector(s.chunk.text) for s in items])


def _retriever(store, folder, check_s=None, **kw):
    return HybridRetriever(store, HashEmbedding(), saved=folder, check_s=check_s, **kw)


def _files(retriever, question):
    return [hit.item.file for hit in retriever.retrieve(question, k=3, mode="keyword")]


def test_load__a_saved_index_loads_without_reading_chromas_chunks(tmp_path, monkeypatch):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2"], folder)  # the writer saves the new generation's copy
    assert (folder / store.generation() / "manifest.json").exists()

    def no_reading(*_a, **_k):
        raise AssertionError("read every chunk from Chroma")

    monkeypatch.setattr(type(store), "rows", no_reading)
    monkeypatch.setattr(type(store), "all_chunks", no_reading)
    retriever = _retriever(_store(tmp_path), folder)
    assert retriever.size == 2 and _files(retriever, "orchards in Vale") == ["c2.txt"]


def test_load__without_a_saved_copy_rebuilds_from_chroma_and_saves_it(tmp_path, caplog):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2"])  # written by something that saves no copy
    with caplog.at_level(logging.INFO, logger="rag.retrieval.corpus"):
        retriever = _retriever(store, folder)
    assert "no saved keyword index" in caplog.text and "rebuilt from Chroma" in caplog.text
    assert retriever.size == 2 and (folder / store.generation() / "manifest.json").exists()


@pytest.mark.parametrize("damage", ["rows.json", "bm25", "manifest.json"])
def test_load__a_damaged_saved_copy_is_rebuilt_with_a_log_line(tmp_path, caplog, damage):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2", "c3"], folder)
    target = folder / store.generation() / damage
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.write_bytes(b"\x00garbage")
    with caplog.at_level(logging.INFO, logger="rag.retrieval.corpus"):
        retriever = _retriever(store, folder)
    assert "rebuilding the keyword index from Chroma" in caplog.text
    assert retriever.size == 3 and _files(retriever, "wind turbines Norland") == ["c3.txt"]
    snapshot.load(folder, store.generation())  # saved afresh


def test_load__a_saved_copy_that_disagrees_with_chromas_count_is_rebuilt(tmp_path, caplog):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2"], folder)
    rows, _index = snapshot.load(folder, store.generation(), tokens=True)
    shutil.rmtree(folder / store.generation())
    one = KeywordIndex([rows[0][2]["tokens"].split()])
    snapshot.save(folder, store.generation(), rows[:1], one)  # a writer that raced another
    with caplog.at_level(logging.WARNING, logger="rag.retrieval.corpus"):
        retriever = _retriever(store, folder)
    assert "holds 1 chunks, Chroma 2" in caplog.text and retriever.size == 2


def test_freshness__another_process_writing_is_seen_once_the_check_interval_passed(tmp_path):
    folder = tmp_path / "keyword"
    _put(_store(tmp_path), ["c1"], folder)
    now = [0.0]
    reader = HybridRetriever(_store(tmp_path), HashEmbedding(), saved=folder, check_s=1.0)
    reader._fresh._clock = lambda: now[0]  # noqa: SLF001 - a fake clock for the interval
    reader._fresh._checked = 0.0  # noqa: SLF001
    writer = _store(tmp_path)  # another worker's store
    _put(writer, ["c3"], folder)
    now[0] = 0.5
    assert _files(reader, "wind turbines Norland") == []  # not checked yet
    now[0] = 1.2
    assert _files(reader, "wind turbines Norland") == ["c3.txt"]
    assert reader.generation == writer.generation()
    with writing(writer, folder):
        writer.delete(["c3"])
    now[0] = 2.5
    assert _files(reader, "wind turbines Norland") == []


def test_freshness__the_generation_is_read_at_most_once_per_interval(tmp_path, monkeypatch):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2"], folder)
    retriever = _retriever(store, folder, check_s=3600)
    reads = []
    real = type(store).generation
    monkeypatch.setattr(type(store), "generation", lambda self: reads.append(1) or real(self))
    for _ in range(5):
        retriever.retrieve("cod in Port Alder", k=2)
    assert reads == []


def test_commit__the_writer_saves_the_new_generation_from_the_old_copy_and_its_batch(tmp_path):
    store, folder = _store(tmp_path), tmp_path / "keyword"
    _put(store, ["c1", "c2"], folder)
    with writing(store, folder):
        store.delete(["c1"])
        _put_plain(store, "c3")
    rows, _index = snapshot.load(folder, store.generation(), tokens=True)
    assert rows == store.rows()
    assert [r[0] for r in rows] == ["c2", "c3"]


def _put_plain(store, cid):
    text = TEXTS[cid]
    chunk = Chunk(cid, f"a-{cid}", text, text, f"{cid}.txt", text[:12], path=f"/{cid}.txt")
    store.upsert([StoredChunk(chunk, text.lower().split(), "h")], [hash_vector(text)])


def test_rebuild__drops_the_saved_copies_of_the_collection_it_deletes(tmp_path, monkeypatch):
    from rag.assistant import Assistant
    from rag.settings import Settings
    from tests.conftest import SEEDS
    from tests.library_support import fake_models

    fake_models(monkeypatch)
    settings = Settings(index_dir=tmp_path / "idx", llm_backend="extractive")
    assistant = Assistant(settings)
    folder = tmp_path / "idx" / "collections" / "reports" / "keyword"
    assistant.index([SEEDS / "002_c22822ce1c7e6321.txt"])
    first = {p.name for p in folder.iterdir()}
    assistant.index([SEEDS / "003_8bf040d26db51f69.txt"], rebuild=True)
    again = {p.name for p in folder.iterdir()}
    assert first and again and not first & again
    only = assistant.retriever.store.count()
    assert assistant.retriever.size == only and {
        c.item.file for c in assistant.retrieve("短剧", k=10)
    } == {"003_8bf040d26db51f69.txt"}
