"""What the retriever holds in memory for one collection at one generation: its chunks, their
filter columns and the BM25 index, loaded from the saved copy (`index.storage.snapshot`) or rebuilt
from Chroma when there is none, and kept fresh as other processes write.

    loader = CorpusLoader(store, folder)     # folder: <index dir>/collections/<name>/keyword
    corpus = loader.load()                   # the saved copy of Chroma's generation, else Chroma
    with store.generations.writing(loader.commit):   # a writer saves the next one, then stamps it
        index_paths(...)

`Freshness` reads the generation at most every `check_s` seconds and swaps in a new corpus when
it moved, so every process searches what any process wrote within check_s plus a load.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from index.storage import snapshot
from index.storage.generation import Delta, Row
from index.storage.keyword import KeywordIndex
from index.storage.metadata import chunk_from
from index.storage.snapshot import SnapshotError
from index.storage.store import ChromaStore
from index.types import Chunk
from rag.retrieval.filters import FilterColumns

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Corpus:
    """One generation of a collection, as the retriever searches it. Never changed: a newer
    generation is a new Corpus, so a question reads one from start to end."""

    generation: str
    chunks: list[Chunk]
    row: dict[str, int]  # chunk id -> position in `chunks` (and in the keyword index)
    columns: FilterColumns
    keyword: KeywordIndex
    lang_share: dict[str, float]

    @classmethod
    def of(cls, generation: str, rows: list[Row], keyword: KeywordIndex | None = None) -> Corpus:
        """From rows sorted by chunk id; the keyword index is built unless given."""
        chunks = [chunk_from(*row) for row in rows]
        langs = Counter(c.lang for c in chunks)
        return cls(
            generation,
            chunks,
            {c.chunk_id: i for i, c in enumerate(chunks)},
            FilterColumns.of(chunks),
            keyword if keyword is not None else KeywordIndex([_tokens(r) for r in rows]),
            {lang: n / len(chunks) for lang, n in langs.items()},
        )

    @property
    def size(self) -> int:
        return len(self.chunks)


def _tokens(row: Row) -> list[str]:
    return str(row[2].get("tokens", "")).split()


class CorpusLoader:
    """Loads a collection's corpus; `folder` holds its saved copies (None: rebuild each time)."""

    def __init__(self, store: ChromaStore, folder: Path | None) -> None:
        self.store = store
        self.folder = folder

    def load(self) -> Corpus:
        """The corpus of the generation Chroma records now: its saved copy when there is one
        that holds as many chunks as Chroma, else rebuilt from Chroma (and saved)."""
        generation = self.store.generation()
        if self.folder is not None:
            try:
                rows, keyword = snapshot.load(self.folder, generation)
                if len(rows) == self.store.count():
                    return Corpus.of(generation, rows, keyword)
                log.warning(
                    "the saved keyword index of %s holds %d chunks, Chroma %d: rebuilding",
                    self.store.name,
                    len(rows),
                    self.store.count(),
                )
            except SnapshotError as err:
                log.info("%s: rebuilding the keyword index from Chroma", err)
                snapshot.discard(self.folder, generation)  # a damaged copy is saved afresh
        started = time.perf_counter()
        rows = self.store.rows()
        corpus = Corpus.of(generation, rows)
        log.info(
            "keyword index over %d chunks rebuilt from Chroma in %.1f s",
            corpus.size,
            time.perf_counter() - started,
        )
        self._save(generation, rows, corpus.keyword)
        return corpus

    def commit(self, base: str | None, new: str, delta: Delta) -> None:
        """A writer's hook (`ChromaStore.generations.writing`): save the copy of `new`, the
        copy of `base` with `delta` applied (or, without one, or with no `base` because
        another writer stamped meanwhile, the chunks Chroma now holds)."""
        if self.folder is None:
            return
        try:
            if base is None:
                raise SnapshotError("another writer moved the generation")
            rows = delta.apply(snapshot.load(self.folder, base, tokens=True)[0])
        except SnapshotError:
            rows = self.store.rows()  # the writes are in: Chroma holds `new` already
        self._save(new, rows, KeywordIndex([_tokens(r) for r in rows]))

    def _save(self, generation: str, rows: list[Row], keyword: KeywordIndex) -> None:
        if self.folder is None:
            return
        try:
            snapshot.save(self.folder, generation, rows, keyword)
        except OSError as err:  # serving goes on; the next process rebuilds too
            log.warning("could not save the keyword index in %s: %s", self.folder, err)


class Freshness:
    """The current corpus, reloaded when the collection's generation moves. The generation is
    read at most every `check_s` seconds (None: never); one caller reloads at a time while the
    others go on with the corpus they have."""

    def __init__(
        self,
        loader: CorpusLoader,
        check_s: float | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.loader = loader
        self.check_s = check_s
        self._clock = clock
        self._reloading = threading.Lock()
        self.corpus = loader.load()
        self._checked = clock()

    def reload(self) -> Corpus:
        with self._reloading:
            self.corpus = self.loader.load()
            self._checked = self._clock()
        return self.corpus

    def current(self) -> Corpus:
        """The corpus to search now (one read of the generation when check_s has passed)."""
        corpus = self.corpus
        if self.check_s is None or self._clock() - self._checked < self.check_s:
            return corpus
        if not self._reloading.acquire(blocking=False):
            return corpus
        try:
            self._checked = self._clock()
            if self.loader.store.generation() != corpus.generation:
                self.corpus = self.loader.load()
                log.info(
                    "collection %s moved to generation %s",
                    self.loader.store.name,
                    self.corpus.generation,
                )
        finally:
            self._reloading.release()
        return self.corpus


def writing(store: ChromaStore, folder: Path | None) -> ExitStack:
    """One batch of writes to `store` (and its second vector set): the collection's generation
    moves once, at the end, after the keyword index of the new generation is saved in `folder`,
    so that every process searching the collection finds it when it sees the generation move."""
    stack = ExitStack()
    stack.enter_context(store.generations.writing(CorpusLoader(store, folder).commit))
    if store.second is not None:
        stack.enter_context(store.second.store.generations.writing())
    return stack
