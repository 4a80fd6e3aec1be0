"""Sources that give different figures for what the answer states: found as data (each figure
with its source), written as one line per figure of the answer, with a notice."""

from __future__ import annotations

import pytest

from rag.answer.checks.conflicts import _without_agreement, counted, disagreements, line
from rag.answer.findings import Conflict, State, apply
from rag.answer.numbers.quantities import quantities
from rag.answer.record import parse
from rag.answer.render import render
from rag.corpus.names import Name, NameTable
from rag.corpus.profile import load_profile
from rag.question import Question, QuestionReader
from tests.rag.answer.checking import checked, context

MARKET = [
    "Yicai\nThe micro-short drama market in China is projected to reach 50.44 billion yuan in "
    "2024, with a year-on-year growth of 34.9%.",
    "36Kr\nThe short drama market size is projected to reach 505 billion yuan in 2024, a 136-fold "
    "increase over four years.",
    "Cailian\nChina had 696 million micro-short drama users by July 2025.",
]
READER = QuestionReader(NameTable.build([Name("西安", "Xi'an"), Name("郑州", "Zhengzhou")]))
XIAN_Q = READER.read("How many companies does Xi'an have?")
ZHENGZHOU_Q = READER.read("How many companies does Zhengzhou have?")


def _found(
    text: str, texts: list[str], question: Question | None = None, **kw: object
) -> list[Conflict]:
    names = READER.names if question is not None else None
    return disagreements(parse(text), context(texts, question=question, names=names, **kw))


def _figures(found: list[Conflict]) -> list[tuple[tuple[str, int], ...]]:
    return [c.figures for c in found]


def test_disagreements__another_source_gives_the_same_quantity_differently():
    found = _found("2024年微短剧市场规模预计达到50.44 billion yuan [1]。", MARKET)
    assert _figures(found) == [(("50.44 billion yuan", 1), ("505 billion yuan", 2))]


def test_disagreements__the_same_value_in_other_words_is_no_conflict():
    texts = [MARKET[0], "第一财经\n2024年微短剧市场规模预计达504.4亿元，同比增长34.9%。"]
    assert _found("The market will reach 50.44 billion yuan in 2024 [1].", texts) == []


def test_disagreements__a_figure_about_something_else_is_no_conflict():
    assert _found("China had 696 million users by July [3].", MARKET) == []


def test_disagreements__a_figure_said_to_rise_is_not_one_said_to_fall():
    # the defect: "同比增长3.1%" of one industry was listed as disagreeing with "下降16.8%" of all
    texts = [
        "人民日报\n上半年，规上工业企业利润同比下降16.8%，降幅较1—5月份、一季度分别收窄2.0、"
        "4.6个百分点，累计利润降幅自年初以来逐月收窄。",
        "人民日报\n上半年，装备制造业利润同比增长3.1%，实现由降转增，增速较一季度大幅回升20.8个百分点。",
    ]
    answer = "上半年规上工业企业利润同比下降16.8% [1]。"
    assert _found(answer, texts) == []
    same_way = [texts[0], texts[1].replace("增长3.1%", "下降3.1%")]
    assert _figures(_found(answer, same_way)) == [(("16.8%", 1), ("3.1%", 2))]  # still compared
    english = [
        "Reuters\nProfits fell 16.8% in the first half.",
        "AP\nProfits rose 3.1% in the first half.",
    ]
    assert _found("Profits fell 16.8% in the first half [1].", english) == []


@pytest.mark.parametrize(
    ("sentence", "figure", "way"),
    [
        ("上半年，装备制造业利润同比增长3.1%。", "3.1%", "rise"),
        ("利润同比下降了16.8%。", "16.8%", "fall"),
        ("利润同比负增长3.1%。", "3.1%", "fall"),
        ("国内生产总值同比增速回落至5.3%。", "5.3%", None),  # a level
        ("工业增加值为5000亿元。", "5000亿元", None),
        ("利润未下降，为16.8%。", "16.8%", None),  # the clause before says it
        ("Profits fell by about 8.3%.", "about 8.3%", "fall"),
        ("PMI fell to 49.3% in July.", "49.3%", None),  # a level
        ("Profits rose 8%, up from 5%.", "5%", None),  # the level before
        ("Women made up 45% of the workforce.", "45%", None),
        ("Profits rose 5%, costs 3%.", "3%", None),  # another clause
    ],
)
def test_way__which_way_the_words_before_a_figure_say_it_moved(sentence, figure, way):
    from rag.answer.checks.conflicts import _way

    (q,) = [q for q in quantities(sentence) if q.text == figure]
    assert _way(q, sentence) == way


