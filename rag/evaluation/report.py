"""report.md: the settings, the figures, breakdowns, charts (PNG) and a per-question table with
the misses first. Pure formatting of what the runner already computed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rag.evaluation.alce import AlceScore
from rag.evaluation.judging import SELF, Judged
from rag.evaluation.metrics import DETAIL, GROUPS, HEADLINE, is_miss, score
from rag.evaluation.questions import Question

log = logging.getLogger(__name__)

GROUP_COLUMNS = (
    "n",
    "hit@1",
    "hit@5",
    "mrr@10",
    "fact_accuracy",
    "citation_precision",
    "statements_citing_expected",
    "alce_citation_recall",
    "alce_citation_precision",
    "unanswerable_refused",
    "answerable_refused",
    "answered_unanswerables",
    "latency_total_p50_ms",
)


WIDTH = 0.14
BARS = (
    (-2.5 * WIDTH, "hit@5", "hit@5"),
    (-1.5 * WIDTH, "fact_accuracy", "fact accuracy"),
    (-0.5 * WIDTH, "statements_citing_expected", "statements citing an expected source"),
    (0.5 * WIDTH, "alce_citation_recall", "ALCE citation recall"),
    (1.5 * WIDTH, "alce_citation_precision", "ALCE citation precision"),
    (2.5 * WIDTH, "unanswerable_refused", "unanswerable refused"),
)
NO_ALCE = (
    "ALCE citation recall and precision: not measured. They need a judge independent of the "
    "answerer: `rag eval QUESTIONS --out DIR --judge openai`, with RAG_OPENAI_BASE_URL and "
    "RAG_OPENAI_MODEL naming any OpenAI-compatible endpoint."
)
SELF_AGREEMENT = (
    f"{SELF}_*: the answerer's own verifier (SupportVerifier, given by the CLI) judging the "
    "answerer's answers by ALCE's procedure. It applies the rules the answerer applied, so it "
    "measures the product agreeing with itself, not citation quality: it is not ALCE."
)


def fmt(value: Any) -> str:
    """A figure for a table: shares with 3 decimals, milliseconds as they are, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and 0 <= value <= 1:
        return f"{value:.3f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(text: Any, limit: int = 160) -> str:
    flat = " ".join(str(text or "").split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _latency_chart(path: Path, results: list[dict[str, Any]]) -> None:
    from matplotlib.figure import Figure  # no pyplot: no global backend, Agg canvas

    totals = [
        r["timings_ms"]["total"] / 1000
        for r in results
        if not r.get("error") and (r.get("timings_ms") or {}).get("total") is not None
    ]
    fig = Figure(figsize=(6, 3.4))
    ax = fig.subplots()
    ax.hist(totals or [0.0], bins=min(20, max(5, len(totals))), color="#2563eb")
    ax.set_title(f"Answer latency, {len(totals)} questions")
    ax.set_xlabel("seconds (total)")
    ax.set_ylabel("questions")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _groups_chart(path: Path, field: str, groups: dict[str, dict[str, Any]]) -> None:
    from matplotlib.figure import Figure

    names = list(groups)
    x = range(len(names))
    fig = Figure(figsize=(max(6.0, 1.4 * len(names) + 3), 3.6))
    ax = fig.subplots()
    for offset, key, label in BARS:
        shown = [(i, groups[g][key]) for i, g in enumerate(names) if groups[g].get(key) is not None]
        if shown:  # a figure no question of the group can be scored on is left out, not 0
            bars = ax.bar(
                [i + offset for i, _ in shown], [v for _, v in shown], width=WIDTH, label=label
            )
            ax.bar_label(bars, fmt="%.2f", fontsize=6)  # a 0 stays visible
    ax.set_xticks(list(x), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.12)
    ax.set_title(f"By question {field}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_charts(
    out_dir: Path, results: list[dict[str, Any]], metrics: dict[str, Any]
) -> list[str]:
    """The PNG files written into out_dir (names relative to it); none without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        log.warning("no charts: matplotlib is missing (pip install matplotlib)")
        return []
    names = ["latency.png"]
    _latency_chart(out_dir / "latency.png", results)
    for field in GROUPS:
        groups = metrics.get(f"by_{field}") or {}
        if groups:
            name = f"by_{field}.png"
            _groups_chart(out_dir / name, field, groups)
            names.append(name)
            break
    return names


def alce_cell(a: AlceScore | None) -> str:
    """`recall / precision` of one answer's statements; blank for a refusal, an error or no
    judge, a dash when none of its statements was judged."""
    if a is None:
        return ""
    if a.recall is None or a.precision is None:
        return "–"
    return f"{a.recall:.2f} / {a.precision:.2f}"


QUESTION_COLUMNS = (
    "",
    "id",
    "type",
    "lang",
    "question",
    "rank",
    "facts",
    "refused",
    "cited ok",
    "statements citing expected",
    "ALCE R / P",
    "self-agreement R / P",
    "unwarned figures (self-agreement)",
    "answer",
)


def _question_lines(
    rows: list[tuple[Question, dict[str, Any], dict[str, Any]]], judged: Judged
) -> list[str]:
    alce, own, unwarned = judged.alce or {}, judged.self_agreement or {}, judged.unwarned or {}
    lines = ["| " + " | ".join(QUESTION_COLUMNS) + " |", "|" + "---|" * len(QUESTION_COLUMNS)]
    for q, r, row in rows:
        cited = f"{row['cited_ok']}/{row['cited']}" if "cited_ok" in row else str(row["cited"])
        gold = f"{row['statements_ok']}/{row['statements']}" if row.get("statements") else ""
        answer = f"ERROR {r['error']}" if r.get("error") else r.get("answer", "")
        cells = [
            "✗" if is_miss(row) else "✓",
            q.id,
            q.type or "",
            q.lang or "",
            _cell(q.question, 100),
            fmt(row.get("rank")) if "rank" in row else "",
            fmt(row["facts"]) if "facts" in row else "",
            "yes" if row["refused"] else "",
            cited,
            gold,
            alce_cell(alce.get(q.id)),
            alce_cell(own.get(q.id)),
            str(unwarned.get(q.id) or ""),
            _cell(answer),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_report(
    questions: list[Question],
    results: list[dict[str, Any]],
    metrics: dict[str, Any],
    charts: list[str],
    judged: Judged | None = None,
) -> str:
    """The page; `judged` holds each answer's judged counts for its row (`judge_answers`;
    blank when not given)."""
    by_id = {r["id"]: r for r in results}
    rows = [(q, by_id[q.id], score(q, by_id[q.id])) for q in questions if q.id in by_id]
    rows.sort(key=lambda t: not is_miss(t[2]))  # stable: misses first, each in set order
    misses = sum(is_miss(row) for _, _, row in rows)
    lines = ["# Evaluation report", "", "## Settings", ""]
    settings = metrics.get("settings") or {}
    lines += [f"- {k}: `{v}`" for k, v in settings.items()] or ["- (none recorded)"]
    lines += ["", "## Figures", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {fmt(metrics.get(k))} |" for k in HEADLINE + DETAIL if k in metrics]
    notes = [NO_ALCE] if metrics.get("n_alce") is None else []
    notes += [SELF_AGREEMENT] if metrics.get(f"n_{SELF}") is not None else []
    for note in notes:  # a paragraph each
        lines += ["", f"> {note}"]
    for field in GROUPS:
        groups = metrics.get(f"by_{field}") or {}
        if groups:
            lines += ["", f"### By {field}", ""]
            lines += ["| " + " | ".join((field, *GROUP_COLUMNS)) + " |"]
            lines += ["|" + "---|" * (len(GROUP_COLUMNS) + 1)]
            lines += [
                "| " + " | ".join([g] + [fmt(m.get(c)) for c in GROUP_COLUMNS]) + " |"
                for g, m in groups.items()
            ]
    if charts:
        lines += ["", "## Charts", ""] + [f"![{c}]({c})" for c in charts]
    lines += ["", f"## Questions ({misses} of {len(rows)} missed, listed first)", ""]
    lines += _question_lines(rows, judged or Judged())
    return "\n".join(lines) + "\n"


def write_report(
    out_dir: Path,
    questions: list[Question],
    results: list[dict[str, Any]],
    metrics: dict[str, Any],
    judged: Judged | None = None,
) -> Path:
    """report.md (and its charts) in out_dir."""
    charts = write_charts(out_dir, results, metrics)
    path = out_dir / "report.md"
    path.write_text(render_report(questions, results, metrics, charts, judged), encoding="utf-8")
    return path
