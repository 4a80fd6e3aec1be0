"""results.jsonl: one line per question, appended and flushed as each finishes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rag.evaluation.questions import Question
from rag.present import answer_record
from rag.types import Answer


def answer_to_result(q: Question, answer: Answer) -> dict[str, Any]:
    record = answer_record(answer, id=q.id)
    record["question"] = q.question
    record.update({"type": q.type, "lang": q.lang})
    return record


def error_result(q: Question, err: BaseException, backend: str) -> dict[str, Any]:
    return {
        "id": q.id,
        "question": q.question,
        "answer": "",
        "refused": False,
        "citations": [],
        "retrieved": [],
        "timings_ms": {},
        "backend": backend,
        "type": q.type,
        "lang": q.lang,
        "error": f"{type(err).__name__}: {err}",
    }


def read_results(path: Path) -> list[dict[str, Any]]:
    """Complete lines only: a line cut short by a killed run is dropped (and redone)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def write_results(path: Path, results: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8"
    )


def append_result(path: Path, result: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
        f.flush()
