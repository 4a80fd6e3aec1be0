"""Two runs side by side: headline figures with deltas, and the questions whose hit@5 or fact
check changed between them (hit -> miss and miss -> hit)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.evaluation.errors import RunNotFoundError
from rag.evaluation.metrics import HEADLINE, score
from rag.evaluation.questions import Question, load_questions
from rag.evaluation.report import fmt
from rag.evaluation.results import read_results
from rag.evaluation.runner import METRICS, QUESTIONS, RESULTS

JUDGED = {"hit@5": "hit@5", "facts": "fact accuracy"}


@dataclass(frozen=True)
class Change:
    id: str
    metric: str  # "hit@5" or "facts"
    before: bool  # run A
    after: bool  # run B
    question: str = ""


@dataclass
class Comparison:
    name_a: str
    name_b: str
    dir_a: Path
    dir_b: Path
    metrics_a: dict[str, Any]
    metrics_b: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    judged: int = 0  # questions answered in both runs and judged against the set
    notes: list[str] = field(default_factory=list)

    def worse(self) -> list[Change]:
        return [c for c in self.changes if c.before and not c.after]

    def better(self) -> list[Change]:
        return [c for c in self.changes if c.after and not c.before]


def _metrics(run: Path) -> dict[str, Any]:
    path = run / METRICS
    if not path.is_file():
        raise RunNotFoundError(f"no {METRICS} in {run} - run 'rag eval QUESTIONS --out {run}'")
    return json.loads(path.read_text(encoding="utf-8"))


def _gold(run_b: Path, metrics_b: dict[str, Any], questions: Path | None) -> list[Question]:
    """The set to judge by: the given file, else the copy run B kept, else the one it recorded."""
    recorded = (metrics_b.get("settings") or {}).get("questions")
    for candidate in (questions, run_b / QUESTIONS, Path(recorded) if recorded else None):
        if candidate is not None and candidate.is_file():
            return load_questions(candidate)
    if questions is not None:
        raise RunNotFoundError(f"no question set at {questions}")
    return []


def compare(
    dir_a: str | Path, dir_b: str | Path, questions: str | Path | None = None
) -> Comparison:
    """Compare two `rag eval` output folders (A is the baseline, B the new run)."""
    run_a, run_b = Path(dir_a), Path(dir_b)
    metrics_a, metrics_b = _metrics(run_a), _metrics(run_b)
    gold = _gold(run_b, metrics_b, Path(questions) if questions else None)
    cmp = Comparison(run_a.name, run_b.name, run_a, run_b, metrics_a, metrics_b)
    if not gold:
        cmp.notes.append("no question set found: per-question changes are not listed")
        return cmp
    results_a = {r["id"]: r for r in read_results(run_a / RESULTS)}
    results_b = {r["id"]: r for r in read_results(run_b / RESULTS)}
    for q in gold:
        if q.id not in results_a or q.id not in results_b:
            continue
        cmp.judged += 1
        a, b = score(q, results_a[q.id]), score(q, results_b[q.id])
        for metric in JUDGED:
            if metric in a and metric in b and a[metric] != b[metric]:
                cmp.changes.append(Change(q.id, metric, a[metric], b[metric], q.question))
    return cmp


def _delta(a: Any, b: Any) -> str:
    if isinstance(a, bool) or isinstance(b, bool):
        return ""
    if not (isinstance(a, int | float) and isinstance(b, int | float)):
        return ""
    d = b - a
    if isinstance(a, int) and isinstance(b, int):
        return f"{d:+d}"
    return f"{d:+.3f}" if abs(a) <= 1 and abs(b) <= 1 else f"{d:+.1f}"


def render_comparison(cmp: Comparison) -> str:
    """A Markdown page: headline figures side by side with deltas, then the changed questions."""
    lines = [
        f"# {cmp.name_a} → {cmp.name_b}",
        "",
        f"| metric | {cmp.name_a} | {cmp.name_b} | Δ |",
        "|---|---|---|---|",
    ]
    for key in HEADLINE:
        va, vb = cmp.metrics_a.get(key), cmp.metrics_b.get(key)
        lines.append(f"| {key} | {fmt(va)} | {fmt(vb)} | {_delta(va, vb)} |")
    lines += [""] + [f"> {note}" for note in cmp.notes]
    for title, changes in (("From hit to miss", cmp.worse()), ("From miss to hit", cmp.better())):
        lines += [f"## {title}", ""]
        for metric, label in JUDGED.items():
            ids = [c for c in changes if c.metric == metric]
            lines.append(f"- by {label}: " + (", ".join(c.id for c in ids) if ids else "none"))
        lines.append("")
    lines.append(f"{cmp.judged} questions answered in both runs were judged.")
    return "\n".join(lines) + "\n"


def write_comparison(cmp: Comparison, path: str | Path | None = None) -> Path:
    """Write the rendered comparison (default: DIR_B/compare_<nameA>.md); return where."""
    out = Path(path) if path else cmp.dir_b / f"compare_{cmp.name_a}.md"
    out.write_text(render_comparison(cmp), encoding="utf-8")
    return out