def test_disagreements__parallel_sentences_about_two_cities_are_no_conflict():
    # the defect: worded alike, "Xi'an has over 600" was taken for another count of Zhengzhou's
    texts = [
        "Zhengzhou Daily\nZhengzhou has over 800 micro-drama companies.",
        "36Kr\nXi'an has over 600 micro-drama companies.",
    ]
    answer = "Zhengzhou has over 800 micro-drama companies [1]. Xi'an has over 600 [2]."
    names = READER.names
    assert disagreements(parse(answer), context(texts, names=names)) == []
    shown = checked(answer, texts, names=names)
    assert shown.text == answer and shown.notices == []
    # the same wording about the same city still disagrees
    other = [
        "Zhengzhou Daily\nZhengzhou has over 800 micro-drama companies.",
        "Caixin\nZhengzhou has over 1,000 micro-drama companies.",
    ]
    assert _figures(
        disagreements(
            parse("Zhengzhou has over 800 micro-drama companies [1]."), context(other, names=names)
        )
    ) == [(("over 800", 1), ("over 1,000", 2))]


def test_checks__the_final_answer_states_each_figure_with_its_citation_and_a_notice():
    texts = [
        "36Kr\nXi'an has over 600 companies and produces 60% of the nation's micro-dramas.",
        "Jiemian\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone.",
    ]
    shown = checked("Xi'an has over 600 companies [1].", texts, "en")
    assert shown.text == (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    assert shown.cited == [1, 2]
    (notice,) = shown.notices
    assert notice.code == "conflict" and notice.params["figures"] == ["over 600", "over 200"]
    assert notice.message("zh") == "各出处给出的数字不一致：over 600 [1]; over 200 [2]"
    assert shown.conflicts == [Conflict((("over 600", 1), ("over 200", 2)))]
    # while streaming, sentences are shown as they are; the disagreement is added at the end
    assert checked("Xi'an has over 600 companies [1].", texts, "en", final=False).notices == []


def test_line__in_the_answers_language():
    (found,) = _found(
        "Xi'an has over 600 companies [1].",
        ["Xi'an has over 600 companies.", "There are over 200 companies in Xi'an alone."],
    )
    assert line(found, "zh") == "各出处的数字不一：over 600 [1]；over 200 [2]。"


def test_checks__a_retrieved_passage_not_shown_to_the_model_is_heard_too():
    shown = ["36Kr\nXi'an has over 600 companies and produces 60% of the nation's micro-dramas."]
    others = [
        "Jiemian\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone."
    ]
    result = checked("Xi'an has over 600 companies [1][5].", shown, "en", others=others)
    assert result.text == (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )
    assert result.cited == [1, 2]  # the second is the other passage, number 2 in the pool
    [dropped] = [n for n in result.notices if n.code == "markers_dropped"]
    assert dropped.params == {"markers": "[5]"}  # the model's [5] pointed at no source it saw


def test_disagreements__a_rounded_or_approximate_figure_is_the_same_figure():
    texts = [
        "Cailian\nChina had 696 million micro-short drama users by July 2025.",
        "36Kr\nThe user base of micro-short dramas in China has nearly reached 700 million users.",
    ]
    assert _found("China had 696 million users by July [1].", texts) == []


def test_disagreements__small_bare_counts_and_number_words_are_not_compared():
    texts = ["Hengdian received 2,300 crews in seven months.", "One base had 1 crew in 12 months."]
    assert _found("Hengdian received 2,300 crews in seven months [1].", texts) == []


XIAN = [
    "36Kr\nXi'an and Zhengzhou are the leading cities in the micro-short drama sector, with Xi'an "
    "having over 600 companies and producing around 60% of the nation's micro-short dramas.",
    "Caixin\nProduction Capacity: Xi'an and Zhengzhou are producing 40%-60% of the country's "
    "content, with over 200 companies in Xi'an alone.",
    "Caixin\nXi'an alone shot over 200 dramas last year.",
]


def test_disagreements__in_other_words_when_both_name_the_question_s_terms_and_count_the_same():
    text = "Xi'an has over 600 companies [1]."
    assert _found(text, XIAN) == []  # worded too differently to compare on words alone
    # the same count of companies; 200 dramas counts something else
    assert _figures(_found(text, XIAN, XIAN_Q)) == [(("over 600", 1), ("over 200", 2))]
    assert _found(text, XIAN, ZHENGZHOU_Q) == []


def test_disagreements__the_answer_s_figure_is_given_as_its_source_writes_it():
    texts = [
        "第一财经\n2024年微短剧市场规模预计达到504.4亿元。",
        "36Kr\nThe market size is projected to reach 505 billion yuan in 2024.",
    ]
    question = READER.read("What was the market size in 2024?")
    found = _found("The market reached 50.44 billion yuan in 2024 [1].", texts, question)
    assert _figures(found) == [(("504.4亿元", 1), ("505 billion yuan", 2))]


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("郑州全市微短剧制作企业800多家、从业人员近4万人", ["organisations", "people"]),
        (
            "Zhengzhou has over 820 production companies and approximately 30,000 industry "
            "professionals",
            ["organisations", "people"],
        ),
        ("there are 100,200 micro-short drama-related enterprises in China", ["organisations"]),
        ("the market reached 50.44 billion yuan", ["CNY"]),
        ("growth of 34.9% in 2024", [None, None]),
        ("China had 696 million micro-short drama users by July", ["users"]),  # the last noun
        ("around 100 short dramas daily, and 500 crews", ["works", None]),
    ],
)
def test_counted__what_a_count_counts_from_the_words_after_it(sentence, counts):
    assert [counted(q, sentence) for q in quantities(sentence)] == counts


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "2024年市场规模预计为505亿元，不同报道给出的数字一致。[1]",
            "2024年市场规模预计为505亿元。[1]",
        ),
        (
            "Xi'an has over 600 companies, and the reports agree on this figure [1].",
            "Xi'an has over 600 companies [1].",
        ),
        ("The reports agree [1]. Xi'an has 600 companies [1].", "Xi'an has 600 companies [1]."),
        (
            "各报道数字不一致，分别为600家[1]和200家[2]。",
            "各报道数字不一致，分别为600家[1]和200家[2]。",
        ),
        (
            "The reports do not agree: 600 [1] and 200 [2].",
            "The reports do not agree: 600 [1] and 200 [2].",
        ),
    ],
)
def test_without_agreement__a_claim_that_the_sources_agree_goes_and_the_rest_stays(text, kept):
    record = parse(text)
    state = apply(State(record), _without_agreement(record))
    assert render(state, "en", 2).text == kept


