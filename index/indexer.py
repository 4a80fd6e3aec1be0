"""Incremental, idempotent indexing: files -> articles -> chunks -> vectors in the store.

Only what changed is embedded: chunk ids derive from content, so a chunk already in the store
under the same file keeps its vector. A file's new chunks are written before its stale ones are
deleted, and a file counts as unchanged only when its stored chunks match exactly, so a run
killed half way is completed by the next run, with no duplicates.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from index.chunking import chunk_all
from index.errors import FileTooLargeError, RagIndexError
from index.formats.dispatch import MAX_PAGES, parse_bytes, supported
from index.publishers import Publishers
from index.storage.store import ChromaStore, StoredChunk
from index.storage.vectorsets import sync
from index.text.tokenize import tokenize
from index.types import Chunk

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # called with the number of chunks just embedded


class PassageEmbedder(Protocol):
    """What indexing needs of an embedder (a llama-index BaseEmbedding is one)."""

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]: ...


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IndexReport:
    files: int = 0  # files indexed (changed or not)
    articles: int = 0
    chunks: int = 0  # chunks of those files
    embedded: int = 0  # chunks embedded in this run
    unchanged: int = 0  # files whose chunks were already all stored
    changed: int = 0  # files (re)written in this run
    removed: int = 0  # chunks deleted (stale chunks of changed files, and gone files)
    removed_files: int = 0
    second_embedded: int = (
        0  # chunks embedded into the second vector set (index.storage.vectorsets)
    )
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Limits:
    """What one file may cost: bytes on disk (checked before reading) and PDF pages."""

    max_file_bytes: int | None = None
    max_pages: int = MAX_PAGES


@dataclass(frozen=True)
class _Planned:
    path: str
    file_hash: str
    chunks: list[Chunk]
    articles: int


@dataclass(frozen=True)
class _Change:
    """A changed file: its plan, the ids stored for it, chunks to embed, stale ids to delete."""

    plan: _Planned
    stored: list[str]
    new: list[StoredChunk]
    stale: list[str]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to index under the given files/folders (sorted), and paths that do not exist.
    In folders, only files of a supported type (`index.formats.dispatch`); a file named on its
    own is always tried, so an unsupported one is reported rather than passed over."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and supported(p))
        elif path.is_file():
            files.append(path)
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    return unique, skipped


def _read(path: Path, limits: Limits, publishers: Publishers) -> _Planned:
    """One file read (once: hashed, then parsed by its type) and cut into chunks."""
    size = path.stat().st_size
    max_bytes = limits.max_file_bytes
    if max_bytes is not None and size > max_bytes:  # before reading: embedding it takes hours
        raise FileTooLargeError(
            f"{size:,} bytes, over the per-file limit of {max_bytes:,} bytes - split the file, "
            "or raise RAG_MAX_FILE_BYTES"
        )
    data = path.read_bytes()
    articles = parse_bytes(data, path.name, str(path), max_pages=limits.max_pages)
    digest = hashlib.sha256(data).hexdigest()
    return _Planned(str(path), digest, chunk_all(articles, publishers), len(articles))


def _read_or_skip(path: Path, limits: Limits, publishers: Publishers) -> _Planned | Skipped:
    """`_read`, or why the file cannot be indexed: a file costs itself, never the run."""
    try:
        plan = _read(path, limits, publishers)
    except (RagIndexError, OSError) as err:
        return Skipped(str(path), str(err))
    except Exception as err:  # a parser bug
        log.exception("%s: could not be parsed", path)
        return Skipped(str(path), f"could not be parsed ({type(err).__name__}: {err})")
    if not plan.chunks:
        return Skipped(str(path), "no text to index (empty file)")
    return plan


def _read_all(
    files: list[Path], limits: Limits, report: IndexReport, publishers: Publishers
) -> list[_Planned]:
    """Every file that can be indexed; the others go to `report.skipped` with their reason.
    Chunks name their file by its name alone, so a second file of the same name is skipped."""
    plans: list[_Planned] = []
    names: dict[str, str] = {}
    for path in files:
        if path.name in names:
            report.skipped.append(Skipped(str(path), f"same file name as {names[path.name]}"))
            continue
        plan = _read_or_skip(path, limits, publishers)
        if isinstance(plan, Skipped):
            report.skipped.append(plan)
            continue
        names[path.name] = str(path)
        plans.append(plan)
    return plans


def _changes(
    plans: list[_Planned], manifest: dict[str, dict[str, str]], report: IndexReport
) -> list[_Change]:
    """What each changed file needs: chunks to embed, stale chunks to delete. A file is
    unchanged only when its stored chunks are exactly its chunks, all under its current hash."""
    changes: list[_Change] = []
    for plan in plans:
        report.files += 1
        report.articles += plan.articles
        report.chunks += len(plan.chunks)
        stored = manifest.get(plan.path, {})
        wanted = {c.chunk_id for c in plan.chunks}
        if set(stored) == wanted and all(h == plan.file_hash for h in stored.values()):
            report.unchanged += 1
            continue
        new = [  # tokenised only when new: jieba is the slow part of a warm run
            StoredChunk(c, tokenize(c.embed_text), plan.file_hash)
            for c in plan.chunks
            if c.chunk_id not in stored
        ]
        stale = [cid for cid in stored if cid not in wanted]
        changes.append(_Change(plan, list(stored), new, stale))
    return changes


def _apply(
    change: _Change,
    store: ChromaStore,
    embedder: PassageEmbedder,
    batch_size: int,
    progress: Progress | None,
    report: IndexReport,
) -> None:
    """One file's new chunks embedded and written, then its kept chunks marked with the new
    hash, and only then its stale chunks deleted (a run killed before the end leaves the file
    looking changed, so the next run completes it)."""
    new = change.new
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        vectors = embedder.get_text_embedding_batch([s.chunk.embed_text for s in batch])
        store.upsert(batch, vectors)
        report.embedded += len(batch)
        if progress is not None:
            progress(len(batch))
    gone = set(change.stale)
    kept = [cid for cid in change.stored if cid not in gone]
    store.set_file_hash(kept, change.plan.file_hash)
    store.delete(change.stale)
    report.removed += len(change.stale)
    report.changed += 1


def _delete_gone(
    manifest: dict[str, dict[str, str]],
    plans: list[_Planned],
    roots: list[Path],
    store: ChromaStore,
    report: IndexReport,
) -> None:
    """Chunks of stored files under `roots` that are no longer there. A file that is still
    there but was skipped (unreadable for now) keeps its chunks."""
    indexed = {plan.path for plan in plans}
    unreadable = {s.path for s in report.skipped}
    for stored_path, ids in manifest.items():
        if stored_path in indexed or stored_path in unreadable or not _under(stored_path, roots):
            continue
        store.delete(list(ids))
        report.removed += len(ids)
        report.removed_files += 1


def _under(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    return any(p == root or root in p.parents for root in roots)


def index_paths(
    paths: Iterable[Path],
    store: ChromaStore,
    embedder: PassageEmbedder,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    max_file_bytes: int | None = None,
    max_pages: int = MAX_PAGES,
    publishers: Publishers | None = None,
) -> IndexReport:
    """Bring the store in line with the files under `paths`; return what was done.

    A file that cannot be indexed (unreadable, binary, of an unsupported type or not what its
    name says, encrypted, damaged, over `max_file_bytes` or `max_pages`, empty, or one the
    parser fails on) is skipped with its reason in `report.skipped`, and the run goes on.
    `publishers` (the corpus profile's table) names publishers in each chunk's header.
    """
    started = time.perf_counter()
    roots = [Path(p).resolve() for p in paths]
    files, skipped = discover(roots)
    report = IndexReport(skipped=skipped)
    manifest = store.manifest()
    limits = Limits(max_file_bytes, max_pages)
    plans = _read_all(files, limits, report, publishers or Publishers())
    changes = _changes(plans, manifest, report)
    if on_total is not None:
        on_total(sum(len(change.new) for change in changes))
    for change in changes:
        _apply(change, store, embedder, batch_size, progress, report)
    _delete_gone(manifest, plans, roots, store, report)
    if store.second is not None:  # after the first set, so a killed run is completed next time
        report.second_embedded = sync(store, store.second, batch_size).embedded
    report.seconds = round(time.perf_counter() - started, 3)
    log.info("indexed %s", report)
    return report
