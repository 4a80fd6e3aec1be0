"""A second vector set: the store's chunks embedded by a second model, in a collection of their
own, kept in step with the first collection after each indexing run.

In step means the same chunk ids: a chunk the first collection holds and the second lacks is
embedded and written; one the second holds and the first no longer does is deleted. So the sync is
incremental (only missing chunks are embedded), idempotent, and completes a run killed half way,
or an index built before the second set was configured. The set itself (`VectorSet`, a collection
and its model) is given to the first collection's `ChromaStore` at construction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from index.storage.store import ChromaStore, VectorSet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Synced:
    embedded: int
    removed: int


def sync(first: ChromaStore, second: VectorSet, batch_size: int = 32) -> Synced:
    """Bring `second` to hold exactly the chunks of `first`, each embedded by its own model."""
    wanted = first.ids()
    held = second.store.ids()
    missing = sorted(wanted - held)
    stale = sorted(held - wanted)
    embedded = 0
    for start in range(0, len(missing), batch_size):
        batch = first.get(missing[start : start + batch_size])
        vectors = second.embedder.get_text_embedding_batch([s.chunk.embed_text for s in batch])
        second.store.upsert(batch, vectors)
        embedded += len(batch)
    second.store.delete(stale)
    if embedded or stale:
        log.info("second vector set: %d embedded, %d removed", embedded, len(stale))
    return Synced(embedded, len(stale))