def test_checks__with_a_disagreement_the_answer_no_longer_says_the_reports_agree():
    shown = checked(
        "Xi'an has over 600 companies, and the reports agree [1].",
        XIAN,
        "en",
        question=XIAN_Q,
        names=READER.names,
    )
    assert shown.text == (
        "Xi'an has over 600 companies [1].\n"
        "The sources give different figures: over 600 [1]; over 200 [2]."
    )


def test_disagreements__a_figure_in_a_clause_about_another_city_is_not_compared():
    texts = [
        "郑州日报\n目前,郑州全市微短剧制作企业800多家、从业人员近4万人。",
        "36Kr\nXi'an and Zhengzhou are the leading cities, with Xi'an having over 600 companies.",
        "Caixin\nZhengzhou has over 1,000 production companies and approximately 30,000 staff.",
    ]
    found = _found("Zhengzhou has over 800 companies [1].", texts, ZHENGZHOU_Q)
    assert _figures(found) == [(("800多", 1), ("over 1,000", 3))]


ZHENGZHOU = [
    "郑州微短剧出海计划发布\n目前,郑州全市微短剧制作企业800多家、从业人员近4万人,日均开机短剧近百部。",
    "财联社\nZhengzhou has over 820 production companies and approximately 30,000 industry "
    "professionals, producing around 100 short dramas daily.",
]
PROFILE = load_profile("microdrama")
SHIPPED = QuestionReader(PROFILE.names, PROFILE.publishers)


