"""Saved keyword indexes: what is saved loads back the same, and anything else is an error the
retriever turns into a rebuild (never a crash)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from index.storage import snapshot
from index.storage.keyword import KeywordIndex
from index.storage.snapshot import SnapshotError
from index.text.tokenize import tokenize

TEXTS = [
    "郑州日均开机短剧近百部",
    "Xi'an has over 600 micro-drama companies",
    "Hengdian 2,300 crews",
]
ROWS = [
    (f"id{i}", text, {"tokens": " ".join(tokenize(text)), "n": i}) for i, text in enumerate(TEXTS)
]


def _index() -> KeywordIndex:
    return KeywordIndex([row[2]["tokens"].split() for row in ROWS])


def test_save_then_load__gives_the_rows_and_the_same_scores(tmp_path):
    snapshot.save(tmp_path, "3-abcd", ROWS, _index())
    rows, index = snapshot.load(tmp_path, "3-abcd", tokens=True)
    assert rows == ROWS
    bare, _ = snapshot.load(tmp_path, "3-abcd")  # a reader's: no tokens to parse
    assert bare == [(i, t, {k: v for k, v in m.items() if k != "tokens"}) for i, t, m in ROWS]
    query = tokenize("郑州 companies crews")
    assert np.allclose(index.scores(query), _index().scores(query))
    assert index.search(tokenize("Xi'an companies"), 1)[0][0] == 1


def test_save__an_empty_collection_loads_as_an_empty_index(tmp_path):
    snapshot.save(tmp_path, "1-0000", [], KeywordIndex([]))
    rows, index = snapshot.load(tmp_path, "1-0000")
    assert rows == [] and index.size == 0 and index.search(["x"], 3) == []


def test_load__another_generation_is_missing(tmp_path):
    snapshot.save(tmp_path, "3-abcd", ROWS, _index())
    with pytest.raises(SnapshotError, match="no saved keyword index"):
        snapshot.load(tmp_path, "4-ffff")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "rows.json").write_bytes(b"[[1, 2"),
        lambda d: (d / "rows.json").write_bytes(b"[]"),
        lambda d: (d / "tokens.json").write_bytes(b"[]"),
        lambda d: (d / "manifest.json").write_text("{not json"),
        lambda d: (d / "bm25" / "params.index.json").unlink(),
        lambda d: (d / "bm25" / "data.csc.index.npy").write_bytes(b"\x93NUMPY garbage"),
    ],
    ids=[
        "truncated rows",
        "rows missing",
        "tokens missing",
        "bad manifest",
        "bm25 params gone",
        "bm25 garbage",
    ],
)
def test_load__a_damaged_copy_is_a_snapshot_error(tmp_path, damage):
    saved = snapshot.save(tmp_path, "3-abcd", ROWS, _index())
    damage(saved)
    with pytest.raises(SnapshotError):
        snapshot.load(tmp_path, "3-abcd", tokens=True)


def test_save__keeps_the_first_copy_of_a_generation_and_prunes_old_ones(tmp_path):
    first = snapshot.save(tmp_path, "1-aaaa", ROWS, _index())
    assert snapshot.save(tmp_path, "1-aaaa", ROWS[:1], _index()) == first  # another writer
    assert len(snapshot.load(tmp_path, "1-aaaa")[0]) == len(ROWS)
    abandoned = tmp_path / ".tmp-2-dead-1-1"
    abandoned.mkdir()
    os.utime(abandoned, (1000, 1000))  # a writer that died long ago
    for n in [12, 2, 3, 11, 4]:
        snapshot.save(tmp_path, f"{n}-aaaa", ROWS, _index())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["11-aaaa", "12-aaaa", "4-aaaa"]
