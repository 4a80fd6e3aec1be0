"""Follow-ups made standalone: by rules (a name swapped in, a pronoun replaced), by the small
model when no rule covers them, by the heuristic when the model fails or is late."""

from __future__ import annotations

import time

import pytest

from rag.answer.condense import Condenser, heuristic, subject_of
from rag.corpus.profile import load_profile
from rag.prompts import Prompts
from rag.settings import Settings
from rag.types import Turn
from tests.fakes import ScriptedLLM

PROFILE = load_profile("microdrama")
ZHENGZHOU = "郑州每天大约开机多少部短剧？"
QUZHOU = "What revenue did Quzhou's micro-drama super factory expect in the first half of 2025?"
UNCOVERED = "And how long does it take to finish a whole series?"  # no rule covers it
EPISODE = "How long is a typical micro-short drama episode according to Economic Daily?"


def _condenser(llm: ScriptedLLM | None = None, timeout_s: float = 5.0) -> Condenser:
    load = None if llm is None else (lambda: llm)
    return Condenser(PROFILE.names, PROFILE.publishers, Prompts(), timeout_s, load_llm=load)


def _history(*questions: str) -> list[Turn]:
    turns = []
    for question in questions:
        turns += [Turn("user", question), Turn("assistant", "…… [1]。")]
    return turns


def _rewrite(previous: str, question: str, llm: ScriptedLLM | None = None) -> str:
    llm = llm if llm is not None else ScriptedLLM([], fail_with=AssertionError("model asked"))
    return _condenser(llm).condense(question, _history(previous))


@pytest.mark.parametrize(
    ("previous", "question", "standalone"),
    [
        ("横店接待了多少剧组？", "那郑州呢？", "郑州接待了多少剧组？"),
        (ZHENGZHOU, "西安呢？", "西安每天大约开机多少部短剧？"),
        (ZHENGZHOU, "那么西安的情况呢", "西安每天大约开机多少部短剧？"),
        (ZHENGZHOU, "西安", "西安每天大约开机多少部短剧？"),  # a bare name
        (ZHENGZHOU, "And Xi'an?", "西安每天大约开机多少部短剧？"),  # the previous one's language
        ("2025年红果的月活是多少？", "那爱奇艺呢？", "2025年爱奇艺的月活是多少？"),  # platform
        ("2025年红果的月活是多少？", "2024年呢？", "2024年红果的月活是多少？"),  # year
    ],
)
def test_condense__a_chinese_elliptical_follow_up_swaps_a_name_of_the_same_kind(
    previous: str, question: str, standalone: str
) -> None:
    assert _rewrite(previous, question) == standalone


@pytest.mark.parametrize(
    ("previous", "question", "standalone"),
    [
        ("How many crews does Hengdian host daily?", "And Xi'an?", None),
        ("How many crews does Hengdian host daily?", "What about Xi'an?", None),
        ("How many crews does Hengdian host daily?", "那西安呢？", None),
        (QUZHOU, "How about in 2024?", QUZHOU.replace("2025", "2024")),
        (
            "What did 36Kr report about Hongguo?",
            "And Caixin?",
            "What did Caixin report about Hongguo?",
        ),
        ("What did 36Kr report about Hongguo?", "And iQIYI?", "What did 36Kr report about iQIYI?"),
    ],
)
def test_condense__an_english_elliptical_follow_up_swaps_a_name_of_the_same_kind(
    previous: str, question: str, standalone: str | None
) -> None:
    expected = standalone or "How many crews does Xi'an host daily?"
    assert _rewrite(previous, question) == expected


@pytest.mark.parametrize(
    ("previous", "question", "standalone"),
    [
        ("红果平台有哪些新导演？", "它们拍了哪些作品？", "红果平台拍了哪些作品？"),
        (
            "横店接待了多少剧组？",
            "其中有多少是微短剧剧组？",
            "横店接待了多少剧组，其中有多少是微短剧剧组？",
        ),
        (
            QUZHOU,
            "How many dramas was it expected to produce?",
            "How many dramas was Quzhou's micro-drama super factory expected to produce?",
        ),
        (
            "How many overseas downloads have Chinese micro-short drama apps surpassed?",
            "Which of them are the most popular?",
            "Which of Chinese micro-short drama apps are the most popular?",
        ),
        (
            "How many users do micro-drama apps have overseas?",
            "What do they earn from ads?",
            "What do micro-drama apps earn from ads?",
        ),
    ],
)
def test_condense__a_pronoun_is_replaced_by_the_previous_subject(
    previous: str, question: str, standalone: str
) -> None:
    assert _rewrite(previous, question) == standalone


