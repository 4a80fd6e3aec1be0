"""How retrieval cost grows with the corpus: synthetic corpora of N chunks, real queries.

The store's and the keyword index's cost do not depend on what vectors mean, so synthetic chunks
carry random unit vectors and token lists drawn from the seed corpus's own tokens; the query side
(embedding, dense search, BM25, fusion) is the real one.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from index.store import ChromaStore, StoredChunk
from index.types import stable_id
from rag.assistant import Assistant
from rag.bench.common import store_settings
from rag.evaluation.metrics import percentile
from rag.factory import make_retriever, make_store

BATCH = 2000


def fill(
    store: ChromaStore, templates: list[StoredChunk], n: int, dim: int, seed: int = 7
) -> float:
    """Add n synthetic chunks modelled on `templates`; returns seconds taken."""
    rng = np.random.default_rng(seed)
    vocabulary = [t for s in templates for t in s.tokens]
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        items = []
        for i in range(start, min(n, start + BATCH)):
            model = templates[i % len(templates)]
            tokens = list(rng.choice(vocabulary, size=len(model.tokens) or 20))
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
    return time.perf_counter() - started


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
                index_dir=work_dir / f"n{n}" if where == "embedded" else None,
                url=chroma_url if where == "server" else None,
                collection=f"scale-{n}",
            )
            store = make_store(settings, create=True, rebuild=True)
            fill_s = fill(store, templates, n, dim)
            started = time.perf_counter()
            retriever = make_retriever(settings, store, assistant.embedder)
            load_s = time.perf_counter() - started
            retriever.retrieve(questions[0])
            timings = []
            for q in questions * 3:
                t0 = time.perf_counter()
                retriever.retrieve(q, k=10)
                timings.append((time.perf_counter() - t0) * 1000)
            rows.append(
                {
                    "chunks": n,
                    "store": where,
                    "fill_s": round(fill_s, 1),
                    "load_s": round(load_s, 1),
                    "p50_ms": percentile(timings, 50),
                    "p95_ms": percentile(timings, 95),
                    "queries": len(timings),
                }
            )
    return rows


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
