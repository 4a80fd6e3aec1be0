"""bench.json as the Markdown tables the README quotes."""

from __future__ import annotations

from typing import Any

from rag.bench.latency import STAGES


def _ms(s: dict[str, Any]) -> str:
    return f"{s['p50']} | {s['p95']} | {s['n']}"


def _machine(m: dict[str, Any]) -> list[str]:
    return [f"Machine: {m['cpu']} ({m['cores']} cores, {m['memory']}), Python {m['python']}", ""]


def _indexing(ix: dict[str, Any]) -> list[str]:
    c, w, cli, one = ix["cold"], ix["warm"], ix["warm_cli"], ix["one_file_changed"]
    return [
        "| indexing the seeds | seconds | embedded |",
        "|---|---|---|",
        f"| cold ({c['files']} files, {c['chunks']} chunks; {c['chunks_per_s']} chunks/s) "
        f"| {c['s']} | {c['embedded']} |",
        f"| warm, nothing changed | {w['s']} | {w['embedded']} |",
        f"| warm, as a fresh `rag index` process (start-up included) | {cli['s']} | 0 |",
        f"| one passage of one file changed | {one['s']} | {one['embedded']} |",
        "",
    ]


def _retrieval(r: dict[str, Any]) -> list[str]:
    lines = [
        "| retrieval mode | p50 ms | p95 ms | n | hit@1 | hit@5 | MRR@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, m in r.items():
        lines.append(f"| {mode} | {_ms(m['ms'])} | {m['hit@1']} | {m['hit@5']} | {m['mrr@10']} |")
    return [*lines, ""]


def _answers(answers: dict[str, Any]) -> list[str]:
    lines = [
        "| backend | sources ms p50 | first token ms p50 / p95 | whole answer ms p50 / p95 "
        "| tokens/s | n | fallbacks |",
        "|---|---|---|---|---|---|---|",
    ]
    for backend, a in answers.items():
        f, t = a["first_token_ms"], a["total_ms"]
        lines.append(
            f"| {backend} | {a['sources_ms']['p50']} | {f['p50']} / {f['p95']} "
            f"| {t['p50']} / {t['p95']} | {a['tokens_per_s_median']} | {t['n']} "
            f"| {a['fallbacks']} |"
        )
    lines += ["", "| backend | " + " | ".join(f"{k} ms p50" for k in STAGES) + " |"]
    lines.append("|---" * (len(STAGES) + 1) + "|")
    for backend, a in answers.items():
        stages = a.get("stages_ms_p50", {})
        lines.append(f"| {backend} | " + " | ".join(str(stages.get(k, "")) for k in STAGES) + " |")
    return [*lines, ""]


def _memory(mem: dict[str, Any]) -> list[str]:
    lines = [
        "| job | peak RSS MB | RSS MB at rest | model process MB | total MB |",
        "|---|---|---|---|---|",
    ]
    for backend, m in mem["ask"].items():
        model = m.get("model_peak_rss_mb", 0)
        total = m["peak_rss_mb"] + model
        lines.append(
            f"| `rag ask --backend {backend}` | {m['peak_rss_mb']} | | {model} | {total} |"
        )
    for backend, m in mem["ui_at_rest"].items():
        if "error" in m:
            lines.append(f"| `rag ui --backend {backend}` | {m['error']} | | | |")
            continue
        model = m.get("model_rss_mb", 0)
        lines.append(
            f"| `rag ui --backend {backend}`, at rest | {m['peak_rss_mb']} | {m['rss_mb']} "
            f"| {model} | {m['rss_mb'] + model} |"
        )
    for job, m in mem.get("workers", {}).items():
        if "error" in m:
            lines.append(f"| `rag serve`, {job} | {m['error']} | | | |")
            continue
        workers = " + ".join(str(w) for w in m["workers_rss_mb"])
        lines.append(
            f"| `rag serve`, {job} ({m['model_processes']} model process) | | {workers} "
            f"| {m['model_rss_mb']} | {m['total_mb']} |"
        )
    return [*lines, ""]


def _scale(scale: dict[str, Any]) -> list[str]:
    lines = [
        "| chunks | store | retrieval p50 ms | p95 ms | queries | fill s "
        "| first start s (rebuild) | start s (saved index) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['chunks']} | {r['store']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} "
        f"| {r['fill_s'] if r['fill_s'] is not None else 'reused'} | {r['rebuild_s']} "
        f"| {r['start_s']} |"
        for r in scale["rows"]
    ]
    lines += [
        f"\nGrowth, {g['store']}, {g['from']} to {g['to']} chunks: p50 x{g['p50_x']}, "
        f"p95 x{g['p95_x']}."
        for g in scale["growth"]
    ]
    if scale.get("workers"):
        w = scale["workers"]
        lines += [
            "",
            f"| `rag serve` workers ({w['chunks']} chunks, server) | clients | answered / s "
            "| p50 ms | p95 ms | refused | start to /health s |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['workers']} | {r['clients']} | {r['per_s']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['refused']} | {r['start_s']} |"
            for r in w["rows"]
        ]
    return [*lines, ""]


def render(report: dict[str, Any]) -> str:
    lines = _machine(report["machine"])
    parts = [
        ("indexing", _indexing),
        ("retrieval", _retrieval),
        ("answers", _answers),
        ("memory", _memory),
        ("scale", _scale),
    ]
    for key, part in parts:
        if report.get(key):
            lines += part(report[key])
    return "\n".join(lines).rstrip() + "\n"
