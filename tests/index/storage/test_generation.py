"""A collection's generation moves with every write, once per batch, after the batch's commit."""

from __future__ import annotations

import pytest

from index.storage import generation
from index.storage.generation import Delta
from index.storage.store import StoredChunk, open_store
from index.types import Chunk
from tests.fakes import hash_vector


def _store(tmp_path, name="reports"):
    return open_store(
        index_dir=tmp_path, url=None, collection=name, embedder_name="fake", create=True
    )


def _chunk(i: int) -> StoredChunk:
    text = f"chunk number {i} about harbours"
    chunk = Chunk(f"c{i:03d}", "a1", text, text, "f.txt", "Harbours", path="/f.txt")
    return StoredChunk(chunk, text.split(), "h1")


def _put(store, *numbers):
    items = [_chunk(i) for i in numbers]
    store.upsert(items, [hash_vector(s.chunk.text) for s in items])


def test_generation__every_write_moves_it_and_keeps_the_embedder(tmp_path):
    store = _store(tmp_path)
    seen = [store.generation()]
    assert seen[0] == generation.NONE
    _put(store, 1, 2)
    seen.append(store.generation())
    store.set_file_hash(["c001"], "h2")
    seen.append(store.generation())
    store.delete(["c002"])
    seen.append(store.generation())
    assert [generation.counter(g) for g in seen] == [0, 1, 2, 3]
    assert len(set(seen)) == 4
    again = _store(tmp_path)  # another process opening the collection
    assert again.generation() == seen[-1] and again.embedder_name == "fake"


def test_writing__one_move_per_batch_after_the_commit_saw_the_batch(tmp_path):
    store = _store(tmp_path)
    _put(store, 1, 2, 3)
    base = store.generation()
    commits: list[tuple[str, str, Delta, str]] = []

    def commit(old: str, new: str, delta: Delta) -> None:
        commits.append((old, new, delta, store.generation()))

    with store.generations.writing(commit):
        _put(store, 4)
        store.delete(["c001"])
        _put(store, 1)  # deleted then put again: put
        store.delete(["c002"])
        store.set_file_hash(["c003"], "h9")
        assert store.generation() == base  # nothing moves inside the batch
    ((old, new, delta, during_commit),) = commits
    assert old == base and during_commit == base and store.generation() == new
    assert generation.counter(new) == generation.counter(base) + 1
    assert sorted(delta.put) == ["c001", "c004"] and delta.deleted == {"c002"}
    before = [(f"c00{i}", "t", {"file_hash": "h1"}) for i in (1, 2, 3)]
    assert [(r[0], r[2]["file_hash"]) for r in delta.apply(before)] == [
        ("c001", "h1"),
        ("c003", "h9"),
        ("c004", "h1"),
    ]


def test_writing__an_empty_batch_moves_nothing_and_a_failed_commit_still_moves_it(tmp_path):
    store = _store(tmp_path)
    base = store.generation()
    with store.generations.writing(lambda *a: pytest.fail("nothing was written")):
        pass
    assert store.generation() == base

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    with store.generations.writing(broken):
        _put(store, 1)
    assert generation.counter(store.generation()) == 1  # readers rebuild instead


def test_writing__a_writer_that_stamped_meanwhile_makes_the_commit_read_chroma(tmp_path):
    store, other = _store(tmp_path), _store(tmp_path)
    _put(store, 1)
    bases: list[str | None] = []
    with store.generations.writing(lambda base, new, delta: bases.append(base)):
        _put(store, 2)
        _put(other, 3)  # another worker, stamped at once
    assert bases == [None] and generation.counter(store.generation()) == 3
