"""How retrieval cost grows with the corpus: synthetic corpora of N chunks, real queries.

The store's and the keyword index's cost do not depend on what vectors mean, so synthetic chunks
carry random unit vectors and token lists drawn from the seed corpus's own tokens; the query side
(embedding, dense search, BM25, fusion) is the real one.

Per corpus: the fill (skipped when a server given by URL already holds the collection), the
first start (the keyword index rebuilt from Chroma and saved), a second start (the saved copy
loaded, as a restarted worker does), then retrieval p50/p95 over the questions.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.storage.store import ChromaStore, StoredChunk
from index.types import stable_id
from rag.assistant import Assistant
from rag.bench.common import store_settings
from rag.evaluation.metrics import percentile
from rag.factory import keyword_folder, make_retriever, make_store
from rag.settings import Settings

BATCH = 2000
PASSES = 3  # over the question set: 75 timed retrievals for the 25 dev questions
T = TypeVar("T")


def fill(
    store: ChromaStore, templates: list[StoredChunk], n: int, dim: int, seed: int = 7
) -> float:
    """Add n synthetic chunks modelled on `templates`; returns seconds taken."""
    rng = np.random.default_rng(seed)
    vocabulary = [t for s in templates for t in s.tokens]
    started = time.perf_counter()
    with store.generations.writing():  # one write batch: the generation moves once
        _fill(store, templates, n, dim, rng, vocabulary)
    return time.perf_counter() - started


def _fill(
    store: ChromaStore,
    templates: list[StoredChunk],
    n: int,
    dim: int,
    rng: np.random.Generator,
    vocabulary: list[str],
) -> None:
    for start in range(0, n, BATCH):
        items = []
        for i in range(start, min(n, start + BATCH)):
            model = templates[i % len(templates)]
            tokens = [str(t) for t in rng.choice(vocabulary, size=len(model.tokens) or 20)]
            chunk = replace(
                model.chunk,
                chunk_id=stable_id("synthetic", str(i)),
                article_id=stable_id("synthetic-article", str(i // 12)),
                path=f"/synthetic/{i // 120}.txt",
                file=f"synthetic-{i // 120}.txt",
            )
            items.append(StoredChunk(chunk, tokens, "synthetic"))
        vectors = rng.normal(size=(len(items), dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.upsert(items, vectors.tolist())


def bench_scale(
    assistant: Assistant,
    questions: list[str],
    sizes: list[int],
    work_dir: Path,
    chroma_url: str | None = None,
) -> list[dict[str, Any]]:
    """Retrieval latency at each corpus size, embedded Chroma and (given its URL) a server."""
    templates = assistant.retriever.store.all_chunks()
    dim = len(assistant.embedder.get_query_embedding("dimension"))
    rows = []
    for n in sizes:
        for where in ["embedded"] + (["server"] if chroma_url else []):
            settings = store_settings(
                assistant.settings,
                index_dir=work_dir / f"{where}-n{n}",  # the server's: saved keyword indexes
                url=chroma_url if where == "server" else None,
                collection=f"scale-{n}",
            )
            rows.append(_one_size(assistant, settings, templates, n, dim, questions, where))
    return rows


def _one_size(
    assistant: Assistant,
    settings: Settings,
    templates: list[StoredChunk],
    n: int,
    dim: int,
    questions: list[str],
    where: str,
) -> dict[str, Any]:
    store = make_store(settings, create=True)
    fill_s = None
    if store.count() != n:
        store = make_store(settings, create=True, rebuild=True)
        fill_s = round(fill(store, templates, n, dim), 1)
    shutil.rmtree(keyword_folder(settings), ignore_errors=True)
    rebuild_s, _ = _timed(lambda: make_retriever(settings, store, assistant.embedder))
    start_s, retriever = _timed(  # as a restarted process: its own store, the saved copy
        lambda: make_retriever(settings, make_store(settings, create=False), assistant.embedder)
    )
    retriever.retrieve(questions[0])
    timings = []
    for q in questions * PASSES:
        t0 = time.perf_counter()
        retriever.retrieve(q, k=10)
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "chunks": n,
        "store": where,
        "fill_s": fill_s,  # None: a server that held the collection already
        "rebuild_s": round(rebuild_s, 1),  # first start: from Chroma, then saved
        "start_s": round(start_s, 1),  # later starts: the saved keyword index
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "queries": len(timings),
        "generation": retriever.generation,
    }


def _timed(make: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    made = make()
    return time.perf_counter() - started, made


def growth(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per store, how p50 and p95 grow from the smallest corpus to the largest."""
    out = []
    for where in dict.fromkeys(r["store"] for r in rows):
        mine = sorted((r for r in rows if r["store"] == where), key=lambda r: r["chunks"])
        if len(mine) < 2:
            continue
        small, big = mine[0], mine[-1]
        out.append(
            {
                "store": where,
                "from": small["chunks"],
                "to": big["chunks"],
                "p50_x": round(big["p50_ms"] / small["p50_ms"], 2),
                "p95_x": round(big["p95_ms"] / small["p95_ms"], 2),
            }
        )
    return out
