"""results.jsonl: one line per question (DESIGN.md "Results file"), appended and flushed as each
question finishes, so a killed run loses at most the line it was writing."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rag.evaluation.questions import Question
from rag.records import answer_record
from rag.types import Answer

TIMINGS = ("retrieve", "generate", "total")


def _timings(measured: Mapping[str, float], elapsed_ms: float | None) -> dict[str, float | None]:
    """The three timings; one the answer did not measure is None (never a misleading 0),
    except `total`, which falls back to the wall time the runner measured."""
    out: dict[str, float | None] = {k: measured.get(k) for k in TIMINGS}
    if out["total"] is None and elapsed_ms is not None:
        out["total"] = round(elapsed_ms, 1)
    return out


def answer_to_result(
    q: Question, answer: Answer, elapsed_ms: float | None = None
) -> dict[str, Any]:
    """One results line: the DESIGN.md shape, plus the set's `type`/`lang` and the answer's
    `language`, `notices` and `standalone_question`."""
    record = answer_record(answer, id=q.id)
    record["question"] = q.question
    record["timings_ms"] = _timings(answer.timings_ms, elapsed_ms)
    record.update({"type": q.type, "lang": q.lang})
    return record


def error_result(
    q: Question, err: BaseException, backend: str, elapsed_ms: float | None = None
) -> dict[str, Any]:
    """The line of a question whose ask raised: no answer, not refused, the error named."""
    return {
        "id": q.id,
        "question": q.question,
        "answer": "",
        "refused": False,
        "citations": [],
        "retrieved": [],
        "timings_ms": _timings({}, elapsed_ms),
        "backend": backend,
        "type": q.type,
        "lang": q.lang,
        "error": f"{type(err).__name__}: {err}",
    }


def read_results(path: Path) -> list[dict[str, Any]]:
    """The complete lines of a results file, in file order. A line cut short by a killed run
    (not valid JSON, or not an object with an id) is dropped, so that question is redone."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "id" in record:
            out.append(record)
    return out


def write_results(path: Path, results: list[dict[str, Any]]) -> None:
    """Replace the file atomically (a kill mid-write leaves the old file whole)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8"
    )
    os.replace(tmp, path)


def append_result(path: Path, result: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
        f.flush()
