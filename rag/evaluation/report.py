"""report.md with the settings, the figures, a per-question table (misses first) and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.evaluation.metrics import per_question
from rag.evaluation.questions import Question

HEADLINE = (
    "n",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr@10",
    "fact_accuracy",
    "citation_precision",
    "cites_expected_share",
    "unanswerable_refused",
    "answerable_refused",
    "errors",
    "latency_retrieve_p50_ms",
    "latency_generate_p50_ms",
    "latency_total_p50_ms",
    "latency_total_p95_ms",
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1 else str(value)


def _facts(row: dict[str, Any]) -> str:
    if "facts" not in row:
        return ""
    return "yes" if row["facts"] else "no"


def _charts(out_dir: Path, results: list[dict[str, Any]], metrics: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    totals = [
        r["timings_ms"]["total"] / 1000 for r in results if r.get("timings_ms", {}).get("total")
    ]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    axes[0].hist(totals or [0], bins=min(20, max(5, len(totals))), color="#2563eb")
    axes[0].set_title("Answer latency (s)")
    axes[0].set_xlabel("seconds")
    by_type = metrics.get("by_type", {})
    types = list(by_type)
    hits = [by_type[t].get("hit@5") or 0 for t in types]
    facts = [by_type[t].get("fact_accuracy") or 0 for t in types]
    x = range(len(types))
    axes[1].bar([i - 0.2 for i in x], hits, width=0.4, label="hit@5")
    axes[1].bar([i + 0.2 for i in x], facts, width=0.4, label="fact accuracy")
    axes[1].set_xticks(list(x), types, rotation=30, ha="right")
    axes[1].set_ylim(0, 1.05)
    axes[1].set_title("By question type")
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out_dir / "charts.png", dpi=110)
    plt.close(fig)
    names.append("charts.png")
    return names


def write_report(
    out_dir: Path, questions: list[Question], results: list[dict[str, Any]], metrics: dict[str, Any]
) -> Path:
    by_id = {r["id"]: r for r in results}
    rows = [(q, by_id[q.id], per_question(q, by_id[q.id])) for q in questions if q.id in by_id]

    def missed(row: dict[str, Any], q: Question, r: dict[str, Any]) -> bool:
        return bool(
            row.get("error")
            or row.get("hit@5") == 0
            or row.get("facts") is False
            or (q.answerable is False and not r.get("refused"))
            or (q.answerable is True and r.get("refused"))
        )

    rows.sort(key=lambda t: not missed(t[2], t[0], t[1]))
    lines = ["# Evaluation report", "", "## Settings", ""]
    lines += [f"- {k}: `{v}`" for k, v in (metrics.get("settings") or {}).items()]
    lines += ["", "## Figures", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(metrics.get(k))} |" for k in HEADLINE if k in metrics]
    for field in ("by_type", "by_lang"):
        groups = metrics.get(field) or {}
        if groups:
            lines += [
                "",
                f"### {field.replace('_', ' ')}",
                "",
                "| group | n | hit@5 | mrr@10 | fact acc. | refused (unans.) |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                f"| {g} | {m['n']} | {_fmt(m['hit@5'])} | {_fmt(m['mrr@10'])} | "
                f"{_fmt(m['fact_accuracy'])} | {_fmt(m['unanswerable_refused'])} |"
                for g, m in groups.items()
            ]
    charts = _charts(out_dir, [r for _, r, _ in rows], metrics)
    lines += ["", "## Charts", ""] + [f"![{c}]({c})" for c in charts]
    lines += [
        "",
        "## Questions (misses first)",
        "",
        "| | id | type | question | rank | facts | refused | cited ok | answer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for q, r, row in rows:
        mark = "✗" if missed(row, q, r) else "✓"
        answer = (r.get("error") or r.get("answer", "")).replace("\n", " ").replace("|", "\\|")
        lines.append(
            f"| {mark} | {q.id} | {q.type or ''} | {q.question.replace('|', '/')} | "
            f"{row.get('rank') or '–'} | {_facts(row)} | "
            f"{'yes' if r.get('refused') else ''} | "
            f"{row.get('cited_ok', '')}/{row.get('cited', '')} | {answer[:160]} |"
        )
    path = out_dir / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
