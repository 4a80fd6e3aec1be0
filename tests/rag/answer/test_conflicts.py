"""Sources that give different figures for what the answer states: said, each with its source."""

from __future__ import annotations

from rag.answer.conflicts import disagreements, stated
from rag.answer.settle import settle

MARKET = [
    "Yicai\nThe micro-short drama market in China is projected to reach 50.44 billion yuan in "
    "2024, with a year-on-year growth of 34.9%.",
    "36Kr\nThe short drama market size is projected to reach 505 billion yuan in 2024, a 136-fold "
    "increase over four years.",
    "Cailian\nChina had 696 million micro-short drama users by July 2025.",
]


def test_disagreements__another_source_gives_the_same_quantity_differently():
    found = disagreements("2024年微短剧市场规模预计达到50.44 billion yuan [1]。", MARKET)
    assert [d.figures for d in found] == [(("50.44 billion yuan", 1), ("505 billion yuan", 2))]


def test_disagreements__the_same_value_in_other_words_is_no_conflict():
    sources = [MARKET[0], "第一财经\n2024年微短剧市场规模预计达504.4亿元，同比增长34.9%。"]
    assert disagreements("The market will reach 50.44 billion yuan in 2024 [1].", sources) == []


def test_disagreements__a_figure_about_something_else_is_no_conflict():
    assert disagreements("China had 696 million users by July [3].", MARKET) == []


def test_settle__the_final_answer_states_each_figure_with_its_citation_and_a_notice():
    sources = [
        "36Kr\nXi'an has over 600 companies and produces 60% of the nation's micro-dramas.",
        "Jiemian\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone.",
    ]
    settled = settle("Xi'an has over 600 companies [1].", sources, "en")
    assert settled.checked.text == (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    assert settled.checked.cited == [1, 2]
    (notice,) = settled.notices
    assert notice.code == "conflict" and notice.params["figures"] == ["over 600", "over 200"]
    assert notice.message("zh") == "各出处给出的数字不一致：over 600 [1]; over 200 [2]"
    # while streaming, sentences are shown as they are; the disagreement is added at the end
    assert settle("Xi'an has over 600 companies [1].", sources, "en", final=False).notices == ()


def test_stated__in_the_answers_language():
    found = disagreements(
        "Xi'an has over 600 companies [1].",
        ["Xi'an has over 600 companies.", "There are over 200 companies in Xi'an alone."],
    )
    assert stated(found, "zh") == "各出处的数字不一：over 600 [1]；over 200 [2]。"


def test_settle__a_retrieved_passage_not_shown_to_the_model_is_heard_too():
    shown = ["36Kr\nXi'an has over 600 companies and produces 60% of the nation's micro-dramas."]
    context = [
        "Jiemian\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone."
    ]
    settled = settle("Xi'an has over 600 companies [1][5].", shown, "en", context=context)
    assert settled.checked.text == (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    assert settled.checked.cited == [1, 2]  # the second is context passage 1, number 2 in the pool
    assert settled.checked.dropped == [5]  # the model's [5] pointed at no source it was shown


def test_disagreements__a_rounded_or_approximate_figure_is_the_same_figure():
    sources = [
        "Cailian\nChina had 696 million micro-short drama users by July 2025.",
        "36Kr\nThe user base of micro-short dramas in China has nearly reached 700 million users.",
    ]
    assert disagreements("China had 696 million users by July [1].", sources) == []


def test_disagreements__small_bare_counts_and_number_words_are_not_compared():
    sources = [
        "Hengdian received 2,300 crews in seven months.",
        "One base had 1 crew in 12 months.",
    ]
    assert disagreements("Hengdian received 2,300 crews in seven months [1].", sources) == []
