"""Filters two ways: the in-memory mask must select what Chroma's `where` clause selects. The
clause is evaluated here over the metadata the store writes, so no Chroma is needed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from index.storage.metadata import chunk_metadata
from index.types import Chunk
from rag.retrieval.filters import FilterColumns, allowed_mask, chroma_where
from rag.types import Filters
from tests.support import PUBLISHERS


def _chunk(cid: str, publisher: str | None, published: datetime | None, file: str) -> Chunk:
    return Chunk(cid, f"a-{cid}", "text", "text", file, "title", publisher=publisher,
                 published=published)  # fmt: skip


CHUNKS = [
    _chunk("kr-july", "3 6 Ke", datetime(2025, 7, 3, 9, 30), "a.txt"),
    _chunk("kr-dec", "36Kr", datetime(2025, 12, 24, 23, 59), "b.txt"),
    _chunk("rmrb", "Ren Min Ri Bao", datetime(2025, 8, 1, 8, 0), "a.txt"),
    _chunk("overseas", "Ren Min Ri Bao Hai Wai Ban", datetime(2025, 9, 9), "b.txt"),
    _chunk("undated", "Di Yi Cai Jing", None, "c.txt"),
    _chunk("nobody", None, datetime(2025, 8, 2), "c.txt"),
]
COLUMNS = FilterColumns.of(CHUNKS)

OPS = {
    "$in": lambda value, arg: value in arg,
    "$gte": lambda value, arg: value >= arg,
    "$lte": lambda value, arg: value <= arg,
    "$gt": lambda value, arg: value > arg,
}


def _matches(where: dict[str, Any], meta: dict[str, Any]) -> bool:
    """Chroma's meaning of the clauses `chroma_where` writes."""
    if "$and" in where:
        return all(_matches(clause, meta) for clause in where["$and"])
    ((field, condition),) = where.items()
    ((op, arg),) = condition.items()
    return OPS[op](meta[field], arg)


def _chroma_selects(filters: Filters) -> list[str]:
    where = chroma_where(filters, PUBLISHERS)
    assert where is not None
    metas = [chunk_metadata(c, [], "") for c in CHUNKS]
    return [c.chunk_id for c, m in zip(CHUNKS, metas, strict=True) if _matches(where, m)]


def _mask_selects(filters: Filters) -> list[str]:
    mask = allowed_mask(COLUMNS, filters, PUBLISHERS)
    assert mask is not None
    return [c.chunk_id for c, keep in zip(CHUNKS, mask, strict=True) if keep]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(publishers=("36氪",)), ["kr-july", "kr-dec"]),
        (Filters(publishers=("People's Daily",)), ["rmrb"]),  # not its Overseas Edition
        (Filters(publishers=("36Kr", "Yicai")), ["kr-july", "kr-dec", "undated"]),
        (Filters(publishers=("no such publisher",)), []),
        (Filters(files=("a.txt", "c.txt")), ["kr-july", "rmrb", "undated", "nobody"]),
        (Filters(date_from=date(2025, 8, 1)), ["kr-dec", "rmrb", "overseas", "nobody"]),
        (Filters(date_to=date(2025, 8, 1)), ["kr-july", "rmrb"]),  # undated is no match
        (Filters(date_from=date(2025, 12, 24), date_to=date(2025, 12, 24)), ["kr-dec"]),
        (Filters(publishers=("36Kr",), files=("b.txt",)), ["kr-dec"]),
        (Filters(files=("c.txt",), date_to=date(2026, 1, 1)), ["nobody"]),
    ],
)
def test_allowed_mask__selects_what_chromas_where_selects(filters, expected):
    assert _mask_selects(filters) == expected
    assert _chroma_selects(filters) == expected


def test_no_filters__neither_a_clause_nor_a_mask():
    for filters in (None, Filters()):
        assert chroma_where(filters, PUBLISHERS) is None
        assert allowed_mask(COLUMNS, filters, PUBLISHERS) is None


def test_chroma_where__one_condition_is_not_wrapped_in_and():
    assert chroma_where(Filters(files=("a.txt",)), PUBLISHERS) == {"file": {"$in": ["a.txt"]}}
    where = chroma_where(Filters(date_to=date(2025, 8, 1)), PUBLISHERS)
    assert where == {"$and": [{"published_day": {"$lte": 20250801}}, {"published_day": {"$gt": 0}}]}


def test_filter_columns__of_no_chunks_masks_nothing():
    mask = allowed_mask(FilterColumns.of([]), Filters(publishers=("36Kr",)), PUBLISHERS)
    assert mask is not None and mask.shape == (0,)
