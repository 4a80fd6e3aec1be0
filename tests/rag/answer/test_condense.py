"""Follow-up condensation: a scripted LLM's rewrite, or the heuristic when none is usable."""

from __future__ import annotations

import time

import pytest

from rag.answer.condense import condense, looks_like_follow_up
from rag.prompts import Prompts
from rag.types import Turn
from tests.fakes import ScriptedLLM

HISTORY = [Turn("user", "郑州每天大约开机多少部短剧？"), Turn("assistant", "近百部 [1]。")]
HEURISTIC = "郑州每天大约开机多少部短剧？ 那西安呢？"


def _condense(question: str, llm: ScriptedLLM | None, timeout_s: float = 5.0) -> str:
    return condense(question, HISTORY, llm, Prompts(), timeout_s)


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("那西安呢？", True),
        ("And in Xi'an?", True),
        ("What about Hengdian", True),
        ("How many micro-short drama users did China have by July this year?", False),
        ("郑州每天大约开机多少部短剧，横店又有多少个剧组在拍摄？", False),
    ],
)
def test_looks_like_follow_up(question: str, follow_up: bool) -> None:
    assert looks_like_follow_up(question) is follow_up


def test_condense__a_standalone_question_is_unchanged_and_the_llm_not_asked() -> None:
    llm = ScriptedLLM(["should not be used"])
    question = "How many micro-short drama users did China have by July this year?"
    assert _condense(question, llm) == question
    assert condense("那西安呢？", [], llm, Prompts(), 5.0) == "那西安呢？"  # no history
    assert llm.prompts == []


def test_condense__a_follow_up_without_an_llm_gets_the_last_user_question_prepended() -> None:
    assert _condense("那西安呢？", None) == HEURISTIC


def test_condense__a_follow_up_with_an_llm_gets_its_rewrite_from_the_history() -> None:
    llm = ScriptedLLM(["“西安每天大约开机多少部短剧？”\nThat is the standalone question."])
    assert _condense("那西安呢？", llm) == "西安每天大约开机多少部短剧？"  # first line, unquoted
    [prompt] = llm.prompts
    assert "user: 郑州每天大约开机多少部短剧？" in prompt and "assistant: 近百部 [1]。" in prompt
    assert "Last question: 那西安呢？" in prompt


@pytest.mark.parametrize(
    "llm",
    [
        ScriptedLLM([], fail_with=ConnectionError("endpoint down")),
        ScriptedLLM(["西安 " * 200]),  # over-long: a rambling reply, not a question
        ScriptedLLM([""]),
    ],
    ids=["failing", "over-long", "empty"],
)
def test_condense__a_failing_or_unusable_rewrite_falls_back_to_the_heuristic(
    llm: ScriptedLLM,
) -> None:
    assert _condense("那西安呢？", llm) == HEURISTIC


def test_condense__a_slow_llm_falls_back_to_the_heuristic_within_the_deadline() -> None:
    llm = ScriptedLLM(["西安每天大约开机多少部短剧？"], delay_s=2.0)
    started = time.monotonic()
    assert _condense("那西安呢？", llm, timeout_s=0.2) == HEURISTIC
    assert time.monotonic() - started < 1.0
