"""ALCE citation recall and precision: statements, a scripted judge, the LLM judge."""

from __future__ import annotations

from typing import Any

import pytest

from rag.evaluation.alce import (
    AlceScore,
    OpenAIJudge,
    alce_figures,
    judge_statement,
    make_judge,
    parse_verdict,
    score_result,
)
from rag.evaluation.errors import JudgeError
from rag.evaluation.statements import Statement, passages, statements
from rag.prompts import Prompts
from rag.settings import Settings
from tests.rag.evaluation.scripted import judge_server
from tests.support import free_port, http_server


class ScriptedJudge:
    """Supports a statement when the passages, joined, contain every word it lists as needed."""

    def __init__(self, needs: dict[str, list[str]]) -> None:
        self.needs = needs
        self.calls: list[tuple[str, list[str]]] = []

    def supports(self, statement: str, passages: list[str]) -> bool:
        self.calls.append((statement, passages))
        joined = " ".join(passages)
        return all(word in joined for word in self.needs[statement])


def _result(answer: str, quotes: dict[int, str], **extra: Any) -> dict[str, Any]:
    return {
        "id": "q",
        "answer": answer,
        "refused": False,
        "citations": [{"n": n, "title": "", "quote": q} for n, q in quotes.items()],
        "retrieved": [],
        **extra,
    }


# --- statements -----------------------------------------------------------------------------
def test_statements__split_on_both_scripts_with_their_markers():
    answer = "郑州每天开机近百部短剧[1]。出海计划已发布[2]！Users reached 696 million [3]. Why? No."
    got = statements(answer)
    assert [s.text for s in got] == [
        "郑州每天开机近百部短剧。",
        "出海计划已发布！",
        "Users reached 696 million.",
        "Why?",
        "No.",
    ]
    assert [s.cites for s in got] == [(1,), (2,), (3,), (), ()]


def test_statements__skip_the_lead_line_keep_bullets_content():
    answer = "According to the reports:\n- Hongguo launched it [1][2][1].\n- 报告中的相关内容："
    assert statements(answer) == [Statement("Hongguo launched it.", (1, 2))]
    assert statements("根据报告：\n- 红果推出了计划[1]。") == [Statement("红果推出了计划。", (1,))]


def test_statements__a_sentence_saying_the_reports_lack_something_is_a_statement():
    # whether an answer is a refusal is its `refused` field; inside an answer it is a sentence
    answer = "The reports do not give 2026's figure. Users reached 696 million [1]."
    assert statements(answer) == [
        Statement("The reports do not give 2026's figure.", ()),
        Statement("Users reached 696 million.", (1,)),
    ]


@pytest.mark.parametrize(
    ("line", "text", "cites"),
    [
        (
            "The sources give different figures: 505亿 [1]; 50.44 billion [2].",
            "The sources give different figures: 505亿; 50.44 billion.",
            (1, 2),
        ),
        (
            "各出处的数字不一：近4万 [1]；approximately 30,000 [3]。",
            "各出处的数字不一：近4万；approximately 30,000。",
            (1, 3),
        ),
        (
            "Figures by source: 800多 [1]; over 820 [3][1].",
            "Figures by source: 800多; over 820.",
            (1, 3),
        ),
    ],
)
def test_statements__a_line_of_each_sources_figure_is_one_statement_citing_them_all(
    line, text, cites
):
    assert statements(f"Xi'an has over 600 companies [1].\n{line}")[1] == Statement(text, cites)


def test_alce__a_line_of_each_sources_figure_is_judged_like_any_statement():
    line = "The sources give different figures: 505亿; 50.44 billion."
    judge = ScriptedJudge({line: ["505亿", "50.44 billion"]})
    answer = "The sources give different figures: 505亿 [1]; 50.44 billion [2]."
    r = score_result(_result(answer, {1: "revenue 505亿", 2: "revenue 50.44 billion"}), judge)
    assert r == AlceScore(statements=1, supported=1, citations=2, precise=2)
    assert judge.calls[0] == (line, ["revenue 505亿", "revenue 50.44 billion"])


def test_passages__title_publisher_date_and_quote_by_marker():
    cited = {"n": 2, "title": "T", "publisher": "36Kr", "published": "2025-09-24T08:30:00"}
    assert passages({"citations": [{**cited, "quote": "q"}]}) == {2: "T\n36Kr\n2025-09-24\nq"}
    # the quote as the source wrote it: reading "this year" is a judge's business
    dated = passages({"citations": [{**cited, "quote": "696 million by July this year"}]})
    assert dated == {2: "T\n36Kr\n2025-09-24\n696 million by July this year"}
    undated = {**cited, "published": "", "quote": "by July this year"}
    assert passages({"citations": [undated]}) == {2: "T\n36Kr\nby July this year"}


# --- recall and precision with a scripted judge ---------------------------------------------
def test_alce__two_citations_that_support_only_together_are_both_precise():
    judge = ScriptedJudge({"A had 5 and B had 7.": ["5", "7"]})
    r = score_result(_result("A had 5 and B had 7 [1][2].", {1: "A: 5", 2: "B: 7"}), judge)
    assert r == AlceScore(statements=1, supported=1, citations=2, precise=2)
    assert (r.recall, r.precision) == (1.0, 1.0)


