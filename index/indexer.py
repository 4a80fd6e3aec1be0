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
from index.encoding import decode
from index.errors import FileTooLargeError, RagIndexError
from index.reports import parse_text
from index.store import ChromaStore, StoredChunk
from index.tokenize import tokenize
from index.types import Chunk

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md")

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
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class _Planned:
    path: str
    file_hash: str
    chunks: list[Chunk]
    articles: int


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to index under the given files/folders (sorted), and paths that do not exist."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    return unique, skipped


def _plan(path: Path, max_bytes: int | None = None) -> _Planned:
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:  # before reading: embedding it takes hours
        raise FileTooLargeError(
            f"{size:,} bytes, over the per-file limit of {max_bytes:,} bytes - split the file, "
            "or raise RAG_MAX_FILE_BYTES"
        )
    data = path.read_bytes()  # read once: hashed, then decoded and parsed
    articles = parse_text(decode(data, str(path)), path.name, str(path))
    digest = hashlib.sha256(data).hexdigest()
    return _Planned(str(path), digest, chunk_all(articles), len(articles))


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
) -> IndexReport:
    """Bring the store in line with the files under `paths`; return what was done.

    A file that cannot be indexed (unreadable, binary, over `max_file_bytes`, empty, or one the
    parser fails on) is skipped with its reason in `report.skipped`, and the run goes on.
    """
    started = time.perf_counter()
    roots = [Path(p).resolve() for p in paths]
    files, skipped = discover(roots)
    report = IndexReport(skipped=skipped)
    manifest = store.manifest()

    plans: list[_Planned] = []
    names: dict[str, str] = {}
    for path in files:
        if path.name in names:
            report.skipped.append(Skipped(str(path), f"same file name as {names[path.name]}"))
            continue
        try:
            plan = _plan(path, max_file_bytes)
        except (RagIndexError, OSError) as err:
            report.skipped.append(Skipped(str(path), str(err)))
            continue
        except Exception as err:  # a parser bug costs this file, never the whole run
            log.exception("%s: could not be parsed", path)
            report.skipped.append(
                Skipped(str(path), f"could not be parsed ({type(err).__name__}: {err})")
            )
            continue
        if not plan.chunks:
            report.skipped.append(Skipped(str(path), "no text to index (empty file)"))
            continue
        names[path.name] = str(path)
        plans.append(plan)

    todo: list[tuple[_Planned, list[StoredChunk], list[str]]] = []
    for plan in plans:
        report.files += 1
        report.articles += plan.articles
        report.chunks += len(plan.chunks)
        stored = manifest.get(plan.path, {})
        wanted = {c.chunk_id for c in plan.chunks}
        if set(stored) == wanted and all(h == plan.file_hash for h in stored.values()):
            report.unchanged += 1
            continue
        new = [  # tokenised only when new: jieba costs about 10 ms a chunk
            StoredChunk(c, tokenize(c.embed_text), plan.file_hash)
            for c in plan.chunks
            if c.chunk_id not in stored
        ]
        stale = [cid for cid in stored if cid not in wanted]
        todo.append((plan, new, stale))

    if on_total is not None:
        on_total(sum(len(new) for _, new, _ in todo))
    for plan, new, stale in todo:
        for start in range(0, len(new), batch_size):
            batch = new[start : start + batch_size]
            vectors = embedder.get_text_embedding_batch([s.chunk.embed_text for s in batch])
            store.upsert(batch, vectors)
            report.embedded += len(batch)
            if progress is not None:
                progress(len(batch))
        gone = set(stale)
        kept = [cid for cid in manifest.get(plan.path, {}) if cid not in gone]
        store.set_file_hash(kept, plan.file_hash)
        store.delete(stale)
        report.removed += len(stale)
        report.changed += 1

    indexed = {plan.path for plan in plans}
    unreadable = {s.path for s in report.skipped}
    for stored_path, ids in manifest.items():
        if stored_path in indexed or stored_path in unreadable or not _under(stored_path, roots):
            continue
        store.delete(list(ids))
        report.removed += len(ids)
        report.removed_files += 1
    report.seconds = round(time.perf_counter() - started, 3)
    log.info("indexed %s", report)
    return report