def test_subject_of__the_nouns_before_the_verb() -> None:
    assert subject_of("横店接待了多少剧组？") == "横店"
    assert subject_of(QUZHOU) == "Quzhou's micro-drama super factory"


def test_condense__a_chain_of_follow_ups_builds_on_the_last_rewrite() -> None:
    history = _history(ZHENGZHOU, "西安呢？")
    assert _condenser().condense("那青岛呢？", history) == "青岛每天大约开机多少部短剧？"


@pytest.mark.parametrize(
    "question",
    [
        "How many micro-short drama users did China have by July this year?",
        "横店接待了多少剧组？",
        "那爱奇艺整合了多少部小说IP？",  # a lead-in, but a question with its own subject
        "郑州每天大约开机多少部短剧，横店又有多少个剧组在拍摄？",
        "How did Hongguo grow its user base?",  # a pronoun, but its own subject
    ],
)
def test_condense__a_standalone_question_is_unchanged_and_the_model_not_asked(
    question: str,
) -> None:
    llm = ScriptedLLM(["should not be used"])
    assert _condenser(llm).condense(question, _history(ZHENGZHOU)) == question
    assert _condenser(llm).condense("那西安呢？", []) == "那西安呢？"  # no history
    assert llm.prompts == []


def test_condense__a_follow_up_no_rule_covers_is_rewritten_by_the_small_model() -> None:
    rewrite = "How long does it take to finish a whole micro-short drama series?"
    llm = ScriptedLLM([f"“{rewrite}”\nThat is the question."])
    assert _condenser(llm).condense(UNCOVERED, _history(EPISODE)) == rewrite  # first line
    [prompt] = llm.prompts
    assert f"Previous question: {EPISODE}" in prompt and f"Follow-up: {UNCOVERED}" in prompt


def test_condense__the_rendered_prompt_is_pinned() -> None:
    prompt = Prompts().render("condense", previous="横店接待了多少剧组？", question="Q?")
    assert prompt.endswith("Previous question: 横店接待了多少剧组？\nFollow-up: Q?\nRewritten:")
    assert "Keep the follow-up's own question and its language" in prompt


@pytest.mark.parametrize(
    "llm",
    [
        ScriptedLLM([], fail_with=ConnectionError("model down")),
        ScriptedLLM(["series " * 200]),  # rambling, not a question
        ScriptedLLM([""]),
        ScriptedLLM(["series"]),  # the question lost (as "郑州" once was)
        ScriptedLLM([EPISODE]),  # the previous question copied, the follow-up lost
    ],
    ids=["failing", "over-long", "empty", "lost", "copied"],
)
def test_condense__a_failing_or_unusable_rewrite_falls_back_to_the_heuristic(
    llm: ScriptedLLM,
) -> None:
    assert _condenser(llm).condense(UNCOVERED, _history(EPISODE)) == f"{EPISODE} {UNCOVERED}"


def test_condense__a_slow_model_falls_back_to_the_heuristic_within_the_deadline() -> None:
    llm = ScriptedLLM(["How long does a whole series take?"], delay_s=2.0)
    started = time.monotonic()
    assert _condenser(llm, timeout_s=0.2).condense(UNCOVERED, _history(EPISODE)) == heuristic(
        UNCOVERED, EPISODE
    )
    assert time.monotonic() - started < 1.0


def test_condense__a_model_that_cannot_be_built_leaves_the_heuristic() -> None:
    def broken() -> None:
        raise RuntimeError("no weights")

    condenser = Condenser(PROFILE.names, PROFILE.publishers, Prompts(), 5.0, load_llm=broken)
    assert condenser.condense(UNCOVERED, _history(EPISODE)) == f"{EPISODE} {UNCOVERED}"
    assert condenser.llm is None


def test_make_condenser__extractive_means_no_model() -> None:
    from rag.factory import make_condenser

    condenser = make_condenser(Settings(llm_backend="extractive"), PROFILE)
    assert condenser.llm is None
    assert condenser.condense("那西安呢？", _history(ZHENGZHOU)) == "西安每天大约开机多少部短剧？"


@pytest.mark.slow
@pytest.mark.integration
def test_condense__the_real_small_model_rewrites_a_follow_up_no_rule_covers() -> None:
    from rag.factory import make_condenser

    condenser = make_condenser(Settings(llm_backend="local", llm_timeout_s=60), PROFILE)
    history = _history("How many overseas downloads have Chinese micro-short drama apps surpassed?")
    started = time.monotonic()
    standalone = condenser.condense("And how many users are there in China?", history)
    assert time.monotonic() - started < 120  # the weights are assembled into tmp_path first
    assert "users" in standalone.casefold() and "China" in standalone  # the follow-up is kept
