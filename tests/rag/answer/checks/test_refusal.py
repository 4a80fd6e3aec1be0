"""The model's refusal, in the fixed words or in other words, is the fixed refusal."""

from __future__ import annotations

from rag.answer.refusals import is_refusal
from tests.rag.answer.checking import found

FIXED = [
    "The reports do not contain the answer to this question.",
    "报告中没有关于这个问题的信息。",
]


def test_is_refusal__matches_the_fixed_sentence_loosely():
    assert is_refusal("The reports do not contain the answer to this question", FIXED)
    assert is_refusal("报告中没有关于这个问题的信息。", FIXED)
    assert is_refusal("", FIXED)
    assert not is_refusal("Zhengzhou has 820 companies [1].", FIXED)


def test_is_refusal__recognises_refusals_in_other_words_only_without_citations():
    assert is_refusal("The average salary is not provided in the given sources.", [])
    assert is_refusal("报告中未提及横店演员的平均工资。", [])
    assert not is_refusal("The salary is not provided [1], but costs rose 20% [2].", [])


def test_refusal__the_check_says_refuse():
    [finding] = found("refusal", "报告中没有关于这个问题的信息。", ["x"], refusals=tuple(FIXED))
    assert finding.action == "refuse"
    assert found("refusal", "Zhengzhou has 820 companies [1].", ["x"], refusals=tuple(FIXED)) == []
