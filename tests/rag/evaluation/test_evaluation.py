"""Evaluation: loader, metrics on hand-made cases, the runner's files, resume, compare."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from index.types import Chunk, Scored
from rag.evaluation import QuestionSetError, compare, compute_metrics, load_questions, run_eval
from rag.evaluation.metrics import article_ranks, facts_met, first_hit, mrr_at, percentile
from rag.evaluation.results import read_results
from rag.types import Answer, Citation

A = ("001.txt", "Article A")
B = ("002.txt", "Article B")
C = ("003.txt", "Article C")


def _row(rank: int, article: tuple[str, str]) -> dict:
    return {"rank": rank, "file": article[0], "title": article[1]}


def test_article_ranks__an_article_counts_once_however_many_chunks():
    rows = [_row(1, A), _row(2, A), _row(3, A), _row(4, B)]
    assert article_ranks(rows) == [A, B]
    assert first_hit(article_ranks(rows), {B}) == 2


def test_first_hit__empty_retrieval_is_a_miss():
    assert first_hit(article_ranks([]), {A}) is None
    assert mrr_at(None) == 0.0


@pytest.mark.parametrize(
    ("answer", "groups", "met"),
    [
        ("Employment reached 24,000 people", [["24000"]], True),
        ("就业人数２４０００人", [["24,000", "2.4万"]], True),  # full-width digits
        ("Over 800 firms and 24 000 staff", [["800"], ["24000"]], True),
        ("Over 800 firms", [["800"], ["24000"]], False),
        ("HONGGUO launched it", [["Hongguo", "红果"]], True),
    ],
)
def test_facts_met(answer, groups, met):
    assert facts_met(answer, groups) is met


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10], 95) == 10


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_questions__jsonl_and_csv(tmp_path):
    jsonl = _write(
        tmp_path / "q.jsonl",
        [
            json.dumps(
                {
                    "id": "a",
                    "question": "Q1",
                    "answerable": True,
                    "expected_sources": [{"file": A[0], "title": A[1]}],
                    "expected_facts": [["x", "y"]],
                    "type": "numeric",
                    "lang": "en",
                }
            ),
            json.dumps({"question": "Q2"}),
        ],
    )
    qs = load_questions(jsonl)
    assert [q.id for q in qs] == ["a", "q002"]
    assert qs[0].expected_sources == (A,) and qs[0].expected_facts == (("x", "y"),)
    csv = _write(
        tmp_path / "q.csv", ["id,question,answerable", "c1,郑州有多少企业？,true", "c2,Q,false"]
    )
    assert [(q.id, q.answerable) for q in load_questions(csv)] == [("c1", True), ("c2", False)]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"question": "ok"}', "{not json"], "q.jsonl:2: invalid JSON"),
        (['{"id": "x"}'], "q.jsonl:1: no 'question'"),
        (['{"question": "  "}'], "q.jsonl:1: the question is empty"),
        (
            ['{"id": "d", "question": "a"}', '{"id": "d", "question": "b"}'],
            "q.jsonl:2: duplicate id",
        ),
    ],
)
def test_load_questions__bad_lines_name_the_line(tmp_path, lines, message):
    with pytest.raises(QuestionSetError, match=message):
        load_questions(_write(tmp_path / "q.jsonl", lines))


def _chunk(article: tuple[str, str], text: str) -> Chunk:
    return Chunk(
        chunk_id=f"{article[0]}:{text[:8]}",
        article_id=article[0],
        text=text,
        embed_text=text,
        file=article[0],
        title=article[1],
    )


class FakeAssistant:
    """Scripted answers by question text; records what it was asked."""

    def __init__(
        self,
        script: dict[str, tuple],
        fail_on: set[str] = frozenset(),
        interrupt_on: str | None = None,
    ):
        self.script, self.fail_on, self.interrupt_on = script, fail_on, interrupt_on
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        if question == self.interrupt_on:
            raise KeyboardInterrupt
        if question in self.fail_on:
            raise RuntimeError("model exploded")
        text, refused, retrieved, cited = self.script[question]
        contexts = [
            Scored(_chunk(a, f"text of {a[1]} {i}"), 1.0 - i / 10) for i, a in enumerate(retrieved)
        ]
        citations = [
            Citation(
                n=i + 1,
                file=a[0],
                title=a[1],
                publisher="36Kr",
                published=datetime(2025, 9, 24),
                quote="q",
                refs=(1,),
                chunk_id="c",
            )
            for i, a in enumerate(cited)
        ]
        return Answer(
            text=text,
            citations=citations,
            contexts=contexts,
            refused=refused,
            language="en",
            backend="fake",
            timings_ms={"retrieve": 10.0, "generate": 100.0, "total": 110.0},
            question=question,
        )


QUESTIONS = [
    {
        "id": "q1",
        "question": "hit at 1",
        "answerable": True,
        "type": "numeric",
        "lang": "en",
        "expected_sources": [{"file": A[0], "title": A[1]}],
        "expected_facts": [["696"]],
    },
    {
        "id": "q2",
        "question": "hit at 2",
        "answerable": True,
        "type": "numeric",
        "lang": "zh",
        "expected_sources": [{"file": B[0], "title": B[1]}],
        "expected_facts": [["800"]],
    },
    {
        "id": "q3",
        "question": "miss",
        "answerable": True,
        "type": "factoid",
        "lang": "en",
        "expected_sources": [{"file": C[0], "title": C[1]}],
        "expected_facts": [["Hongguo"]],
    },
    {
        "id": "q4",
        "question": "unanswerable",
        "answerable": False,
        "type": "unanswerable",
        "lang": "en",
    },
]
SCRIPT = {
    "hit at 1": ("It had 696 million users [1].", False, [A, A, B], [A]),
    "hit at 2": ("Over 800 firms [1][2].", False, [A, A, B], [B, A]),
    "miss": ("The reports do not contain the answer.", True, [A, B], []),
    "unanswerable": ("The reports do not contain the answer.", True, [A], []),
}


def _questions(tmp_path: Path) -> Path:
    return _write(tmp_path / "set.jsonl", [json.dumps(q) for q in QUESTIONS])


def test_run_eval__writes_three_files_and_metrics_recompute_from_results(tmp_path):
    qpath = _questions(tmp_path)
    metrics = run_eval(
        FakeAssistant(SCRIPT),
        load_questions(qpath),
        tmp_path / "run",
        settings_summary={"backend": "fake", "questions": str(qpath)},
        progress=False,
    )
    out = tmp_path / "run"
    assert {p.name for p in out.iterdir()} >= {
        "results.jsonl",
        "metrics.json",
        "report.md",
        "charts.png",
    }
    written = json.loads((out / "metrics.json").read_text())
    again = compute_metrics(load_questions(qpath), read_results(out / "results.jsonl"))
    again["settings"] = written["settings"]
    assert again == written
    assert metrics["hit@1"] == pytest.approx(1 / 3, abs=1e-3)
    assert metrics["hit@3"] == pytest.approx(2 / 3, abs=1e-3)
    assert metrics["mrr@10"] == pytest.approx(1.5 / 3, abs=1e-3)
    assert metrics["fact_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert metrics["citation_precision"] == pytest.approx(
        2 / 3, abs=1e-3
    )  # A ok, B ok, A wrong for q2
    assert metrics["cites_expected_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert metrics["unanswerable_refused"] == 1.0
    assert metrics["answerable_refused_count"] == 1
    assert metrics["by_lang"]["zh"]["n"] == 1 and metrics["by_type"]["numeric"]["hit@5"] == 1.0
    line = json.loads((out / "results.jsonl").read_text().splitlines()[0])
    assert set(line) >= {
        "id",
        "question",
        "answer",
        "refused",
        "citations",
        "retrieved",
        "timings_ms",
        "backend",
    }
    assert set(line["citations"][0]) >= {
        "n",
        "file",
        "title",
        "publisher",
        "published",
        "quote",
        "refs",
    }
    assert set(line["retrieved"][0]) == {"rank", "file", "title", "chunk_id", "score", "text"}
    report = (out / "report.md").read_text()
    assert report.index("| q3 |") < report.index("| q1 |")  # misses first


def test_run_eval__a_failing_question_is_recorded_and_the_run_goes_on(tmp_path):
    qs = load_questions(_questions(tmp_path))
    metrics = run_eval(
        FakeAssistant(SCRIPT, fail_on={"miss"}), qs, tmp_path / "run", progress=False
    )
    results = read_results(tmp_path / "run" / "results.jsonl")
    assert [r["id"] for r in results] == ["q1", "q2", "q3", "q4"]
    assert "model exploded" in results[2]["error"] and metrics["errors"] == 1


def test_run_eval__resume_skips_finished_questions(tmp_path):
    qs = load_questions(_questions(tmp_path))
    first = FakeAssistant(SCRIPT, interrupt_on="miss")
    with pytest.raises(KeyboardInterrupt):
        run_eval(first, qs, tmp_path / "run", progress=False)
    with (tmp_path / "run" / "results.jsonl").open("a") as f:
        f.write('{"id": "q3", "answ')  # a line torn by the kill
    second = FakeAssistant(SCRIPT)
    run_eval(second, qs, tmp_path / "run", resume=True, progress=False)
    assert second.asked == ["miss", "unanswerable"]
    ids = [r["id"] for r in read_results(tmp_path / "run" / "results.jsonl")]
    assert ids == ["q1", "q2", "q3", "q4"]


def test_compare__lists_questions_that_went_from_hit_to_miss(tmp_path):
    qpath = _questions(tmp_path)
    qs = load_questions(qpath)
    summary = {"questions": str(qpath)}
    run_eval(FakeAssistant(SCRIPT), qs, tmp_path / "a", settings_summary=summary, progress=False)
    worse = dict(SCRIPT, **{"hit at 1": ("It had 696 million users [1].", False, [C, B], [C])})
    run_eval(FakeAssistant(worse), qs, tmp_path / "b", settings_summary=summary, progress=False)
    cmp = compare(tmp_path / "a", tmp_path / "b")
    assert ("q1", "hit@5", "True", "False") in cmp.changes
