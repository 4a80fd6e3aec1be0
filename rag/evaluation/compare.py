"""Two runs side by side: headline figures with deltas, and the questions that changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.evaluation.metrics import per_question
from rag.evaluation.questions import Question, load_questions
from rag.evaluation.report import HEADLINE, _fmt
from rag.evaluation.results import read_results


@dataclass
class Comparison:
    name_a: str
    name_b: str
    metrics_a: dict[str, Any]
    metrics_b: dict[str, Any]
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, what, a, b


def _scores(run: Path, questions: list[Question]) -> dict[str, dict[str, Any]]:
    by_id = {r["id"]: r for r in read_results(run / "results.jsonl")}
    out = {}
    for q in questions:
        if q.id in by_id:
            row = per_question(q, by_id[q.id])
            out[q.id] = {
                "hit@5": None if row.get("hit@5") is None else row["hit@5"] == 1.0,
                "facts": row.get("facts"),
                "refused": bool(by_id[q.id].get("refused")),
            }
    return out


def compare(run_a: Path, run_b: Path, questions: Path | None = None) -> Comparison:
    """Compare two `rag eval` output folders, judged against the question set (by default the
    one recorded in run B's metrics.json)."""
    metrics_a = json.loads((run_a / "metrics.json").read_text(encoding="utf-8"))
    metrics_b = json.loads((run_b / "metrics.json").read_text(encoding="utf-8"))
    source = questions or Path(metrics_b.get("settings", {}).get("questions", ""))
    gold = load_questions(source) if source.is_file() else []
    a, b = _scores(run_a, gold), _scores(run_b, gold)
    cmp = Comparison(run_a.name, run_b.name, metrics_a, metrics_b)
    for qid in a:
        if qid not in b:
            continue
        for what in ("hit@5", "facts", "refused"):
            if (
                a[qid][what] is not None
                and b[qid][what] is not None
                and a[qid][what] != b[qid][what]
            ):
                cmp.changes.append((qid, what, str(a[qid][what]), str(b[qid][what])))
    return cmp


def render_comparison(cmp: Comparison) -> str:
    lines = [
        f"# {cmp.name_a} vs {cmp.name_b}",
        "",
        f"| metric | {cmp.name_a} | {cmp.name_b} | Δ |",
        "|---|---|---|---|",
    ]
    for key in HEADLINE:
        va, vb = cmp.metrics_a.get(key), cmp.metrics_b.get(key)
        delta = (
            f"{vb - va:+.3f}"
            if isinstance(va, (int, float)) and isinstance(vb, (int, float))
            else ""
        )
        lines.append(f"| {key} | {_fmt(va)} | {_fmt(vb)} | {delta} |")
    lines += ["", "## Questions that changed", ""]
    if not cmp.changes:
        lines.append("None.")
    for qid, what, va, vb in cmp.changes:
        lines.append(f"- {qid}: {what} {va} → {vb}")
    return "\n".join(lines) + "\n"
