"""What a collection holds, as records for the page, the API and the CLI: its documents (one per
stored file, summarised from the chunks' metadata), the results of an upload, and a passage in
its context."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from index.storage.store import ChromaStore
from index.types import Chunk, stable_id

DocumentStatus = Literal["indexed", "missing"]
FileStatus = Literal["indexed", "unchanged", "skipped"]


@dataclass(frozen=True)
class CollectionInfo:
    name: str
    documents: int
    chunks: int
    default: bool  # the collection questions go to when none is named


@dataclass(frozen=True)
class DocumentInfo:
    id: str  # stable: a digest of the stored file's path
    file: str  # its name, as citations show it
    pages: int | None  # from the parsers' `pages` chunk field; None for plain text
    chunks: int
    status: DocumentStatus  # missing: the file is gone; the next `rag index` drops it
    source: Literal["upload", "folder"]  # uploaded into the collection, or indexed in place
    content_hash: str  # sha256 of the file's bytes when it was indexed
    path: str  # where it was read from (not shown over HTTP)

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        del record["path"], record["content_hash"]
        return record


@dataclass(frozen=True)
class FileResult:
    upload: str  # the name the file was sent under
    file: str | None  # its name in the collection (the existing one, when unchanged)
    status: FileStatus
    chunks: int = 0
    reason: str | None = None  # why skipped, or what it duplicates
    id: str | None = None  # the document's id, when indexed or unchanged

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Passage:
    """A chunk of a collection in context: its neighbours in its document, in order."""

    chunk: Chunk
    before: tuple[Chunk, ...]
    after: tuple[Chunk, ...]
    uploaded: bool  # its file is one of the collection's own (`Library.file_path` gives it)


def document_id(path: str) -> str:
    return stable_id("document", path)


def documents_of(store: ChromaStore, uploads: Path) -> list[DocumentInfo]:
    """The store's documents, by file name; `uploads` is the collection's files folder."""
    by_path: dict[str, dict[str, Any]] = {}
    for _chunk_id, meta in store.metadatas():
        doc = by_path.setdefault(
            meta["path"], {"file": meta["file"], "chunks": 0, "pages": None, "hash": ""}
        )
        doc["chunks"] += 1
        doc["hash"] = doc["hash"] or meta.get("file_hash", "")
        doc["pages"] = _more_pages(doc["pages"], meta.get("pages"))
    folder = uploads.resolve()
    return sorted(
        (
            DocumentInfo(
                id=document_id(path),
                file=doc["file"],
                pages=doc["pages"],
                chunks=doc["chunks"],
                status="indexed" if Path(path).is_file() else "missing",
                source="upload" if Path(path).parent == folder else "folder",
                content_hash=doc["hash"],
                path=path,
            )
            for path, doc in by_path.items()
        ),
        key=lambda d: (d.file, d.path),
    )


def _more_pages(known: int | None, value: Any) -> int | None:
    """The larger page count (a chunk's `pages` may be missing, or an int, or digits)."""
    try:
        pages = int(value)
    except (TypeError, ValueError):
        return known
    return pages if known is None or pages > known else known
