"""The library of collections: one service for the page, the HTTP API and the CLI.

    library = Library(Settings())
    library.add("行业报告", [("年报.txt", data)])     # one FileResult per file
    library.documents("行业报告")                     # DocumentInfo: id, file, pages, chunks, ...
    library.assistant("行业报告").ask("...")          # answers from that collection only

Each collection is its own Chroma collection (and keyword index); its uploads live in its own
folder (`index.storage.collections`). Assistants are cached per collection, share one embedder and
one LLM, and reload their keyword index after `add` and `remove`: in this process at once, in other
processes over the same Chroma when they see the collection's generation move (`rag.retrieval.
corpus`).
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from index.errors import IndexNotBuiltError
from index.indexer import IndexReport
from index.storage.chroma import collection_names, drop_collections
from index.storage.collections import (
    CollectionDir,
    UnknownCollectionError,
    check_name,
    chroma_name,
    is_second_set,
    recorded_name,
)
from index.storage.store import ChromaStore
from index.storage.uploads import is_inside, safe_file_name
from rag import factory
from rag.assistant import Assistant
from rag.catalog import CollectionInfo, DocumentInfo, FileResult, Passage, documents_of
from rag.corpus.profile import load_profile
from rag.errors import (
    CollectionExistsError,
    NotInCollectionError,
    RagError,
    UnknownDocumentError,
    UnknownPassageError,
)
from rag.settings import Settings
from rag.uploads import Progress, add_files

log = logging.getLogger(__name__)


class Library:
    """Named collections: list, add to, remove from, ask. Thread-safe."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        """`assistant` (over settings.collection) lends its models to the other collections'."""
        self.settings = settings
        self.default = settings.collection
        self._base = assistant
        self._assistants: dict[str, Assistant] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    # --- collections --------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        chroma = set(collection_names(self.settings.index_dir, self.settings.chroma_url))
        return chroma_name(name) in chroma

    def names(self) -> list[str]:
        """Every collection's name, the default first (it is listed even before it is built)."""
        chroma = collection_names(self.settings.index_dir, self.settings.chroma_url)
        every = set(chroma)
        names = [
            recorded_name(self.settings.index_dir, c) for c in chroma if not is_second_set(c, every)
        ]
        return [self.default, *sorted({n for n in names if n != self.default})]

    def collections(self) -> list[CollectionInfo]:
        out = []
        for name in self.names():
            docs = self.documents(name) if self.exists(name) else []
            chunks = sum(d.chunks for d in docs)
            out.append(CollectionInfo(name, len(docs), chunks, name == self.default))
        return out

    def create(self, name: str, profile: str | Path | None = None) -> CollectionInfo:
        """A new, empty collection answering with `profile`: a shipped profile's name, a
        profile file (read, checked and kept beside the collection), or None for the neutral
        profile. CollectionExistsError when it exists; ProfileError for a bad profile."""
        name = check_name(name)
        if self.exists(name):
            raise CollectionExistsError(
                f"collection {name!r} exists: `rag collections remove {name}` first, or add "
                "files to it"
            )
        folder = CollectionDir(self.settings.index_dir, name)
        if profile is None or (isinstance(profile, str) and not profile.endswith(".toml")):
            load_profile(profile or factory.NEUTRAL_PROFILE)  # a shipped one: checked by name
            record, text = str(profile or factory.NEUTRAL_PROFILE), None
        else:
            load_profile(Path(profile))  # ProfileError naming the file and what is wrong
            record, text = "file", Path(profile).read_text("utf-8")
        with self._lock_of(name):
            folder.create(record, text)
            factory.make_store(self.settings.with_overrides(collection=name), create=True)
            with self._lock:
                self._assistants.pop(name, None)
        return CollectionInfo(name, 0, 0, name == self.default)

    def remove_collection(self, name: str, *, force: bool = False) -> None:
        """Delete the collection's Chroma collections and its folder (its uploads). The default
        collection only with `force` (`rag index` builds it again from settings.corpus)."""
        name = check_name(name)
        if name == self.default and not force:
            raise RagError(
                f"{name!r} is the default collection: remove it with force "
                "(`rag collections remove NAME --force`); `rag index` builds it again"
            )
        self._known(name)
        chroma = chroma_name(name)
        every = collection_names(self.settings.index_dir, self.settings.chroma_url)
        doomed = [c for c in every if c == chroma or is_second_set(c, {chroma})]
        with self._lock_of(name):
            drop_collections(self.settings.index_dir, self.settings.chroma_url, doomed)
            shutil.rmtree(CollectionDir(self.settings.index_dir, name).root, ignore_errors=True)
            with self._lock:
                self._assistants.pop(name, None)
            if self._base is not None and name == self.default:
                self._base.forget_index()

    # --- documents ----------------------------------------------------------------------------
    def documents(self, name: str) -> list[DocumentInfo]:
        """The collection's documents by file name (none for a default collection not built)."""
        name = self._known(name)  # proves any other collection exists: ask Chroma once
        if name == self.default and not self.exists(name):
            return []
        return documents_of(self._store(name), CollectionDir(self.settings.index_dir, name).files)

    def add(
        self, name: str, uploads: list[tuple[str, bytes]], progress: Progress | None = None
    ) -> list[FileResult]:
        """Add uploaded files (name, bytes) to the collection `name`, created when new; one
        result per file, in order (see `rag.uploads`). `progress(done, total)` counts chunks."""
        name = check_name(name)
        assistant = self.assistant(name, create=True)
        folder = CollectionDir(self.settings.index_dir, name)
        with self._lock_of(name):
            folder.remember()
            existing = self.documents(name) if self.exists(name) else []

            step, on_total = _counting(progress)

            def index(paths: list[Path]) -> IndexReport:
                return assistant.index(paths, remember=False, progress=step, on_total=on_total)

            results = add_files(
                uploads,
                folder.files,
                existing,
                self.settings.max_file_bytes,
                index,
                lambda: self.documents(name),
            )
        return results

    def remove(self, name: str, doc_id: str) -> DocumentInfo:
        """Take a document out of the collection (and delete the file, if it was uploaded).
        A file indexed in place stays where it is: the next `rag index` of its folder brings it
        back, unless it is deleted or moved out of the folder first."""
        name = self._known(name)
        with self._lock_of(name):
            doc = next((d for d in self.documents(name) if d.id == doc_id), None)
            if doc is None:
                raise UnknownDocumentError(
                    f"no document {doc_id!r} in collection {name!r}: see `rag docs list`"
                )
            store = self._store(name)
            ids = list(store.manifest().get(doc.path, {}))
            with self.assistant(name).writing(store):
                store.delete(ids)
                if store.second is not None:
                    store.second.store.delete(ids)
            if doc.source == "upload":
                Path(doc.path).unlink(missing_ok=True)
            self.assistant(name).forget_index()
        return doc

    def file_path(self, name: str, file: str) -> Path:
        """The path of one of the collection's uploaded files, by its name: only a file inside
        the collection's folder, never anything else (NotInCollectionError)."""
        name = check_name(name)
        folder = CollectionDir(self.settings.index_dir, name).files
        try:
            plain = safe_file_name(file) == file
        except ValueError:
            plain = False
        path = folder / file
        if not plain or not is_inside(path, folder):
            raise NotInCollectionError(f"{file!r} is not a file of collection {name!r}")
        return path

    def passage(self, name: str, chunk_id: str, around: int = 2) -> Passage:
        """The chunk `chunk_id` of the collection with up to `around` chunks of its document
        on each side (what a reader sees when opening a citation)."""
        name = self._known(name)
        store = self._store(name)
        found = store.get([chunk_id])
        if not found:
            raise UnknownPassageError(f"no passage {chunk_id!r} in collection {name!r}")
        chunk = found[0].chunk
        near = store.around(chunk, around)
        return Passage(
            chunk=chunk,
            before=tuple(c for c in near if c.position < chunk.position),
            after=tuple(c for c in near if c.position > chunk.position),
            uploaded=self._is_upload(name, chunk.file, chunk.path),
        )

    # --- answering ----------------------------------------------------------------------------
    def assistant(self, name: str | None = None, *, create: bool = False) -> Assistant:
        """The assistant of collection `name` (default: the settings' collection), cached.
        UnknownCollectionError for a collection that does not exist, unless `create`."""
        name = check_name(name) if name else self.default
        with self._lock:  # a cached one is known: no listing of Chroma's collections per question
            if name in self._assistants:
                return self._assistants[name]
        if not create and name != self.default:
            self._known(name)
        with self._lock:
            if self._base is None:
                self._base = Assistant(self.settings)
            if name not in self._assistants:
                self._assistants[name] = self._base.in_collection(name)
            return self._assistants[name]

    def find(self, name: str) -> Assistant | None:
        """The assistant of collection `name` (cached, like `assistant`), None while no such
        collection exists (a name the page is about to create)."""
        name = check_name(name)
        with self._lock:
            if name in self._assistants:
                return self._assistants[name]
        if name != self.default and not self.exists(name):
            return None
        return self.assistant(name, create=True)

    # --- helpers ------------------------------------------------------------------------------
    def _known(self, name: str) -> str:
        name = check_name(name)
        if name != self.default and not self.exists(name):
            raise self.unknown(name)
        return name

    def known(self, name: str) -> str:
        """`name`, checked: UnknownCollectionError (listing the collections there are) when
        no such collection exists in the index folder (the default one always does)."""
        return self._known(name)

    def unknown(self, name: str) -> UnknownCollectionError:
        there = ", ".join(n for n in self.names() if n == self.default or self.exists(n))
        return UnknownCollectionError(
            f"no collection {name!r} in {self.settings.index_dir}: the collections are {there} "
            f"(`rag index PATH --collection {name}` creates it)"
        )

    def _store(self, name: str) -> ChromaStore:
        settings = self.settings.with_overrides(collection=name)
        try:
            return factory.make_store(settings, create=False)
        except IndexNotBuiltError as err:
            raise UnknownCollectionError(
                f"collection {name!r} is not built yet: run `rag index --collection {name}`"
            ) from err

    def _is_upload(self, name: str, file: str, path: str) -> bool:
        try:
            return self.file_path(name, file).resolve() == Path(path).resolve()
        except NotInCollectionError:
            return False

    def _lock_of(self, name: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(name, threading.Lock())


def _counting(progress: Progress | None) -> tuple[Callable[[int], None] | None, ...]:
    """`Assistant.index`'s progress and on_total callbacks feeding one progress(done, total)."""
    if progress is None:
        return None, None
    state = {"done": 0, "total": 0}

    def on_total(total: int) -> None:
        state["total"] = total
        progress(0, total)

    def step(n: int) -> None:
        state["done"] += n
        progress(state["done"], state["total"])

    return step, on_total
