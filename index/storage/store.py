"""The Chroma collection that holds chunks, their vectors, tokens and provenance.

Embedded (a persistent client in a folder) or a Chroma server (by URL): same code otherwise.
Chroma never embeds: vectors always come from our embedder. The collection records which
embedding model built it, and refuses a different one. `second`: the same chunks embedded by a
second model in a collection of their own, given at construction (`VectorSet`; kept in step by
`index.storage.vectorsets.sync`). Every write moves the collection's generation
(`index.storage.generation`): once per write, or once per `writing()` batch.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import (
    EmbedderMismatchError,
    IndexNotBuiltError,
    RagIndexError,
    StoreUnavailableError,
)
from index.storage.chroma import connect, forget, trouble, unwritable
from index.storage.generation import Generations, Row
from index.storage.metadata import chunk_from, chunk_metadata
from index.types import Chunk

log = logging.getLogger(__name__)

PAGE = 5000  # rows per `get` page when reading the whole collection


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    tokens: list[str]
    file_hash: str


@dataclass(frozen=True)
class VectorSet:
    """The second collection and its model (anything with `get_text_embedding_batch` and
    `get_query_embedding`; the factory passes one built on first use)."""

    store: ChromaStore
    embedder: Any


class ChromaStore:
    """One collection. Build with `open_store`."""

    def __init__(
        self,
        collection: Any,
        where: str,
        *,
        remote: bool = False,
        client: Any = None,
        second: VectorSet | None = None,
    ) -> None:
        self._col = collection
        self._client = client  # reads the collection's metadata afresh (the generation)
        self.where = where  # a folder or URL, for messages
        self.remote = remote
        self._second = second
        self.generations = Generations(collection, client, self._trouble)

    @property
    def second(self) -> VectorSet | None:
        """The second vector set, when one was given."""
        return self._second

    def with_second(self, second: VectorSet) -> ChromaStore:
        """The same collection with a second vector set (`open_store` opens one collection: the
        factory opens the first, then the second, then pairs them). Before any write: a batch
        in progress (`generations.writing()`) is not carried over."""
        return ChromaStore(
            self._col, self.where, remote=self.remote, client=self._client, second=second
        )

    @property
    def name(self) -> str:
        return str(self._col.name)

    def generation(self) -> str:
        """The collection's generation as Chroma holds it now (one small read)."""
        return self.generations.current()

    def _trouble(self, doing: str) -> AbstractContextManager[None]:
        return trouble(self.where, self.remote, doing)

    @property
    def embedder_name(self) -> str | None:
        return (self._col.metadata or {}).get("embedder")

    def check_embedder(self, name: str) -> None:
        built_with = self.embedder_name
        if built_with and built_with != name:
            raise EmbedderMismatchError(
                f"the index at {self.where} was built with embedding model {built_with!r}, "
                f"but {name!r} is configured. Rebuild it with `rag index --rebuild`, "
                f"or configure the model it was built with."
            )

    def count(self) -> int:
        with self._trouble("counting chunks"):
            return int(self._col.count())

    def upsert(self, items: Sequence[StoredChunk], vectors: Sequence[Sequence[float]]) -> None:
        if not items:
            return
        metadatas = [chunk_metadata(s.chunk, s.tokens, s.file_hash) for s in items]
        with self._trouble("writing chunks"):
            self._col.upsert(
                ids=[s.chunk.chunk_id for s in items],
                embeddings=[list(v) for v in vectors],
                documents=[s.chunk.text for s in items],
                metadatas=metadatas,
            )
        rows = [(s.chunk.chunk_id, s.chunk.text, m) for s, m in zip(items, metadatas, strict=True)]
        self.generations.wrote(lambda delta: delta.upserted(rows))

    def set_file_hash(self, ids: Sequence[str], file_hash: str) -> None:
        if ids:
            with self._trouble("writing chunks"):
                self._col.update(ids=list(ids), metadatas=[{"file_hash": file_hash}] * len(ids))
            self.generations.wrote(lambda delta: delta.rehashed(ids, file_hash))

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        for start in range(0, len(ids), PAGE):
            with self._trouble("deleting chunks"):
                self._col.delete(ids=list(ids[start : start + PAGE]))
        self.generations.wrote(lambda delta: delta.dropped(ids))

    def manifest(self) -> dict[str, dict[str, str]]:
        """{path: {chunk_id: file_hash}} for everything in the collection."""
        out: dict[str, dict[str, str]] = {}
        for chunk_id, meta in self.metadatas():
            out.setdefault(meta["path"], {})[chunk_id] = meta.get("file_hash", "")
        return out

    def metadatas(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(chunk id, stored metadata) of every chunk, page by page."""
        for ids, _docs, metas in self._pages(["metadatas"]):
            yield from zip(ids, metas, strict=True)

    def ids(self) -> set[str]:
        """Every chunk id in the collection."""
        return {i for ids, _docs, _metas in self._pages([]) for i in ids}

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks of these ids (those that exist), in one read: pass a batch."""
        with self._trouble("reading chunks"):
            res = self._col.get(ids=list(ids), include=["metadatas", "documents"])
        return list(map(_stored, res["ids"], res["documents"], res["metadatas"]))

    def around(self, chunk: Chunk, n: int) -> list[Chunk]:
        """The chunks of `chunk`'s article within `n` positions of it (itself too), in order."""
        where = {
            "$and": [
                {"article_id": chunk.article_id},
                {"position": {"$gte": chunk.position - n}},
                {"position": {"$lte": chunk.position + n}},
            ]
        }
        with self._trouble("reading chunks"):
            res = self._col.get(where=where, include=["metadatas", "documents"])
        found = map(_stored, res["ids"], res["documents"], res["metadatas"])
        return sorted((s.chunk for s in found), key=lambda c: (c.position, c.chunk_id))

    def all_chunks(self) -> list[StoredChunk]:
        return [_stored(*row) for row in self.rows()]

    def rows(self) -> list[Row]:
        """Every chunk as Chroma holds it (id, text, metadata), sorted by chunk id."""
        out = [
            (chunk_id, doc or "", meta)
            for ids, docs, metas in self._pages(["metadatas", "documents"])
            for chunk_id, doc, meta in zip(ids, docs, metas, strict=True)
        ]
        out.sort(key=lambda row: row[0])
        return out

    def query(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity (1 - distance), best first."""
        n = min(n, self.count())
        if n <= 0:
            return []
        with self._trouble("searching"):
            res = self._col.query(
                query_embeddings=[list(vector)],
                n_results=n,
                where=where or None,
                include=["metadatas", "documents", "distances"],
            )
        return [
            (chunk_from(i, d or "", m), 1.0 - float(dist))
            for i, d, m, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def nearest(self, vector: Sequence[float], n: int) -> list[tuple[str, float]]:
        """Ids of the nearest chunks with cosine similarity, best first: no documents or
        metadata fetched, for callers that hold the chunks already. Chroma caps n at the
        collection's size, so n is not checked against `count()` (a query of its own)."""
        if n <= 0:
            return []
        with self._trouble("searching"):
            res = self._col.query(
                query_embeddings=[list(vector)], n_results=n, include=["distances"]
            )
        return [
            (i, 1.0 - float(dist))
            for i, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def _pages(self, include: list[str]) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
        offset = 0
        while True:
            with self._trouble("reading chunks"):
                res = self._col.get(include=include, limit=PAGE, offset=offset)
            ids = res["ids"]
            if not ids:
                return
            docs = res.get("documents") or [None] * len(ids)
            yield ids, docs, res.get("metadatas") or [{}] * len(ids)
            offset += len(ids)


def _stored(chunk_id: str, doc: str | None, meta: dict[str, Any]) -> StoredChunk:
    return StoredChunk(
        chunk_from(chunk_id, doc or "", meta),
        str(meta.get("tokens", "")).split(),
        meta.get("file_hash", ""),
    )


def open_store(
    *,
    index_dir: Path | None,
    url: str | None,
    collection: str,
    embedder_name: str,
    create: bool,
    rebuild: bool = False,
) -> ChromaStore:
    """Open (or create) the collection. `create=False` fails clearly when there is no index."""
    args = (index_dir, url, collection, embedder_name, create, rebuild)
    folder = None if url or index_dir is None else index_dir / "chroma"
    try:
        return _open(*args)
    except RagIndexError:
        raise
    except Exception as err:
        if folder is None:
            raise StoreUnavailableError(
                f"the Chroma server at {url} failed ({type(err).__name__}: {err})"
            ) from err
        forget(folder)
        if unwritable(err):
            raise StoreUnavailableError(
                f"cannot write the index at {index_dir} ({err}). Make it writable "
                "(or point RAG_INDEX_DIR at a writable folder)."
            ) from err
        if not rebuild:
            raise StoreUnavailableError(
                f"the index at {index_dir} is damaged ({type(err).__name__}: {err}). "
                f"Run `rag index --rebuild` to build it afresh (it removes {folder})."
            ) from err
        log.warning("the index at %s is damaged (%s): building it afresh", index_dir, err)
        shutil.rmtree(folder)
    return _open(*args)


def _open(
    index_dir: Path | None,
    url: str | None,
    collection: str,
    embedder_name: str,
    create: bool,
    rebuild: bool,
) -> ChromaStore:
    client, where = connect(index_dir, url)
    existing = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    if rebuild and collection in existing:
        client.delete_collection(collection)
        existing.discard(collection)
    if collection not in existing and not create:
        raise IndexNotBuiltError(f"no index at {where} - run `rag index` first")
    col = client.get_or_create_collection(
        collection,
        metadata={"embedder": embedder_name},
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=None,
    )
    store = ChromaStore(col, where, remote=bool(url), client=client)
    store.check_embedder(embedder_name)
    return store
