"""What checking an answer costs: every answer of earlier `rag eval` runs checked again against
the passages its question retrieves now, once on first sight in a fresh process after `warm_up`
and then warm (the median of `WARM_REPEATS` more: one pass on a shared machine is mostly noise),
and each declared check (`rag.answer.checks.CHECKS`) timed by itself on a warm pass.

    python -m rag.bench.checks runs/local-dev runs/local-hard --out runs/checks [--collection C]

Writes `checks.json` and `checks.md` in `--out`. The answers are the runs' final texts (their
first line: the model's sentences as shown, without the disagreement lines the check adds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag import factory
from rag.answer import checks
from rag.answer.checks import CHECKS
from rag.answer.drafts import Draft
from rag.answer.findings import Check, Context, Finding
from rag.answer.record import Record, parse
from rag.assistant import Assistant
from rag.bench.common import machine, summary
from rag.settings import Settings

WARM_REPEATS = 7  # each answer checked again this many times warm: its median is its warm time


def bench_checks(runs: list[Path], settings: Settings) -> dict[str, Any]:
    assistant = Assistant(settings)
    assistant.warm_up("extractive")  # the index and the embedders
    # the local answerer's checks, without loading the model: the drafts are given
    embedder = assistant.retriever.embedder
    answerer = factory.make_answerer(settings, "local", None, embedder, assistant.profile)
    answerer.warm_up()
    first: list[float] = []
    warm: list[float] = []
    each: dict[str, list[float]] = {check.name: [] for check in CHECKS}
    slowest = ("", 0.0)
    for run in runs:
        for line in (run / "results.jsonl").read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            if result.get("refused") or result.get("error"):
                continue
            question, lang = result["question"], result["language"]
            usable, _ = answerer.screen(assistant.retrieve(question, k=settings.retrieve_k))
            shown = answerer.select(usable, lang) or usable[: settings.top_k]
            others = [c for c in usable if c not in shown]
            draft = Draft(result["answer"].split("\n")[0], True, "local", question=question)
            times = []
            for _ in range(1 + WARM_REPEATS):
                started = time.perf_counter()
                answerer.verify(draft, answerer.read(question, lang), shown, lang, others)
                times.append((time.perf_counter() - started) * 1000)
            first.append(times[0])
            warm.append(statistics.median(times[1:]))
            if first[-1] > slowest[1]:
                slowest = (result["id"], round(first[-1], 1))
            read = answerer.read(question, lang)
            ctx = answerer.context(read, shown, others, final=True, from_llm=True)
            for name, ms in time_each(parse(draft.text), ctx).items():
                each[name].append(ms)
    return {
        "machine": machine(),
        "runs": [str(r) for r in runs],
        "first_sight_ms": summary(first),
        "warm_ms": summary(warm),
        "slowest_first_sight": {"id": slowest[0], "ms": slowest[1]},
        "max_first_sight_ms": round(max(first, default=0.0), 1),
        "each_check_ms": {name: summary(values) for name, values in each.items()},
    }


def time_each(record: Record, ctx: Context) -> dict[str, float]:
    """Milliseconds each check takes to find on `record`, run as `checks.run` runs them."""
    out: dict[str, float] = {}

    def timed(check: Check) -> Check:
        def find(rec: Record, c: Context) -> list[Finding]:
            started = time.perf_counter()
            try:
                return check.find(rec, c)
            finally:
                out[check.name] = (time.perf_counter() - started) * 1000

        return replace(check, find=find)

    checks.run(record, ctx, tuple(timed(check) for check in CHECKS))
    return out


def render_md(figures: dict[str, Any]) -> str:
    f, w = figures["first_sight_ms"], figures["warm_ms"]
    s = figures["slowest_first_sight"]
    return "\n".join(
        [
            "| answer checks | answers | p50 | p95 | max |",
            "|---|---|---|---|---|",
            f"| first sight | {f['n']} | {f['p50']} ms | {f['p95']} ms | "
            f"{figures['max_first_sight_ms']} ms ({s['id']}) |",
            f"| warm | {w['n']} | {w['p50']} ms | {w['p95']} ms | – |",
            "",
            "| each check, warm | answers | p50 | p95 |",
            "|---|---|---|---|",
            *(
                f"| {name} | {v['n']} | {v['p50']} ms | {v['p95']} ms |"
                for name, v in figures["each_check_ms"].items()
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rag.bench.checks", description=__doc__)
    parser.add_argument("runs", type=Path, nargs="+", help="folders of `rag eval` runs")
    parser.add_argument("--out", type=Path, default=Path("runs/checks"))
    parser.add_argument("--collection", help="the collection the runs asked (default: reports)")
    args = parser.parse_args(argv)
    figures = bench_checks(args.runs, Settings().with_overrides(collection=args.collection))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "checks.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    (args.out / "checks.md").write_text(render_md(figures))
    print(render_md(figures))  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
