"""At most a few chunks per article, so one long article cannot fill every place."""

from __future__ import annotations

from collections.abc import Iterable

from index.types import Chunk, Scored


def cap_per_article(
    ranked: Iterable[Scored[Chunk]], per_article: int, k: int
) -> list[Scored[Chunk]]:
    """The first `k` of `ranked` (best first), skipping chunks of an article that already has
    `per_article` chunks above them; rank order and scores are kept."""
    out: list[Scored[Chunk]] = []
    taken: dict[str, int] = {}
    for hit in ranked:
        article = hit.item.article_id
        if taken.get(article, 0) >= per_article:
            continue
        taken[article] = taken.get(article, 0) + 1
        out.append(hit)
        if len(out) >= k:
            break
    return out
