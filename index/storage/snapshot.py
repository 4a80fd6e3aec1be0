"""A collection's keyword side saved to disk: its chunks as Chroma holds them, and the BM25
index built from their tokens, in one folder per generation.

    <index dir>/collections/<chroma name>/keyword/<generation>/
        manifest.json   format, generation, chunk count (written last: no manifest, no copy)
        rows.json       [[chunk id, text, metadata but its tokens], ...] sorted by chunk id
        tokens.json     each row's tokens (read only by a writer: the index is built from them)
        bm25/           `KeywordIndex.save`

A process that starts, or sees the generation move, loads the copy of the generation Chroma
records instead of reading every chunk back from Chroma. A copy is written into a temporary
folder and renamed into place, so readers never see half of one; two writers of the same
generation keep the first. Older generations are pruned, keeping the newest few (a reader may
be loading one).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import orjson  # chromadb's own dependency

from index.errors import RagIndexError
from index.storage.generation import Row, counter
from index.storage.keyword import KeywordIndex

log = logging.getLogger(__name__)

FORMAT = 2
KEEP = 3  # generations kept on disk
STALE_TMP_S = 3600  # a temporary folder this old belongs to a writer that died


class SnapshotError(RagIndexError):
    """A saved keyword index that is missing, unreadable or not the one asked for."""


def save(folder: Path, generation: str, rows: list[Row], index: KeywordIndex) -> Path:
    """Write the copy of `generation` under `folder` (a collection's `keyword/`)."""
    final = folder / generation
    if (final / "manifest.json").exists():
        return final
    tmp = folder / f".tmp-{generation}-{os.getpid()}-{time.monotonic_ns()}"
    tmp.mkdir(parents=True)
    try:
        bare = [(i, t, {k: v for k, v in m.items() if k != "tokens"}) for i, t, m in rows]
        (tmp / "rows.json").write_bytes(orjson.dumps(bare))
        (tmp / "tokens.json").write_bytes(orjson.dumps([m.get("tokens", "") for _, _, m in rows]))
        index.save(tmp / "bm25")
        manifest = {"format": FORMAT, "generation": generation, "chunks": len(rows)}
        (tmp / "manifest.json").write_text(json.dumps(manifest), "utf-8")
        try:
            tmp.rename(final)
        except OSError:  # another process saved this generation first: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(folder, keep={generation})
    return final


def load(folder: Path, generation: str, *, tokens: bool = False) -> tuple[list[Row], KeywordIndex]:
    """The rows and keyword index saved for `generation`, the rows without their tokens unless
    `tokens` (a writer's, to build the next index); SnapshotError when there is none or it
    cannot be read (the caller rebuilds from Chroma)."""
    where = folder / generation
    try:
        manifest = json.loads((where / "manifest.json").read_text("utf-8"))
    except FileNotFoundError as err:
        raise SnapshotError(f"no saved keyword index at {where}") from err
    except (OSError, ValueError) as err:
        raise SnapshotError(f"unreadable keyword index at {where}: {err}") from err
    if manifest.get("format") != FORMAT or manifest.get("generation") != generation:
        raise SnapshotError(f"the keyword index at {where} is not format {FORMAT} of {generation}")
    try:
        rows: list[Row] = [tuple(r) for r in orjson.loads((where / "rows.json").read_bytes())]
        if len(rows) != manifest.get("chunks") or any(len(r) != 3 for r in rows[:1]):
            raise ValueError(f"{len(rows)} rows, the manifest says {manifest.get('chunks')}")
        if tokens:
            held = orjson.loads((where / "tokens.json").read_bytes())
            if len(held) != len(rows):
                raise ValueError(f"{len(held)} token lists for {len(rows)} rows")
            rows = [(i, t, {**m, "tokens": k}) for (i, t, m), k in zip(rows, held, strict=True)]
        return rows, KeywordIndex.load(where / "bm25", len(rows))
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise SnapshotError(f"damaged keyword index at {where}: {err}") from err


def discard(folder: Path, generation: str) -> None:
    """Remove the copy of `generation` (one found damaged), if there is one."""
    shutil.rmtree(folder / generation, ignore_errors=True)


def prune(folder: Path, keep: set[str]) -> None:
    """Drop all but the newest KEEP generations (by counter) and `keep`, and temporary folders
    abandoned by writers that died."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    now = time.time()
    saved = []
    for entry in entries:
        if entry.name.startswith(".tmp-"):
            if now - _mtime(entry) > STALE_TMP_S:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir():
            saved.append(entry)
    saved.sort(key=lambda p: (counter(p.name), _mtime(p)), reverse=True)
    for old in saved[KEEP:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
            log.debug("pruned keyword index %s", old)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
