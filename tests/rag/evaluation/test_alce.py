"""ALCE citation recall and precision: statements, a scripted judge, the verifier, the LLM judge."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from rag.corpus.profile import load_profile
from rag.evaluation.alce import (
    AlceScore,
    OpenAIJudge,
    VerifierJudge,
    alce_figures,
    judge_statement,
    make_judge,
    parse_verdict,
    score_result,
)
from rag.evaluation.errors import JudgeError
from rag.evaluation.statements import Statement, passages, refusals, statements
from rag.prompts import Prompts
from rag.settings import Settings
from tests.support import free_port, http_server

REFUSALS = refusals()


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


def test_statements__skip_the_lead_line_and_refusals_keep_bullets_content():
    answer = "According to the reports:\n- Hongguo launched it [1][2][1].\n- 报告中的相关内容："
    assert statements(answer, REFUSALS) == [Statement("Hongguo launched it.", (1, 2))]
    assert statements("根据报告：\n- 红果推出了计划[1]。", REFUSALS) == [
        Statement("红果推出了计划。", (1,))
    ]
    assert statements("The reports do not contain the answer to this question.", REFUSALS) == []
    assert statements("报告中没有关于这个问题的信息。", REFUSALS) == []


def test_passages__title_publisher_date_and_quote_by_marker():
    cited = {"n": 2, "title": "T", "publisher": "36Kr", "published": "2025-09-24T08:30:00"}
    assert passages({"citations": [{**cited, "quote": "q"}]}) == {2: "T\n36Kr\n2025-09-24\nq"}
    # "this year" is the year of publication, as the answerer's checks read it
    dated = passages({"citations": [{**cited, "quote": "696 million by July this year"}]})
    assert dated == {2: "T\n36Kr\n2025-09-24\n696 million by July 2025"}
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


# --- the verifier judge ---------------------------------------------------------------------
def test_verifier_judge__a_figure_the_passage_states_and_one_it_does_not():
    judge = VerifierJudge()
    passage = "截至7月，中国微短剧用户规模达6.96亿，占网民整体的62.3%。"
    assert judge.supports("中国微短剧用户规模达6.96亿。", [passage])
    assert not judge.supports("中国微短剧用户规模达7.96亿。", [passage])
    english = "Micro-drama users in China reached 696 million by July."
    assert judge.supports("Users in China reached 696 million.", [english])
    assert not judge.supports("Users in China reached 596 million.", [english])


def test_verifier_judge__words_must_be_covered_figures_or_not():
    judge = VerifierJudge()
    assert not judge.supports("Hongguo launched the Guo Ran Plan.", ["Zhengzhou film base"])
    assert judge.supports("Hongguo launched the Guo Ran Plan.", ["Hongguo: Guo Ran Plan"])


MEGA = (
    "美高微短剧超级工厂\nThe Meigao micro-drama super factory in Quzhou covers 66,000 square "
    "meters and can host 30 crews at once."
)


def test_verifier_judge__across_languages_what_the_statement_names_must_be_in_the_passages():
    words_only, names = VerifierJudge(), VerifierJudge(names=load_profile("microdrama").names)
    statement = "衢州美高微短剧超级工厂的占地面积为66,000平方米。"
    assert not words_only.supports(statement, [MEGA])  # few shared words across languages
    assert names.supports(statement, [MEGA])
    assert not names.supports("衢州美高微短剧超级工厂的占地面积为77,000平方米。", [MEGA])
    assert not names.supports("郑州美高微短剧超级工厂的占地面积为66,000平方米。", [MEGA])
    # a figure-free statement naming one thing says too little to be judged on names alone
    assert not names.supports("衢州希望成为微短剧产业的集聚高地。", [MEGA])
    # the same language: words decide, as without names (Quzhou and Meigao are named there)
    assert not names.supports("Quzhou banned Meigao from filming in its old town.", [MEGA])


def test_statements__a_disagreement_sentence_is_judged_figure_by_figure():
    answer = (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    cited = {1: "Xi'an has over 600 companies.", 2: "Over 200 companies in Xi'an alone."}
    first, second = statements(answer)
    assert second.figures == (("over 600", 1), ("over 200", 2))
    assert judge_statement(second, cited, VerifierJudge()) == (True, 2)
    swapped = {1: cited[2], 2: cited[1]}
    assert judge_statement(second, swapped, VerifierJudge()) == (False, 0)
    assert judge_statement(second, {1: cited[1], 2: "No figure here."}, VerifierJudge()) == (
        False,
        1,
    )


def test_make_judge__verifier_by_default_and_openai_from_settings():
    assert isinstance(make_judge("verifier"), VerifierJudge)
    assert make_judge("verifier", Settings()).names is not None  # the profile's names
    settings = Settings(openai_base_url="http://127.0.0.1:9/v1", openai_model="m")
    judge = make_judge("openai", settings)
    assert isinstance(judge, OpenAIJudge) and judge.model == "m"
    with pytest.raises(JudgeError, match="unknown judge"):
        make_judge("nli", settings)  # type: ignore[arg-type]


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


def _judge_server(requests: list[dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    """Says "yes" when every digit of the statement appears in the passages, else "no"."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(body)
            prompt = body["messages"][-1]["content"]
            head, statement = prompt.split("Statement: ", 1)
            statement = statement.split("\n", 1)[0]
            ok = all(ch in head for ch in statement if ch.isdigit())
            message = {"role": "assistant", "content": "Yes." if ok else "No."}
            payload = json.dumps(
                {
                    "id": "c1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def test_openai_judge__asks_the_endpoint_at_temperature_0():
    requests: list[dict[str, Any]] = []
    with http_server(_judge_server(requests)) as url:
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
