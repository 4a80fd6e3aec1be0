"""Filters (publisher, file, date range) two ways that must agree: a Chroma `where` clause, and
a boolean mask over the chunks the retriever holds in memory.

Both compare the encodings the store writes (`index.storage.metadata`): normalised publisher names
and the published day as YYYYMMDD, 0 when undated. An undated chunk matches no date range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.publishers import Publishers, normalise_publisher
from index.storage.metadata import published_day
from index.types import Chunk
from rag.types import Filters


def _publisher_keys(names: Iterable[str], table: Publishers) -> set[str]:
    """Every normalised name of the publishers a filter names."""
    return set().union(*map(table.keys_for, names))


def chroma_where(filters: Filters | None, table: Publishers) -> dict[str, object] | None:
    """Filters as a Chroma `where` clause (None when there is nothing to filter)."""
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict[str, object]] = []
    if filters.publishers:
        clauses.append(
            {"publisher_norm": {"$in": sorted(_publisher_keys(filters.publishers, table))}}
        )
    if filters.files:
        clauses.append({"file": {"$in": list(filters.files)}})
    if filters.date_from:
        clauses.append({"published_day": {"$gte": published_day(filters.date_from)}})
    if filters.date_to:  # undated chunks (day 0) match no date range
        clauses.append({"published_day": {"$lte": published_day(filters.date_to)}})
        clauses.append({"published_day": {"$gt": 0}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class _Codes:
    """A string column as integer codes, so `isin` compares integers, not Python strings."""

    def __init__(self, values: list[str]) -> None:
        self.vocabulary: dict[str, int] = {}
        self.codes = np.array(
            [self.vocabulary.setdefault(v, len(self.vocabulary)) for v in values], dtype=np.int32
        )

    def isin(self, wanted: Iterable[str]) -> np.ndarray:
        return np.isin(self.codes, [self.vocabulary[w] for w in wanted if w in self.vocabulary])


@dataclass(frozen=True)
class FilterColumns:
    """The filterable fields of every in-memory chunk as arrays, built once per refresh, so a
    filter costs a few vector comparisons, not a Python loop over the corpus."""

    publisher: _Codes  # normalised publisher names
    file: _Codes
    day: np.ndarray  # YYYYMMDD, 0 when undated

    @classmethod
    def of(cls, chunks: list[Chunk]) -> FilterColumns:
        return cls(
            _Codes([normalise_publisher(c.publisher or "") for c in chunks]),
            _Codes([c.file for c in chunks]),
            np.array([published_day(c.published) for c in chunks], dtype=np.int64),
        )


def allowed_mask(
    columns: FilterColumns, filters: Filters | None, table: Publishers
) -> np.ndarray | None:
    """The same filters as `chroma_where`, as a boolean mask over in-memory chunks (None when
    there is nothing to filter)."""
    if filters is None or filters.is_empty():
        return None
    mask = np.ones(len(columns.day), dtype=bool)
    if filters.publishers:
        mask &= columns.publisher.isin(_publisher_keys(filters.publishers, table))
    if filters.files:
        mask &= columns.file.isin(filters.files)
    if filters.date_from:
        mask &= columns.day >= published_day(filters.date_from)
    if filters.date_to:
        mask &= (columns.day > 0) & (columns.day <= published_day(filters.date_to))
    return mask
