"""Throughput of `rag serve` workers that share one Chroma server: 1, then 2 workers started as
processes over the largest synthetic collection, under the same concurrent load of `/v1/
retrieve` calls (clients spread over the workers), and how long each worker took from its start
to its first answer of `GET /health` (the saved keyword index loaded)."""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import rag
from rag.bench.chroma import free_port
from rag.bench.common import RAG_COMMAND
from rag.evaluation.metrics import percentile

SOURCE = Path(rag.__file__).resolve().parents[1]  # workers run the code this bench runs


@contextmanager
def workers(count: int, env: dict[str, str], start_s: float = 300) -> Iterator[list[Any]]:
    """Yields [(url, seconds from start to the first /health answer)], stopped by PID after."""
    import httpx

    ports = [free_port() for _ in range(count)]
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [str(RAG_COMMAND), "serve", "--port", str(port)],
            env={**os.environ, "PYTHONPATH": str(SOURCE), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        up = []
        for port, proc in zip(ports, procs, strict=True):
            url = f"http://127.0.0.1:{port}"
            while True:
                if proc.poll() is not None or time.perf_counter() - started > start_s:
                    raise RuntimeError(f"`rag serve` on {url} did not start")
                try:
                    if httpx.get(f"{url}/health", timeout=start_s).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            up.append((url, round(time.perf_counter() - started, 1)))
        yield up
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def load(urls: list[str], questions: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` threads asking /v1/retrieve for `seconds`, client i on worker i mod N."""
    import httpx

    timings: list[float] = []
    refused = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(i: int) -> None:
        asked = itertools.cycle(questions[i:] + questions[:i])
        with httpx.Client(base_url=urls[i % len(urls)], timeout=60) as http:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                reply = http.post("/v1/retrieve", json={"question": next(asked), "k": 10})
                with lock:
                    if reply.status_code == 200:
                        timings.append((time.perf_counter() - t0) * 1000)
                    else:
                        refused[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "answered": len(timings),
        "refused": refused[0],
        "per_s": round(len(timings) / elapsed, 1),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
    }


def bench_workers(
    env: dict[str, str], questions: list[str], clients: int = 8, seconds: float = 20
) -> list[dict[str, Any]]:
    """1 and 2 workers (env: RAG_CHROMA_URL, RAG_INDEX_DIR, RAG_COLLECTION, ...)."""
    rows = []
    for count in (1, 2):
        with workers(count, {"RAG_LLM_BACKEND": "extractive", **env}) as up:
            urls = [url for url, _ in up]
            load(urls, questions, clients, 2)  # warm-up: first questions load jieba, pinyin
            result = load(urls, questions, clients, seconds)
        rows.append(
            {
                "workers": count,
                "clients": clients,
                "seconds": seconds,
                "start_s": max(s for _, s in up),
                **result,
            }
        )
    return rows