@pytest.mark.parametrize(
    "question",
    [
        "郑州微短剧从业人员有多少？各来源数字分别是多少？",
        "2025年市场规模预计多少？各方预测是否一致？",
        "2024年市场规模是多少？不同报道给出的数字一致吗？",
        "How many companies does Zhengzhou have? Compare the figures in different reports.",
        "How many enterprises exist? List the figures different reports give.",
        "Do the reports agree on the market size?",
    ],
)
def test_each_source__questions_asking_for_every_sources_figure(question):
    assert SHIPPED.read(question).each_source


@pytest.mark.parametrize(
    "question", ["西安和郑州分别有多少家公司？", "How many companies does Zhengzhou have?"]
)
def test_each_source__other_questions_do_not(question):
    assert not SHIPPED.read(question).each_source


def test_disagreements__asked_for_every_figure_agreeing_ones_are_listed_counting_the_same_thing():
    answer = "Zhengzhou has over 800 production companies [1]."
    assert _found(answer, ZHENGZHOU, ZHENGZHOU_Q) == []  # 820 is "800多"
    every = READER.read("How many companies does Zhengzhou have? Compare the reports' figures.")
    (found,) = _found(answer, ZHENGZHOU, every)
    assert found.figures == (("800多", 1), ("over 820", 2)) and not found.differs
    # around 100 short dramas, approximately 30,000 professionals: other things, not listed
    assert line(found, "en") == "Figures by source: 800多 [1]; over 820 [2]."


def test_line__a_figure_several_sources_write_alike_is_given_once_with_each_citation():
    texts = [*MARKET[2:], MARKET[2], "36Kr\nThe user base reached 662 million users in 2025."]
    every = Question("Compare the reports' user numbers", "en", each_source=True)
    (found,) = _found("China had 696 million users by July [1].", texts, every)
    assert line(found, "en") == (
        "The sources give different figures: 696 million [1][2]; 662 million [3]."
    )
    assert found.figures == (("696 million", 1), ("696 million", 2), ("662 million", 3))


def test_checks__asked_for_every_figure_an_agreeing_list_is_no_conflict_and_keeps_agreement():
    every = READER.read("How many companies does Zhengzhou have? Compare the reports' figures.")
    answer = "Zhengzhou has over 800 companies, and the reports agree [1]."
    shown = checked(answer, ZHENGZHOU, "en", question=every, names=READER.names)
    assert shown.text == (
        "Zhengzhou has over 800 companies, and the reports agree [1].\n"
        "Figures by source: 800多 [1]; over 820 [2]."
    )
    assert shown.notices == []


def test_checks__each_figure_of_the_answer_gets_its_own_line_of_the_sources_figures():
    texts = [
        "36Kr\nXi'an has over 600 companies and produces around 60% of the nation's micro-dramas.",
        "Jiemian\nXi'an has over 200 companies and produces around 30% of the nation's "
        "micro-dramas.",
    ]
    answer = "Xi'an has over 600 companies and produces around 60% of the nation's dramas [1]."
    shown = checked(answer, texts, "en")
    assert shown.text.split("\n")[1:] == [
        "The sources give different figures: over 600 [1]; over 200 [2].",
        "The sources give different figures: around 60% [1]; around 30% [2].",
    ]
    (notice,) = shown.notices
    assert notice.params["values"] == "over 600 [1]; over 200 [2]; around 60% [1]; around 30% [2]"
