"""`rag bench`: what to measure (a BenchPlan), run in order, one report."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rag.assistant import Assistant
from rag.bench.common import machine
from rag.bench.latency import bench_answers, bench_retrieval
from rag.bench.report import render
from rag.evaluation.questions import Question
from rag.settings import Backend


@dataclass(frozen=True)
class BenchPlan:
    backends: list[Backend] = field(default_factory=lambda: ["local"])  # answers timed per backend
    n_llm: int = 10  # questions answered per backend
    indexing: bool = True  # seeds cold / warm / one file changed
    memory: bool = True  # peak RSS of `rag ask` per backend (+ extractive) and of the page
    scale: list[int] = field(default_factory=list)  # synthetic corpus sizes
    scale_server: bool = False  # also start a `chroma run` and time it side by side
    scale_url: str | None = None  # ...or use this running server
    workers_s: float = 20  # with a server: seconds of load on 1, then 2 `rag serve` workers


def run_bench(
    assistant: Assistant, questions: list[Question], out_dir: Path, plan: BenchPlan
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / "work"
    s = assistant.settings
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "embedder": assistant.embedder.model_name,
            "retrieve_k": s.retrieve_k,
            "top_k": s.top_k,
            "llm_threads": s.llm_threads,
            "questions": len(questions),
        },
        "plan": asdict(plan),
    }
    texts = [q.question for q in questions]

    def save() -> None:  # after each part, so a long run that is stopped keeps what it measured
        (out_dir / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        (out_dir / "bench.md").write_text(render(report), encoding="utf-8")

    if plan.indexing:
        from rag.bench.indexing import bench_indexing

        report["indexing"] = bench_indexing(s, assistant.embedder, work / "indexing")
        save()
    report["retrieval"] = bench_retrieval(assistant, questions)
    save()
    report["answers"] = {b: bench_answers(assistant, texts[: plan.n_llm], b) for b in plan.backends}
    save()
    if plan.memory:
        from rag.bench.chroma import free_port
        from rag.bench.memory import peak_rss_ask, ui_at_rest, workers_at_rest

        backends: list[Backend] = list(dict.fromkeys(["extractive", *plan.backends]))
        ports = [free_port(), free_port()]
        report["memory"] = {
            "ask": {b: peak_rss_ask(texts[0], b, s.index_dir) for b in backends},
            "ui_at_rest": {b: ui_at_rest(b, s.index_dir, free_port()) for b in backends},
            "workers": {
                f"{n} x {b}": workers_at_rest(n, b, s.index_dir, ports, texts[0])
                for b in plan.backends
                for n in (1, 2)
            },
        }
        save()
    if plan.scale:
        if plan.scale_server and not plan.scale_url:
            from rag.bench.chroma import chroma_server

            with chroma_server(work / "chroma-server") as url:
                report["scale"] = _scale(assistant, texts, plan, work / "scale", url)
        else:
            report["scale"] = _scale(assistant, texts, plan, work / "scale", plan.scale_url)
        save()
    shutil.rmtree(work, ignore_errors=True)  # gigabytes at 100k chunks
    save()
    return report


def _scale(
    assistant: Assistant, texts: list[str], plan: BenchPlan, work: Path, url: str | None
) -> dict[str, Any]:
    """Retrieval at each size; with a server, also 1 and 2 workers over the largest."""
    from rag.bench.scale import bench_scale, growth

    sizes = plan.scale
    rows = bench_scale(assistant, texts, sizes, work, url)
    out: dict[str, Any] = {"rows": rows, "growth": growth(rows)}
    if url:
        from rag.bench.workers import bench_workers

        biggest = max(sizes)
        env = {
            "RAG_CHROMA_URL": url,
            "RAG_INDEX_DIR": str(work / f"server-n{biggest}"),  # its saved keyword index
            "RAG_COLLECTION": f"scale-{biggest}",
            "RAG_SECOND_EMBEDDER": assistant.settings.second_embedder,
        }
        rows = bench_workers(env, texts, seconds=plan.workers_s)
        out["workers"] = {"chunks": biggest, "rows": rows}
    return out
