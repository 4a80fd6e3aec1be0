"""Run a question set through an assistant: results.jsonl, metrics.json, report.md."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from rag.evaluation.metrics import compute_metrics
from rag.evaluation.questions import Question
from rag.evaluation.report import write_report
from rag.evaluation.results import (
    answer_to_result,
    append_result,
    error_result,
    read_results,
    write_results,
)
from rag.types import Answer

log = logging.getLogger(__name__)


class Asker(Protocol):
    def ask(self, question: str) -> Answer: ...


def run_eval(
    asker: Asker,
    questions: list[Question],
    out_dir: Path,
    *,
    resume: bool = False,
    settings_summary: dict[str, Any] | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Answer every question (in order), then write metrics.json and report.md.

    One failing question is recorded with its error and the run goes on. With `resume`,
    questions already in results.jsonl are not asked again.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.jsonl"
    done = {r["id"]: r for r in read_results(path)} if resume else {}
    wanted = {q.id for q in questions}
    write_results(path, [r for r in done.values() if r["id"] in wanted])  # drop a torn line
    backend = (settings_summary or {}).get("backend", "")
    todo = [q for q in questions if q.id not in done]
    for q in tqdm(todo, desc="questions", unit="q", disable=not progress):
        try:
            result = answer_to_result(q, asker.ask(q.question))
        except Exception as err:  # recorded, and the run goes on
            log.warning("question %s failed: %s", q.id, err)
            result = error_result(q, err, backend)
        append_result(path, result)
    by_id = {r["id"]: r for r in read_results(path)}
    results = [by_id[q.id] for q in questions if q.id in by_id]
    write_results(path, results)  # question order, whatever order they finished in
    metrics = compute_metrics(questions, results)
    metrics["settings"] = settings_summary or {}
    (out_dir / "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    write_report(out_dir, questions, results, metrics)
    return metrics
