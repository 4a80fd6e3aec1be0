"""Indexing cost: the seeds cold (chunks embedded per second), warm (nothing changed, in process
and as a fresh `rag index` process), and after one file changed."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.indexer import IndexReport, index_paths
from index.storage.store import ChromaStore
from rag.bench.common import RAG_COMMAND, store_settings
from rag.factory import make_profile, make_store
from rag.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


def _copy(paths: list[Path], to: Path) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.is_dir():
            shutil.copytree(path, to / path.name, dirs_exist_ok=True)
        else:
            shutil.copy2(path, to / path.name)


def _edit_one_file(corpus: Path, chunk_text: str) -> Path:
    """Change one passage of one file, as an editor would."""
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        if chunk_text in text:
            path.write_text(text.replace(chunk_text, chunk_text + " (revised)", 1), "utf-8")
            return path
    raise RuntimeError("no file holds the passage to edit")


def bench_indexing(settings: Settings, embedder: BaseEmbedding, work: Path) -> dict[str, Any]:
    """Index a copy of `settings.corpus` into an embedded store of its own under `work`."""
    corpus, index_dir = work / "corpus", work / "index"
    shutil.rmtree(work, ignore_errors=True)
    _copy(list(settings.corpus), corpus)
    own = store_settings(settings, index_dir=index_dir, collection=settings.collection)

    publishers = make_profile(own).publishers  # as `rag index` names them, or all re-embed

    def store() -> ChromaStore:
        return make_store(own, create=True)

    def run() -> tuple[IndexReport, float]:
        started = time.perf_counter()
        report = index_paths([corpus], store(), embedder, publishers=publishers)
        return report, time.perf_counter() - started

    cold, cold_s = run()
    warm, warm_s = run()
    started = time.perf_counter()
    subprocess.run(
        [str(RAG_COMMAND), "index", str(corpus), "--index-dir", str(index_dir)],
        check=True,
        capture_output=True,
    )
    warm_cli_s = time.perf_counter() - started
    edited = _edit_one_file(corpus, store().all_chunks()[0].chunk.text)
    changed, changed_s = run()
    return {
        "cold": {
            "files": cold.files,
            "chunks": cold.chunks,
            "embedded": cold.embedded,
            "s": round(cold_s, 2),
            "chunks_per_s": round(cold.embedded / cold_s, 1) if cold_s else None,
        },
        "warm": {"embedded": warm.embedded, "s": round(warm_s, 2)},
        "warm_cli": {
            "s": round(warm_cli_s, 2),
            "note": "a fresh `rag index` process, start-up included",
        },
        "one_file_changed": {
            "file": edited.name,
            "embedded": changed.embedded,
            "removed": changed.removed,
            "s": round(changed_s, 2),
        },
    }
