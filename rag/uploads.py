"""Adding uploaded files to a collection: admit, write, index, report, one result per file.

Admission, before anything is written: a name made safe (`index.storage.uploads`), no empty file,
none over `max_file_bytes`, none whose bytes the collection (or this batch) holds already: those are
reported `unchanged` with the document they duplicate and never embedded again. The admitted files
are written, under a free name, into the collection's files folder and indexed as a list of files
(so indexing never deletes another document), and each gets its result: indexed with its chunk
count, or skipped with the indexer's reason (its file then removed again).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import RagIndexError
from index.indexer import IndexReport
from index.storage.uploads import free_name, safe_file_name, write_new
from rag.catalog import DocumentInfo, FileResult

Progress = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed in all)
Indexer = Callable[[list[Path]], IndexReport]  # indexes these files into the collection


@dataclass(frozen=True)
class _Admitted:
    upload: str
    name: str
    data: bytes


def admit(
    uploads: list[tuple[str, bytes]],
    existing: list[DocumentInfo],
    max_bytes: int,
    taken: set[str],
) -> tuple[list[_Admitted], dict[int, FileResult]]:
    """The uploads to write (with names not in `taken`), and the results of the others by
    their position in `uploads`."""
    present = [doc for doc in existing if doc.status == "indexed" and doc.content_hash]
    by_hash = {doc.content_hash: doc.file for doc in present}
    ids = {doc.content_hash: doc.id for doc in present}
    taken = taken | {doc.file for doc in existing}
    admitted: list[_Admitted] = []
    done: dict[int, FileResult] = {}
    for n, (upload, data) in enumerate(uploads):
        try:
            name = safe_file_name(upload)
        except RagIndexError as err:
            done[n] = FileResult(upload, None, "skipped", reason=str(err))
            continue
        reason = _refusal(data, max_bytes)
        if reason:
            done[n] = FileResult(upload, None, "skipped", reason=reason)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in by_hash:
            same = by_hash[digest]
            done[n] = FileResult(
                upload, same, "unchanged", reason=f"same content as {same}", id=ids.get(digest)
            )
            continue
        name = free_name(name, taken)
        taken.add(name)
        by_hash[digest] = name
        admitted.append(_Admitted(upload, name, data))
    return admitted, done


def _refusal(data: bytes, max_bytes: int) -> str | None:
    if not data:
        return "empty file: nothing to index"
    if len(data) > max_bytes:
        return (
            f"over the per-file limit of {max_bytes:,} bytes - split the file, "
            "or raise RAG_MAX_FILE_BYTES"
        )
    return None


def add_files(
    uploads: list[tuple[str, bytes]],
    folder: Path,
    existing: list[DocumentInfo],
    max_bytes: int,
    index: Indexer,
    listing: Callable[[], list[DocumentInfo]],
) -> list[FileResult]:
    """Admit, write into `folder`, `index`, and report every upload in order (see the module)."""
    on_disk = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    admitted, done = admit(uploads, existing, max_bytes, on_disk)
    written: list[Path] = []
    try:
        for item in admitted:
            written.append(write_new(folder, item.name, item.data))
        report = index(written)
    except BaseException:  # nothing half-added stays behind
        for path in written:
            path.unlink(missing_ok=True)
        raise
    skipped = {str(Path(s.path).resolve()): s.reason for s in report.skipped}
    indexed = {doc.path: doc for doc in listing()}
    pairs = zip(admitted, written, strict=True)
    results = iter([_result(item, path, skipped, indexed) for item, path in pairs])
    return [done[n] if n in done else next(results) for n in range(len(uploads))]


def _result(
    item: _Admitted, path: Path, skipped: dict[str, str], indexed: dict[str, DocumentInfo]
) -> FileResult:
    key = str(path.resolve())
    doc = indexed.get(key)
    if key in skipped or doc is None:
        path.unlink(missing_ok=True)
        reason = skipped.get(key, "nothing was indexed from it")
        for where in (key, str(path)):  # the server's folders are no business of the client's
            reason = reason.replace(where, item.name)
        return FileResult(item.upload, None, "skipped", reason=reason)
    return FileResult(item.upload, item.name, "indexed", doc.chunks, id=doc.id)
