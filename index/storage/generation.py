"""A collection's generation: a value in Chroma, next to the chunks, that every write moves.

Each process that searches a collection keeps the generation its keyword index was built at,
and reads Chroma's now and then (`rag.retrieval.corpus`): when it moved, another process (or
this one) wrote, and the keyword index is loaded again. The value lives in the collection's
own metadata (beside `embedder`), so every worker of a Chroma server sees the same one.

A generation is `<counter>-<random>`: the counter counts writes for people reading it (`GET
/health`), the random part makes two writers that bump at the same moment still leave a value
that no reader has seen, so neither write is missed. It is also a folder name
(`index.storage.snapshot`).

A `Delta` is what one batch of writes changed (chunks put, ids deleted, file hashes updated):
the writer applies it to the saved keyword index of the generation it started from.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Row = tuple[str, str, dict[str, Any]]  # chunk id, text, metadata: one chunk as Chroma holds it

KEY = "generation"
NONE = "0-0"  # a collection no write has stamped yet (built before generations existed)


def counter(generation: str) -> int:
    head = generation.partition("-")[0]
    return int(head) if head.isdigit() else 0


def after(generation: str) -> str:
    """The generation a write moves `generation` to."""
    return f"{counter(generation) + 1}-{secrets.token_hex(4)}"


def of(metadata: dict[str, Any] | None) -> str:
    """The generation recorded in a collection's metadata."""
    value = (metadata or {}).get(KEY)
    return value if isinstance(value, str) and value else NONE


@dataclass
class Delta:
    """The writes of one batch, as rows to put and ids to drop (the last write of an id wins)."""

    put: dict[str, Row] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    hashes: dict[str, str] = field(default_factory=dict)  # id -> new file hash

    def __bool__(self) -> bool:
        return bool(self.put or self.deleted or self.hashes)

    def upserted(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.put[row[0]] = row
            self.deleted.discard(row[0])

    def dropped(self, ids: Sequence[str]) -> None:
        for chunk_id in ids:
            self.put.pop(chunk_id, None)
            self.deleted.add(chunk_id)

    def rehashed(self, ids: Sequence[str], file_hash: str) -> None:
        for chunk_id in ids:
            self.hashes[chunk_id] = file_hash

    def apply(self, rows: Iterable[Row]) -> list[Row]:
        """`rows` with this batch's writes, sorted by chunk id (the store's own order)."""
        out = {r[0]: r for r in rows if r[0] not in self.deleted}
        out.update(self.put)
        for chunk_id, file_hash in self.hashes.items():
            if chunk_id in out:
                cid, text, meta = out[chunk_id]
                out[chunk_id] = (cid, text, {**meta, "file_hash": file_hash})
        return [out[k] for k in sorted(out)]


# what a batch of writes runs before its generation is stamped: commit(base, new, delta), base
# None when another writer moved the generation meanwhile
Commit = Callable[[str | None, str, Delta], None]


class Generations:
    """The generation of one Chroma collection: read it, and move it after writes."""

    def __init__(
        self, collection: Any, client: Any, trouble: Callable[[str], AbstractContextManager[None]]
    ) -> None:
        self._col = collection
        self._client = client  # reads the metadata afresh: the collection object caches it
        self._trouble = trouble  # Chroma's errors as the store's domain errors
        self._delta: Delta | None = None  # the open `writing()` batch

    def current(self) -> str:
        with self._trouble("reading the generation"):
            return of(self._metadata())

    @contextmanager
    def writing(self, commit: Commit | None = None) -> Iterator[Delta]:
        """A batch of writes that moves the generation once, at its end (even when it fails
        half-way): `commit(base, new, delta)` runs first (the keyword index of the new
        generation is saved there), then the new generation is stamped, so a reader that sees
        it finds its keyword index. A commit that fails is logged; readers rebuild instead.
        Chroma has no compare-and-set: two writers that stamp within the same few milliseconds
        may leave a copy that lacks one batch (README, "Deployment")."""
        base = self.current()
        self._delta = delta = Delta()
        try:
            yield delta
        finally:
            self._delta = None
            if delta:
                # another writer stamped during this batch: its copy lacks this batch and this
                # batch's base copy lacks its writes, so the commit reads Chroma instead
                now = self.current()
                new = after(now)
                try:
                    if commit is not None:
                        commit(base if now == base else None, new, delta)
                except Exception as err:
                    log.warning("could not save the keyword index of %s: %s", self._col.name, err)
                self._stamp(new)

    def wrote(self, record: Callable[[Delta], None]) -> None:
        """After a write: into the open batch, or else the generation moves now."""
        if self._delta is not None:
            record(self._delta)
        else:
            self._stamp(after(self.current()))

    def _stamp(self, value: str) -> None:
        with self._trouble("writing the generation"):
            self._col.modify(metadata={**self._metadata(), KEY: value})

    def _metadata(self) -> dict[str, Any]:
        if self._client is None:
            return dict(self._col.metadata or {})
        return dict(
            self._client.get_collection(self._col.name, embedding_function=None).metadata or {}
        )
