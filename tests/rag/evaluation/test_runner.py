"""run_eval with a scripted assistant: the three files, recomputable metrics, errors, resume."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from rag.evaluation import (
    HEADLINE,
    Question,
    compute_metrics,
    load_questions,
    read_results,
    run_eval,
)
from rag.evaluation.results import answer_to_result
from tests.rag.evaluation.scripted import (
    QUESTIONS,
    SCRIPT,
    DigitCheck,
    ScriptedAssistant,
    write_set,
)

RESULT_KEYS = {
    "id",
    "question",
    "answer",
    "refused",
    "citations",
    "retrieved",
    "timings_ms",
    "backend",
}


def _run(tmp_path, asker, **kwargs):
    qpath = write_set(tmp_path / "set.jsonl")
    kwargs.setdefault("settings_summary", {"backend": "scripted", "questions": str(qpath)})
    metrics = run_eval(asker, load_questions(qpath), tmp_path / "run", progress=False, **kwargs)
    return qpath, metrics


def test_run_eval__writes_results_metrics_report_and_charts(tmp_path):
    _, metrics = _run(tmp_path, ScriptedAssistant(SCRIPT))
    out = tmp_path / "run"
    names = {p.name for p in out.iterdir()}
    assert {"results.jsonl", "metrics.json", "report.md", "latency.png", "by_type.png"} <= names
    assert (out / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    written = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert written == metrics
    assert list(written)[: len(HEADLINE)] == list(HEADLINE)  # the hook shows the first 14
    assert written["settings"]["backend"] == "scripted"
    assert (metrics["hit@1"], metrics["hit@3"], metrics["mrr@10"]) == (0.3333, 0.6667, 0.5)
    assert metrics["fact_accuracy"] == 0.6667 and metrics["citation_precision"] == 0.6667
    assert metrics["unanswerable_refused"] == 1.0 and metrics["answerable_refused_count"] == 1
    assert metrics["latency_total_p50_ms"] == 110.0
    assert metrics["by_lang"]["zh"]["hit@5"] == 1.0 and metrics["by_type"]["factoid"]["n"] == 1


def test_run_eval__metrics_recomputed_from_results_jsonl_agree(tmp_path):
    qpath, _ = _run(tmp_path, ScriptedAssistant(SCRIPT))
    out = tmp_path / "run"
    written = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    again = compute_metrics(load_questions(qpath), read_results(out / "results.jsonl"))
    assert again == {k: v for k, v in written.items() if k != "settings"}


def test_run_eval__results_have_the_design_shape(tmp_path):
    _run(tmp_path, ScriptedAssistant(SCRIPT))
    lines = (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4"]
    first = records[0]
    assert set(first) >= RESULT_KEYS
    assert first["question"] == "hit at 1" and first["backend"] == "scripted"
    assert set(first["citations"][0]) >= {"n", "file", "title", "publisher", "published"}
    assert set(first["citations"][0]) >= {"quote", "refs"}
    assert first["citations"][0]["published"] == "2025-09-24T08:30:00"
    assert first["citations"][0]["refs"] == [1]
    assert set(first["retrieved"][0]) == {"rank", "file", "title", "chunk_id", "score", "text"}
    assert [r["rank"] for r in first["retrieved"]] == [1, 2, 3, 4]
    assert first["timings_ms"] == {"retrieve": 10.0, "generate": 100.0, "total": 110.0}


def test_answer_to_result__a_missing_timing_is_none_and_total_falls_back_to_wall_time():
    q = Question("x", "hit at 1")
    answer = ScriptedAssistant(SCRIPT).ask("hit at 1")
    answer = replace(answer, timings_ms={"retrieve": 3.0})
    result = answer_to_result(q, answer, elapsed_ms=42.04)
    assert result["timings_ms"] == {"retrieve": 3.0, "generate": None, "total": 42.0}


def test_run_eval__the_report_lists_misses_first_and_shows_the_charts(tmp_path):
    _run(tmp_path, ScriptedAssistant(SCRIPT))
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "## Settings" in report and "backend: `scripted`" in report
    assert "| hit@5 | 0.667 |" in report
    assert "![latency.png](latency.png)" in report and "![by_type.png](by_type.png)" in report
    assert report.index("| q3 |") < report.index("| q1 |")  # q3 missed: listed first
    assert "1 of 4 missed" in report


def test_run_eval__a_failing_question_is_recorded_and_the_run_goes_on(tmp_path):
    asker = ScriptedAssistant(SCRIPT, fail_on=frozenset({"hit at 2"}))
    _, metrics = _run(tmp_path, asker)
    assert asker.asked == ["hit at 1", "hit at 2", "miss", "unanswerable"]
    results = read_results(tmp_path / "run" / "results.jsonl")
    assert [r["id"] for r in results] == ["q1", "q2", "q3", "q4"]
    failed = results[1]
    assert failed["error"] == "RuntimeError: model exploded"
    assert (failed["answer"], failed["refused"], failed["citations"]) == ("", False, [])
    assert set(failed) >= RESULT_KEYS and failed["timings_ms"]["total"] is not None
    assert metrics["errors"] == 1 and metrics["hit@5"] == pytest.approx(1 / 3, abs=1e-3)
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "ERROR RuntimeError: model exploded" in report


def test_run_eval__resume_after_an_interruption_skips_finished_questions(tmp_path):
    qpath = write_set(tmp_path / "set.jsonl")
    qs = load_questions(qpath)
    first = ScriptedAssistant(SCRIPT, interrupt_on="miss")  # the 3rd question
    with pytest.raises(KeyboardInterrupt):
        run_eval(first, qs, tmp_path / "run", progress=False)
    results = tmp_path / "run" / "results.jsonl"
    assert [r["id"] for r in read_results(results)] == ["q1", "q2"]
    with results.open("a", encoding="utf-8") as f:
        f.write('{"id": "q3", "answ')  # the line a kill tore
    second = ScriptedAssistant(SCRIPT)
    metrics = run_eval(second, qs, tmp_path / "run", resume=True, progress=False)
    assert second.asked == ["miss", "unanswerable"]
    lines = results.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["q1", "q2", "q3", "q4"]
    assert metrics["n"] == 4
    fresh = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert fresh == metrics


def test_run_eval__resume_asks_an_edited_question_again(tmp_path):
    qpath, _ = _run(tmp_path, ScriptedAssistant(SCRIPT))
    edited = [dict(QUESTIONS[0], question="miss"), *QUESTIONS[1:]]
    qs = load_questions(write_set(qpath, edited))
    again = ScriptedAssistant(SCRIPT)
    run_eval(again, qs, tmp_path / "run", resume=True, progress=False)
    assert again.asked == ["miss"]


def test_run_eval__without_resume_starts_afresh(tmp_path):
    _run(tmp_path, ScriptedAssistant(SCRIPT))
    again = ScriptedAssistant(SCRIPT)
    _run(tmp_path, again)
    assert len(again.asked) == 4
    assert len(read_results(tmp_path / "run" / "results.jsonl")) == 4


def test_run_eval__a_set_without_gold_is_answered_in_bulk(tmp_path):
    qpath = tmp_path / "plain.csv"
    qpath.write_text("question\nhit at 1\nmiss\n", encoding="utf-8")
    asker = ScriptedAssistant(SCRIPT)
    metrics = run_eval(asker, load_questions(qpath), tmp_path / "run", progress=False)
    assert asker.asked == ["hit at 1", "miss"]
    assert metrics["n"] == 2 and metrics["hit@5"] is None and metrics["fact_accuracy"] is None
    ids = [r["id"] for r in read_results(tmp_path / "run" / "results.jsonl")]
    assert ids == ["q001", "q002"]
    assert (tmp_path / "run" / "report.md").is_file()


def test_run_eval__without_a_judge_no_alce_figures_and_the_report_says_how_to_get_them(tmp_path):
    _, metrics = _run(tmp_path, ScriptedAssistant(SCRIPT))
    assert metrics["alce_citation_recall"] is None and metrics["n_alce"] is None
    assert metrics["self_agreement_citation_recall"] is None
    assert metrics["answered_unanswerables"] == 0
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| alce_citation_recall | – |" in report and "| answered_unanswerables | 0 |" in report
    assert "ALCE citation recall and precision: not measured" in report
    assert "--judge openai" in report and "self_agreement_*" not in report


def test_run_eval__the_self_check_is_reported_as_self_agreement_not_alce(tmp_path):
    _, metrics = _run(tmp_path, ScriptedAssistant(SCRIPT), self_check=DigitCheck())
    # q1 and q2 are answered; their quotes ("quote from Article A") state none of their figures
    recall, precision = "self_agreement_citation_recall", "self_agreement_citation_precision"
    assert (metrics[recall], metrics[precision]) == (0.0, 0.0)
    assert metrics["self_agreement_statements"] == 2 and metrics["n_self_agreement"] == 2
    assert metrics["self_agreement_unsupported_figures_shown"] == 3  # 696; 800 and 24000
    assert metrics["alce_citation_recall"] is None and metrics["alce_statements"] is None
    written = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert written["self_agreement_citation_recall"] == 0.0 and written["n_alce"] is None
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| self_agreement_citation_recall | 0.000 |" in report
    assert "> self_agreement_*: the answerer's own verifier" in report and "not ALCE" in report
    assert "ALCE citation recall and precision: not measured" in report
    header = "| ALCE R / P | self-agreement R / P | unwarned figures (self-agreement) |"
    assert header in report
    q1 = next(line for line in report.splitlines() if "| q1 |" in line)
    assert "| 1/1 | 1/1 |  | 0.00 / 0.00 | 1 |" in q1  # its one statement cites A; no ALCE


def test_run_eval__the_judge_given_judges_the_alce_figures(tmp_path):
    class ArticleA:
        def supports(self, statement: str, passages: list[str]) -> bool:
            return any("Article A" in p for p in passages)

    # q1 cites A: 1/1; q2 cites A and B: B adds nothing, so 1 of its 2 citations is precise
    _, metrics = _run(tmp_path, ScriptedAssistant(SCRIPT), judge=ArticleA())
    assert (metrics["alce_citation_recall"], metrics["alce_citation_precision"]) == (1.0, 0.75)
