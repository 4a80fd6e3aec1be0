"""Latency benchmark: retrieval, time to first token and whole answers, written to files.

Figures are medians and 95th percentiles over a question set, with the machine described;
these machines are shared and noisy, so nothing here is asserted in a test.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from rag.assistant import Assistant
from rag.evaluation.metrics import percentile
from rag.settings import Backend
from rag.types import AnswerEvent, ContextsEvent, TokenEvent


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _summary(values: list[float]) -> dict[str, float | None]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "mean": round(statistics.fmean(values), 1) if values else None,
        "n": len(values),
    }


def bench_retrieval(assistant: Assistant, questions: list[str], repeats: int = 3) -> dict[str, Any]:
    assistant.retrieve(questions[0])  # load the embedder, the store and the keyword index
    timings = []
    for _ in range(repeats):
        for q in questions:
            started = time.perf_counter()
            assistant.retrieve(q)
            timings.append((time.perf_counter() - started) * 1000)
    return _summary(timings)


def bench_answers(assistant: Assistant, questions: list[str], backend: Backend) -> dict[str, Any]:
    """Time to sources, to the first token and to the final answer, per question."""
    assistant.ask(questions[0], backend=backend)  # load the model; warm the prompt prefix
    to_sources, to_first, totals, tokens, fallbacks = [], [], [], [], 0
    for q in questions:
        started = time.perf_counter()
        first = None
        pieces = 0
        for event in assistant.stream(q, backend=backend):
            now = (time.perf_counter() - started) * 1000
            if isinstance(event, ContextsEvent):
                to_sources.append(now)
            elif isinstance(event, TokenEvent):
                pieces += 1
                first = first if first is not None else now
            elif isinstance(event, AnswerEvent):
                totals.append(now)
                fallbacks += "fallback" in event.answer.backend
        to_first.append(first if first is not None else totals[-1])
        tokens.append(pieces)
    return {
        "sources_ms": _summary(to_sources),
        "first_token_ms": _summary(to_first),
        "total_ms": _summary(totals),
        "streamed_pieces_median": statistics.median(tokens) if tokens else 0,
        "fallbacks": fallbacks,
    }


def run_bench(
    assistant: Assistant,
    questions: list[str],
    out_dir: Path,
    backends: list[Backend],
    n_llm: int,
    scale: list[int] | None = None,
    scale_url: str | None = None,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "embedder": assistant.embedder.model_name,
            "retrieval_mode": assistant.settings.retrieval_mode,
            "retrieve_k": assistant.settings.retrieve_k,
            "top_k": assistant.settings.top_k,
            "llm_threads": assistant.settings.llm_threads,
            "questions": len(questions),
        },
        "retrieval_ms": bench_retrieval(assistant, questions),
        "answers": {b: bench_answers(assistant, questions[:n_llm], b) for b in backends},
    }
    if scale:
        from rag.scale import bench_scale

        report["scale"] = bench_scale(
            assistant, questions, scale, out_dir / "scale-index", scale_url
        )
    (out_dir / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out_dir / "bench.md").write_text(render(report), encoding="utf-8")
    return report


def render(report: dict[str, Any]) -> str:
    m = report["machine"]
    r = report["retrieval_ms"]
    lines = [
        f"Machine: {m['cpu']} ({m['cores']} cores), Python {m['python']}",
        "",
        "| measure | p50 | p95 | n |",
        "|---|---|---|---|",
        "| retrieval (embed query + dense + keyword + fusion), ms "
        f"| {r['p50']} | {r['p95']} | {r['n']} |",
    ]
    for backend, a in report["answers"].items():
        for key, label in (
            ("sources_ms", "sources shown"),
            ("first_token_ms", "first token"),
            ("total_ms", "whole answer"),
        ):
            s = a[key]
            lines.append(f"| {backend}: {label}, ms | {s['p50']} | {s['p95']} | {s['n']} |")
    if report.get("scale"):
        lines += [
            "",
            "| chunks | store | retrieval p50 ms | p95 ms | fill s | keyword index load s |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['chunks']} | {r['store']} | {r['p50_ms']} | {r['p95_ms']} | {r['fill_s']} "
            f"| {r['load_s']} |"
            for r in report["scale"]
        ]
    return "\n".join(lines) + "\n"
