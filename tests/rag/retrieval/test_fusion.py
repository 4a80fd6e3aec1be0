"""Relative-score fusion as a pure function: per-retriever hits in, fused and raw scores out."""

from __future__ import annotations

import pytest

from index.types import Chunk
from rag.retrieval.fusion import Fused, Run, boost, fuse


def _chunk(cid: str) -> Chunk:
    return Chunk(cid, f"article-{cid}", cid, cid, "f.txt", "title")


A, B, C, D = map(_chunk, "abcd")
DENSE = Run("dense", 1.0, [(A, 0.9), (B, 0.8), (C, 0.7)], min_max=True)
KEYWORD = Run("keyword", 0.8, [(B, 10.0), (D, 5.0)])


def test_fuse__dense_min_max_plus_keyword_scaled_by_its_top():
    fused = fuse([DENSE, KEYWORD])
    # dense: (s - 0.7) / (0.9 - 0.7); keyword: s / 10; weighted 1.0 and 0.8
    assert fused.scores == pytest.approx({"a": 1.0, "b": 0.5 + 0.8, "c": 0.0, "d": 0.8 * 0.5})
    assert fused.sources == {
        "a": {"dense": 0.9},
        "b": {"dense": 0.8, "keyword": 10.0},
        "c": {"dense": 0.7},
        "d": {"keyword": 5.0},
    }
    assert fused.chunks == {"a": A, "b": B, "c": C, "d": D}


def test_fused_ranked__best_first_rounded_with_raw_scores():
    ranked = fuse([DENSE, KEYWORD]).ranked()
    assert [(h.item.chunk_id, h.score) for h in ranked] == [
        ("b", 1.3), ("a", 1.0), ("d", 0.4), ("c", 0.0),
    ]  # fmt: skip
    assert ranked[0].sources == {"dense": 0.8, "keyword": 10.0}


def test_fused_ranked__ties_go_by_chunk_id():
    fused = fuse([Run("keyword", 1.0, [(D, 2.0), (B, 2.0), (C, 2.0)])])
    assert [h.item.chunk_id for h in fused.ranked()] == ["b", "c", "d"]


def test_fuse__a_run_whose_hits_score_alike_scales_them_to_one():
    fused = fuse([Run("dense", 0.5, [(A, 0.8), (B, 0.8)], min_max=True)])
    assert fused.scores == {"a": 0.5, "b": 0.5}


def test_fuse__empty_runs_add_nothing():
    assert fuse([Run("dense", 1.0, [], min_max=True), Run("keyword", 0.8, [])]) == Fused()
    assert fuse([KEYWORD, Run("dense", 1.0, [], min_max=True)]) == fuse([KEYWORD])


def test_fuse__raw_scores_are_rounded_to_four_places():
    fused = fuse([Run("dense", 1.0, [(A, 0.876543), (B, 0.7)], min_max=True)])
    assert fused.sources["a"] == {"dense": 0.8765}
    assert fused.scores["a"] == 1.0  # scaled from the unrounded score


def test_boost__narrower_pass_takes_the_better_score_plus_the_bonus():
    base = fuse([DENSE, KEYWORD])
    within = fuse([Run("dense", 1.0, [(C, 0.6), (D, 0.2)], min_max=True)])
    out = boost(base, within, 0.5)
    assert out.scores == pytest.approx(
        {"a": 1.0, "b": 1.3, "c": max(0.0, 1.0) + 0.5, "d": max(0.4, 0.0) + 0.5}
    )
    assert out.sources["c"] == {"dense": 0.6}  # the narrower pass's raw score replaces it
    assert out.sources["d"] == {"keyword": 5.0, "dense": 0.2}
    assert base.scores["c"] == 0.0 and base.sources["d"] == {"keyword": 5.0}  # base untouched


def test_fuse__a_chunk_only_the_second_vector_set_finds_enters_with_its_source():
    second = Run("second", 1.0, [(D, 0.6), (A, 0.4)], min_max=True)
    fused = fuse([DENSE, KEYWORD, second])
    ranked = fused.ranked()
    assert {"second"} == set(next(s.sources for s in ranked if s.item is D)) - {"keyword"}
    assert fused.scores[A.chunk_id] == 1.0 + 0.0  # dense best, second's worst (min-max)
