"""The answerer's own check of support, which `rag eval` reports as self-agreement."""

from __future__ import annotations

from rag.answer.support import SupportVerifier, dated, listed_figures
from rag.corpus.profile import load_profile
from rag.evaluation.alce import FigureCheck, judge_statement
from rag.evaluation.statements import statements


def test_support_verifier__is_a_judge_that_counts_figures_for_the_evaluation():
    assert isinstance(SupportVerifier(), FigureCheck)


def test_support_verifier__a_figure_the_passage_states_and_one_it_does_not():
    verifier = SupportVerifier()
    passage = "截至7月，中国微短剧用户规模达6.96亿，占网民整体的62.3%。"
    assert verifier.supports("中国微短剧用户规模达6.96亿。", [passage])
    assert not verifier.supports("中国微短剧用户规模达7.96亿。", [passage])
    english = "Micro-drama users in China reached 696 million by July."
    assert verifier.supports("Users in China reached 696 million.", [english])
    assert not verifier.supports("Users in China reached 596 million.", [english])


def test_support_verifier__words_must_be_covered_figures_or_not():
    verifier = SupportVerifier()
    assert not verifier.supports("Hongguo launched the Guo Ran Plan.", ["Zhengzhou film base"])
    assert verifier.supports("Hongguo launched the Guo Ran Plan.", ["Hongguo: Guo Ran Plan"])


MEGA = (
    "美高微短剧超级工厂\nThe Meigao micro-drama super factory in Quzhou covers 66,000 square "
    "meters and can host 30 crews at once."
)


def test_support_verifier__across_languages_what_the_statement_names_must_be_in_the_passages():
    words_only = SupportVerifier()
    names = SupportVerifier(names=load_profile("microdrama").names)
    statement = "衢州美高微短剧超级工厂的占地面积为66,000平方米。"
    assert not words_only.supports(statement, [MEGA])  # few shared words across languages
    assert names.supports(statement, [MEGA])
    assert not names.supports("衢州美高微短剧超级工厂的占地面积为77,000平方米。", [MEGA])
    assert not names.supports("郑州美高微短剧超级工厂的占地面积为66,000平方米。", [MEGA])
    # a figure-free statement naming one thing says too little to be judged on names alone
    assert not names.supports("衢州希望成为微短剧产业的集聚高地。", [MEGA])
    # the same language: words decide, as without names (Quzhou and Meigao are named there)
    assert not names.supports("Quzhou banned Meigao from filming in its old town.", [MEGA])


def test_dated__this_year_is_the_year_of_the_passages_date_line():
    passage = "T\n36Kr\n2025-09-24\n696 million by July this year"
    assert dated(passage) == "T\n36Kr\n2025-09-24\n696 million by July 2025"
    assert dated("T\n36Kr\nby July this year") == "T\n36Kr\nby July this year"  # no date
    verifier = SupportVerifier()
    assert verifier.supports("Users reached 696 million by July 2025.", [passage])
    assert not verifier.supports("Users reached 696 million by July 2024.", [passage])


def test_support_verifier__a_line_of_each_sources_figure_is_judged_by_its_figures():
    answer = (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    _, line = statements(answer)
    assert listed_figures(line.text) == "over 600; over 200."
    assert listed_figures("各出处的数字不一：近4万；approximately 30,000。") is not None
    assert listed_figures("Xi'an has over 600 companies.") is None
    cited = {1: "Xi'an has over 600 companies.", 2: "Over 200 companies in Xi'an alone."}
    verifier = SupportVerifier()
    assert judge_statement(line, cited, verifier) == (True, 2)  # each needed by the other
    assert judge_statement(line, {1: cited[1], 2: "No figure here."}, verifier) == (False, 0)
    assert not verifier.supports("The sources give different figures: many; few.", [cited[1]])


def test_support_verifier__unstated_figures_counts_what_no_passage_states():
    verifier = SupportVerifier()
    passages = ["Users reached 696 million.", "T\n36Kr\n2025-09-24\nby July this year"]
    assert verifier.unstated_figures("Users reached 696 million [1].", passages) == 0
    assert verifier.unstated_figures("Users reached 900 million by 2030.", passages) == 2
    assert verifier.unstated_figures("Hongguo grew.", passages) == 0
    assert verifier.unstated_figures("Users reached 696 million by July 2025.", passages) == 0