def test_alce__a_redundant_citation_is_imprecise():
    judge = ScriptedJudge({"A had 5.": ["5"]})
    r = score_result(_result("A had 5 [1][2].", {1: "A: 5", 2: "unrelated"}), judge)
    assert r == AlceScore(statements=1, supported=1, citations=2, precise=1)
    assert r.precision == 0.5


def test_alce__two_citations_each_supporting_alone_are_both_precise():
    judge = ScriptedJudge({"A had 5.": ["5"]})
    assert judge_statement(Statement("A had 5.", (1, 2)), {1: "5", 2: "5 too"}, judge) == (True, 2)


def test_alce__no_citation_is_recall_0_and_the_judge_is_not_asked():
    judge = ScriptedJudge({"A had 5.": ["5"], "B had 7.": ["7"]})
    r = score_result(_result("A had 5. B had 7 [1].", {1: "B: 7"}), judge)
    assert r == AlceScore(statements=2, supported=1, citations=1, precise=1)
    assert r.recall == 0.5 and r.precision == 1.0
    assert [c[0] for c in judge.calls] == ["B had 7."]


def test_alce__citations_of_an_unsupported_statement_are_not_precise():
    judge = ScriptedJudge({"A had 9.": ["9"]})
    r = score_result(_result("A had 9 [1].", {1: "A: 5"}), judge)
    assert (r.recall, r.precision) == (0.0, 0.0)


def test_alce__refusals_and_errors_are_not_scored():
    judge = ScriptedJudge({})
    assert score_result(_result("The reports do not say.", {}, refused=True), judge) is None
    assert score_result(_result("", {}, error="RuntimeError: x"), judge) is None


def test_alce_figures__macro_averages_over_answered_answers():
    scores = [
        AlceScore(statements=2, supported=2, citations=2, precise=2),
        AlceScore(statements=1, supported=0, citations=2, precise=0),
        None,  # refused
        AlceScore(not_judged=3),  # nothing judged: out of the averages, counted
    ]
    assert alce_figures(scores) == {
        "alce_citation_recall": 0.5,
        "alce_citation_precision": 0.5,
        "alce_statements": 3,
        "alce_not_judged": 3,
        "n_alce": 2,
    }


def test_make_judge__none_by_default_and_openai_from_settings():
    assert make_judge("none") is None and make_judge("none", Settings()) is None
    settings = Settings(openai_base_url="http://127.0.0.1:9/v1", openai_model="m")
    judge = make_judge("openai", settings)
    assert isinstance(judge, OpenAIJudge) and judge.model == "m"
    for kind in ("nli", "verifier"):  # the answerer's verifier is no judge of the evaluation
        with pytest.raises(JudgeError, match="unknown judge"):
            make_judge(kind, settings)  # type: ignore[arg-type]


# --- the LLM judge --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply", "verdict"),
    [("yes", True), ("Yes.", True), (" NO", False), ("No, the figure differs.", False)],
)
def test_parse_verdict(reply, verdict):
    assert parse_verdict(reply) is verdict


def test_parse_verdict__anything_else_is_not_judged():
    with pytest.raises(JudgeError, match="neither yes nor no"):
        parse_verdict("maybe")


def test_openai_judge__the_prompt_is_the_template_filled_in():
    judge = OpenAIJudge("http://127.0.0.1:9/v1", "m")
    prompt = judge.prompt("A had 5.", ["A: 5", "B: 7"])
    assert prompt == Prompts().render(
        "alce_judge", statement="A had 5.", passages="[1] A: 5\n\n[2] B: 7"
    )
    assert "Statement: A had 5." in prompt and "yes or no" in prompt


def test_openai_judge__asks_the_endpoint_at_temperature_0():
    requests: list[dict[str, Any]] = []
    with http_server(judge_server(requests)) as url:
        judge = OpenAIJudge(url, "judge-model", timeout=10)
        r = score_result(_result("A had 5 [1][2]. B had 8 [2].", {1: "A: 5", 2: "B: 7"}), judge)
    assert r == AlceScore(statements=2, supported=1, citations=3, precise=1, not_judged=0)
    assert requests and all(b["temperature"] == 0 for b in requests)
    assert {b["model"] for b in requests} == {"judge-model"}


def test_openai_judge__a_dead_endpoint_counts_statements_as_not_judged():
    judge = OpenAIJudge(f"http://127.0.0.1:{free_port()}/v1", "m", timeout=5)
    with pytest.raises(JudgeError, match="failed"):
        judge.supports("A had 5.", ["A: 5"])
    r = score_result(_result("A had 5 [1]. B had 7 [1].", {1: "A: 5, B: 7"}), judge)
    assert r == AlceScore(not_judged=2)
    assert (r.recall, r.precision) == (None, None)
    assert alce_figures([r])["alce_not_judged"] == 2
