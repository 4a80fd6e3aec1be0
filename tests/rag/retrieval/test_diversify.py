"""The per-article cap: at most N chunks of an article, in rank order, k in all."""

from __future__ import annotations

from index.types import Chunk, Scored
from rag.retrieval.diversify import cap_per_article


def _hit(cid: str, article: str, score: float) -> Scored[Chunk]:
    chunk = Chunk(cid, article, cid, cid, "f.txt", "title")
    return Scored(chunk, score, {"dense": score})


RANKED = [
    _hit("x1", "x", 0.9),
    _hit("x2", "x", 0.8),
    _hit("x3", "x", 0.7),
    _hit("y1", "y", 0.6),
    _hit("x4", "x", 0.5),
    _hit("z1", "z", 0.4),
    _hit("y2", "y", 0.3),
    _hit("y3", "y", 0.2),
]


def _ids(hits: list[Scored[Chunk]]) -> list[str]:
    return [h.item.chunk_id for h in hits]


def test_cap_per_article__keeps_at_most_n_per_article_in_rank_order():
    assert _ids(cap_per_article(RANKED, 2, 10)) == ["x1", "x2", "y1", "z1", "y2"]
    assert _ids(cap_per_article(RANKED, 1, 10)) == ["x1", "y1", "z1"]


def test_cap_per_article__stops_at_k():
    assert _ids(cap_per_article(RANKED, 2, 3)) == ["x1", "x2", "y1"]
    assert _ids(cap_per_article(RANKED, 8, 4)) == ["x1", "x2", "x3", "y1"]


def test_cap_per_article__keeps_the_hits_as_they_were():
    capped = cap_per_article(RANKED, 2, 10)
    assert all(hit in RANKED for hit in capped)
    assert [h.score for h in capped] == [0.9, 0.8, 0.6, 0.4, 0.3]


def test_cap_per_article__takes_any_iterable_and_nothing_gives_nothing():
    assert _ids(cap_per_article(iter(RANKED), 1, 2)) == ["x1", "y1"]
    assert cap_per_article([], 2, 5) == []
