"""Question sets: JSON Lines (DESIGN.md "Question-set format") or CSV with a `question` column.

Every field but `question` is optional. Questions keep file order; a missing id becomes `q001`,
`q002`, ... by position. A bad line raises QuestionSetError naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rag.evaluation.errors import QuestionSetError

Source = tuple[str, str]  # an article: (file, title)

_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool | None = None  # None: not said (no refusal figures for it)
    expected_sources: tuple[Source, ...] = ()
    expected_facts: tuple[tuple[str, ...], ...] = ()  # groups of alternatives
    type: str | None = None
    lang: str | None = None
    direction: str | None = None  # question language -> passage language: "en->zh", ...
    split: str | None = None  # which part of a set: "calibration" (thresholds) or "eval"

    def to_record(self) -> dict[str, Any]:
        """The question as one JSON Lines record of the question-set format."""
        record = asdict(self)
        record["expected_sources"] = [{"file": f, "title": t} for f, t in self.expected_sources]
        record["expected_facts"] = [list(group) for group in self.expected_facts]
        return {k: v for k, v in record.items() if v not in (None, [], ())}


def _answerable(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise QuestionSetError(f"{where}: 'answerable' must be true or false, not {value!r}")


def _sources(value: Any, where: str) -> tuple[Source, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise QuestionSetError(f"{where}: 'expected_sources' must be a list of {{file, title}}")
    out = []
    for s in value:
        if not (isinstance(s, dict) and s.get("file") and s.get("title")):
            raise QuestionSetError(
                f"{where}: each expected source needs a 'file' and a 'title', got {s!r}"
            )
        out.append((str(s["file"]), str(s["title"])))
    return tuple(out)


def _facts(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise QuestionSetError(f"{where}: 'expected_facts' must be a list of lists of strings")
    groups = []
    for group in value:
        alts = group if isinstance(group, list) else [group]
        alts = [str(a) for a in alts if str(a).strip()]
        if not alts:
            raise QuestionSetError(f"{where}: an expected fact group is empty")
        groups.append(tuple(alts))
    return tuple(groups)


def _text(value: Any) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _question(record: dict[str, Any], where: str, position: int) -> Question:
    text = record.get("question")
    if text is None:
        raise QuestionSetError(f"{where}: no 'question' field")
    if not isinstance(text, str):
        raise QuestionSetError(f"{where}: 'question' must be a string, not {text!r}")
    if not text.strip():
        raise QuestionSetError(f"{where}: the question is empty")
    return Question(
        id=_text(record.get("id")) or f"q{position:03d}",
        question=text.strip(),
        answerable=_answerable(record.get("answerable"), where),
        expected_sources=_sources(record.get("expected_sources"), where),
        expected_facts=_facts(record.get("expected_facts"), where),
        type=_text(record.get("type")),
        lang=_text(record.get("lang")),
        direction=_text(record.get("direction")),
        split=_text(record.get("split")),
    )


def _csv_records(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "question" not in [f.strip() for f in reader.fieldnames]:
        raise QuestionSetError(
            f"{path}:1: a CSV question set needs a 'question' column, found {reader.fieldnames}"
        )
    out = []
    for row in reader:
        record = {(k or "").strip(): v for k, v in row.items()}
        for key in ("expected_sources", "expected_facts"):  # JSON in a cell, if given
            if record.get(key):
                try:
                    record[key] = json.loads(record[key])
                except json.JSONDecodeError as err:
                    raise QuestionSetError(
                        f"{path}:{reader.line_num}: {key} is not JSON ({err.msg})"
                    ) from err
        out.append((f"{path}:{reader.line_num}", record))
    return out


def _jsonl_records(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise QuestionSetError(f"{path}:{number}: invalid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise QuestionSetError(f"{path}:{number}: expected a JSON object, got {line[:40]!r}")
        out.append((f"{path}:{number}", record))
    return out


def load_questions(path: str | Path) -> list[Question]:
    """The questions of a .jsonl (or .csv) file, in file order."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise QuestionSetError(f"{path}: cannot read the question set ({err})") from err
    csv_file = path.suffix.lower() == ".csv"
    records = _csv_records(path, text) if csv_file else _jsonl_records(path, text)
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for position, (where, record) in enumerate(records, start=1):
        q = _question(record, where, position)
        if q.id in seen:
            raise QuestionSetError(f"{where}: duplicate id {q.id!r} (first at {seen[q.id]})")
        seen[q.id] = where
        questions.append(q)
    return questions


def write_questions(path: Path, questions: list[Question]) -> None:
    """The set as JSON Lines: a run keeps a copy so it can be judged again without the original."""
    path.write_text(
        "".join(json.dumps(q.to_record(), ensure_ascii=False) + "\n" for q in questions),
        encoding="utf-8",
    )
