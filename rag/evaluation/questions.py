"""Question sets: JSON Lines (DESIGN.md "Question-set format") or CSV with a `question` column."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class QuestionSetError(ValueError):
    """A question set that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool | None = None
    expected_sources: tuple[tuple[str, str], ...] = ()  # (file, title)
    expected_facts: tuple[tuple[str, ...], ...] = ()
    type: str | None = None
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _question(record: dict[str, Any], where: str, index: int) -> Question:
    text = record.get("question")
    if not isinstance(text, str):
        raise QuestionSetError(f"{where}: no 'question' field")
    if not text.strip():
        raise QuestionSetError(f"{where}: the question is empty")
    answerable = record.get("answerable")
    if isinstance(answerable, str):
        answerable = answerable.strip().lower() in ("1", "true", "yes", "y")
    sources = tuple(
        (str(s.get("file", "")), str(s.get("title", "")))
        for s in record.get("expected_sources") or []
        if isinstance(s, dict)
    )
    facts = tuple(
        tuple(str(alt) for alt in (group if isinstance(group, list) else [group]))
        for group in record.get("expected_facts") or []
    )
    return Question(
        id=str(record.get("id") or f"q{index:03d}"),
        question=text,
        answerable=answerable if isinstance(answerable, bool) else None,
        expected_sources=sources,
        expected_facts=facts,
        type=record.get("type") or None,
        lang=record.get("lang") or None,
    )


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise QuestionSetError(f"{path}: cannot read ({err})") from err
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        if rows and "question" not in rows[0]:
            raise QuestionSetError(f"{path}: a CSV question set needs a 'question' column")
        return [(f"{path}:{i + 2}", row) for i, row in enumerate(rows)]
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise QuestionSetError(f"{path}:{number}: invalid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise QuestionSetError(f"{path}:{number}: expected a JSON object")
        out.append((f"{path}:{number}", record))
    return out


def load_questions(path: Path) -> list[Question]:
    """The questions in file order. Bad lines raise QuestionSetError naming the line."""
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for index, (where, record) in enumerate(_records(Path(path)), start=1):
        q = _question(record, where, index)
        if q.id in seen:
            raise QuestionSetError(f"{where}: duplicate id {q.id!r} (first at {seen[q.id]})")
        seen[q.id] = where
        questions.append(q)
    return questions
