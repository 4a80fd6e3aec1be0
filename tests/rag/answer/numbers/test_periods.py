"""The part of a year a figure is of, against the one a question asks about."""

from __future__ import annotations

from rag.answer.numbers.periods import agrees, asked, of_another
from rag.answer.numbers.quantities import quantities

JUNE = "6月份，全国规模以上工业企业利润同比下降8.3%，降幅较5月份收窄4.3个百分点。"
HALF = "上半年，规上工业企业利润同比下降16.8%，降幅较1—5月份收窄2.0个百分点。"


def _agreeing(sentence: str, question: str) -> list[str]:
    period = asked(question)
    return [q.text for q in quantities(sentence) if agrees(sentence, q.start, period)]


def test_asked__the_one_period_a_question_names():
    assert asked("2023年1至6月份全国规模以上工业企业的利润总额同比下降了多少？") == (1, 6)
    assert asked("上半年利润下降了多少？") == (1, 6)
    assert asked("横店影视城今年前七个月接待了多少个剧组？") == (1, 7)
    assert asked("How much did profits fall in the first half of 2023?") == (1, 6)
    assert asked("How many tickets were sold from January to March?") == (1, 3)
    assert asked("郑州每天开机多少部短剧？") is None  # names none
    assert asked("6月份和上半年的利润各下降了多少？") is None  # names two: it compares
    assert asked("截至7月末用户规模是多少？") is None  # a point in time, not a month's figure


def test_agrees__a_figure_is_of_the_last_period_before_it_not_the_one_compared_with():
    half = "2023年1至6月份利润同比下降了多少？"
    assert "8.3%" not in _agreeing(JUNE, half) and "16.8%" in _agreeing(HALF, half)
    june = "6月份利润同比下降了多少？"
    assert "8.3%" in _agreeing(JUNE, june)  # 较5月份: what it is compared with, not its period
    english = "In June, profits fell 8.3%, down from May. In the first half, they fell 16.8%."
    assert _agreeing(english, "How much did profits fall in the first half?") == ["16.8%"]
    # a sentence naming no period agrees with any question
    assert "696 million" in _agreeing("Users reached 696 million.", "Users in the first half?")


def test_of_another__a_period_of_its_own_not_the_one_compared_with():
    assert of_another(JUNE, (1, 6)) and not of_another(HALF, (1, 6))
    assert not of_another(JUNE, (6, 6)) and of_another(JUNE, (5, 5))  # 较5月份: compared with
    assert of_another(HALF, (1, 5))  # 较1—5月份
    assert not of_another("In the first half, profits fell 16.8%.", (1, 6))
    assert not of_another("利润同比下降16.8%。", (1, 6))  # names no period
    assert not of_another(JUNE, None)


def test_periods__written_many_ways_and_never_inside_other_words():
    assert asked("1月至6月利润下降了多少？") == (1, 6)  # 月 after both months
    assert asked("上半年英伟达H20芯片出货量是多少？") == (1, 6)  # H20 is no H2
    assert asked("In H1, how much did sales rise?") == (1, 6)
    assert asked("五月天演唱会有多少观众？") is None  # a band, not May
    assert asked("Whom may he meet in may?") is None  # the verb, lowercase
    assert asked("How much did sales rise in May 2023?") == (5, 5)
    quarter = "In the second quarter, revenue rose 5% from the first quarter to $10 billion."
    assert "$10 billion" in _agreeing(quarter, "What was revenue in the second quarter?")
