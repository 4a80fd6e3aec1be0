"""Run a question set through an assistant: results.jsonl, metrics.json, report.md (+ charts)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from rag.evaluation.judges import Judge
from rag.evaluation.judging import judge_answers
from rag.evaluation.metrics import compute_metrics
from rag.evaluation.questions import Question, write_questions
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

RESULTS, METRICS, REPORT, QUESTIONS = (
    "results.jsonl",
    "metrics.json",
    "report.md",
    "questions.jsonl",
)


class Asker(Protocol):
    """Anything that answers one question (the Assistant; a fake in tests)."""

    def ask(self, question: str) -> Answer: ...


def _finished(path: Path, questions: list[Question]) -> dict[str, dict[str, Any]]:
    """Results a resumed run keeps: complete lines whose id is in the set and whose question
    text is unchanged (an edited question is asked again)."""
    text = {q.id: q.question for q in questions}
    return {r["id"]: r for r in read_results(path) if text.get(r["id"]) == r.get("question")}


def run_eval(
    asker: Asker,
    questions: list[Question],
    out_dir: Path,
    *,
    resume: bool = False,
    settings_summary: dict[str, Any] | None = None,
    progress: bool = True,
    judge: Judge | None = None,
    self_check: Judge | None = None,
) -> dict[str, Any]:
    """Ask every question in set order, then write metrics.json and report.md; return the metrics.

    Each result is appended to results.jsonl and flushed as soon as it is known. A question whose
    ask raises is recorded with an "error" and the run goes on (KeyboardInterrupt stops it).
    With `resume`, questions already in results.jsonl (errors included) are not asked again;
    without it, an existing results.jsonl is started afresh. The progress bar goes to stderr.
    `judge`, independent of the answerer, judges the ALCE citation scores (none without it);
    `self_check`, the answerer's own check handed in by the caller, judges them again as
    self-agreement (`self_agreement_*`). Each judges each answer once.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / RESULTS
    settings = dict(settings_summary or {})
    write_questions(out_dir / QUESTIONS, questions)  # the gold this run is judged against
    done = _finished(path, questions) if resume else {}
    write_results(path, list(done.values()))  # drops a torn last line before appending
    todo = [q for q in questions if q.id not in done]
    if done:
        log.info("resuming: %d of %d questions already answered", len(done), len(questions))
    backend = str(settings.get("backend", ""))
    bar = tqdm(
        todo,
        total=len(questions),
        initial=len(done),
        desc="eval",
        unit="q",
        disable=not progress,
        dynamic_ncols=True,
    )
    try:
        for q in bar:
            start = time.perf_counter()
            try:
                answer = asker.ask(q.question)
                elapsed = (time.perf_counter() - start) * 1000
                result = answer_to_result(q, answer, elapsed)
            except Exception as err:  # recorded, and the run goes on
                elapsed = (time.perf_counter() - start) * 1000
                log.warning("question %s failed: %s: %s", q.id, type(err).__name__, err)
                result = error_result(q, err, backend, elapsed)
            append_result(path, result)
    finally:
        bar.close()
    by_id = {r["id"]: r for r in read_results(path)}
    results = [by_id[q.id] for q in questions if q.id in by_id]
    write_results(path, results)  # set order, whatever order a resumed run finished them in
    judged = judge_answers(results, judge, self_check)
    metrics = compute_metrics(questions, results, judged=judged)
    metrics["settings"] = settings
    (out_dir / METRICS).write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_report(out_dir, questions, results, metrics, judged)
    return metrics
