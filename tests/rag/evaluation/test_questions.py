"""The question-set loader: JSON Lines and CSV, ids, and bad lines named by number."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag.errors import RagError
from rag.evaluation import QuestionSetError, load_questions
from tests.rag.evaluation.scripted import A

DEV = Path(__file__).resolve().parents[2] / "data" / "dev.jsonl"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_questions__jsonl_with_and_without_gold(tmp_path):
    full = {
        "id": "a",
        "question": "Q1",
        "answerable": True,
        "expected_sources": [{"file": A[0], "title": A[1]}],
        "expected_facts": [["x", "y"], ["z"]],
        "type": "numeric",
        "lang": "en",
    }
    qs = load_questions(_write(tmp_path / "q.jsonl", [json.dumps(full), "", '{"question": "Q2"}']))
    assert [q.id for q in qs] == ["a", "q002"]
    assert qs[0].expected_sources == (A,) and qs[0].expected_facts == (("x", "y"), ("z",))
    assert (qs[0].answerable, qs[0].type, qs[0].lang) == (True, "numeric", "en")
    assert (qs[1].answerable, qs[1].expected_sources, qs[1].type) == (None, (), None)


def test_load_questions__csv_with_optional_columns(tmp_path):
    path = _write(
        tmp_path / "q.csv",
        [
            "id,question,answerable,type,lang",
            "c1,郑州有多少企业？,true,numeric,zh",
            'c2,"Two lines,\nand a comma",false,,en',
            ",Q3,,,",
        ],
    )
    qs = load_questions(path)
    assert [(q.id, q.answerable) for q in qs] == [("c1", True), ("c2", False), ("q003", None)]
    assert qs[0].type == "numeric" and qs[1].type is None and qs[1].lang == "en"
    assert qs[1].question == "Two lines,\nand a comma"


def test_load_questions__csv_with_only_a_question_column(tmp_path):
    qs = load_questions(_write(tmp_path / "q.csv", ["question", "one?", "two?"]))
    assert [(q.id, q.question) for q in qs] == [("q001", "one?"), ("q002", "two?")]


@pytest.mark.parametrize(
    ("name", "lines", "message"),
    [
        ("q.jsonl", ['{"question": "ok"}', "{not json"], "q.jsonl:2: invalid JSON"),
        ("q.jsonl", ['{"id": "x"}'], "q.jsonl:1: no 'question' field"),
        ("q.jsonl", ['{"question": "  "}'], "q.jsonl:1: the question is empty"),
        ("q.jsonl", ["[1, 2]"], "q.jsonl:1: expected a JSON object"),
        (
            "q.jsonl",
            ['{"id": "d", "question": "a"}', "", '{"id": "d", "question": "b"}'],
            "q.jsonl:3: duplicate id 'd'",
        ),
        ("q.jsonl", ['{"question": "a", "answerable": "maybe"}'], "q.jsonl:1: 'answerable'"),
        (
            "q.jsonl",
            ['{"question": "a", "expected_sources": [{"file": "x"}]}'],
            "q.jsonl:1: each expected source needs a 'file' and a 'title'",
        ),
        ("q.csv", ["id,text", "1,a"], "q.csv:1: a CSV question set needs a 'question' column"),
        ("q.csv", ["id,question", "a,one", "b,  "], "q.csv:3: the question is empty"),
        ("q.csv", ["id,question", "a,one", "a,two"], "q.csv:3: duplicate id 'a'"),
    ],
)
def test_load_questions__bad_lines_name_the_line(tmp_path, name, lines, message):
    with pytest.raises(QuestionSetError, match=re.escape(message)) as info:
        load_questions(_write(tmp_path / name, lines))
    assert str(tmp_path / name) in str(info.value)
    assert isinstance(info.value, RagError)  # the CLI reports it without a traceback


def test_load_questions__missing_file_is_a_question_set_error(tmp_path):
    with pytest.raises(QuestionSetError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


@pytest.mark.skipif(not DEV.is_file(), reason="the shared dev set is not here")
def test_load_questions__reads_the_dev_set_in_file_order():
    qs = load_questions(DEV)
    ids = [json.loads(line)["id"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    assert [q.id for q in qs] == ids
    assert any(q.answerable is False for q in qs)


def test_load_questions__keeps_the_direction_of_a_crosslingual_question(tmp_path):
    line = {"question": "Where does Zhengzhou rank?", "lang": "en", "direction": "en->zh"}
    qs = load_questions(_write(tmp_path / "q.jsonl", [json.dumps(line), '{"question": "Q2"}']))
    assert (qs[0].direction, qs[1].direction) == ("en->zh", None)
    assert qs[0].to_record()["direction"] == "en->zh" and "direction" not in qs[1].to_record()


def test_load_questions__the_crosslingual_set_has_every_direction():
    qs = load_questions(DEV.with_name("crosslingual.jsonl"))
    assert {q.direction for q in qs} == {"zh->zh", "zh->en", "en->en", "en->zh"}
