from decimal import Decimal

from rag.answer.citations import check, is_refusal, link, repair
from rag.answer.numbers.quantities import quantities

SOURCES = [
    "The user base reached 696 million by July.",
    "Zhengzhou has over 820 production companies and produces around 100 dramas daily.",
]


def test_link__renumbers_in_order_of_first_use_and_drops_unknown_markers():
    text, order, dropped = link("A [2]. B [1, 2]. C 【9】.", 2)
    assert text == "A [1]. B [2][1]. C."
    assert order == [2, 1]
    assert dropped == [9]


def test_check__keeps_only_cited_sources():
    checked = check("Zhengzhou has over 820 companies [2].", SOURCES)
    assert checked.cited == [2]
    assert checked.text == "Zhengzhou has over 820 companies [1]."
    assert checked.unsupported == []


def test_check__flags_a_number_the_cited_source_lacks():
    checked = check("Users reached 6.96 billion [1]. Zhengzhou has 820 companies [2].", SOURCES)
    assert checked.unsupported == ["Users reached 6.96 billion."]


def test_check__uncited_numbers_are_checked_against_all_sources():
    assert check("There are 820 companies.", SOURCES).unsupported == []
    assert check("There are 900 companies.", SOURCES).unsupported == ["There are 900 companies."]


def test_quantities__ignore_separators_and_markers():
    found = quantities("24,000 people [12], 5.0%")
    assert [(q.value, q.kind) for q in found] == [(24000, "count"), (Decimal(5), "percent")]


def test_check__a_figure_at_another_magnitude_is_flagged():
    sources = ["The user base reached nearly 700 million."]
    assert check("用户规模达700万[1]。", sources).unsupported == ["用户规模达700万。"]
    assert check("用户规模近7亿[1]。", sources).unsupported == []


def test_check__the_same_figure_in_other_units_is_not_flagged():
    assert check("The market is worth 5 billion yuan [1].", ["市场规模50亿元。"]).unsupported == []
    assert check("市场规模504亿元[1]。", ["Revenue: 50.44 billion yuan."]).unsupported == []


def test_check__a_percentage_is_no_count_and_over_is_not_nearly():
    sources = ["近百部短剧上线，增长300%。"]
    assert check("Over 100 dramas launched [1].", sources).unsupported != []
    assert check("Growth was about 100% [1].", sources).unsupported != []
    assert check("Nearly 100 dramas grew 300% [1].", sources).unsupported == []


def test_repair__re_points_to_the_source_stating_the_figure_in_its_unit():
    sources = ["Users: 700万 in Xi'an.", "Users reached nearly 700 million nationwide."]
    text, changed = repair("Users number nearly 7亿 [1].", sources)
    assert (text, changed) == ("Users number nearly 7亿 [2].", 1)


def test_is_refusal__matches_the_fixed_sentence_loosely():
    fixed = [
        "The reports do not contain the answer to this question.",
        "报告中没有关于这个问题的信息。",
    ]
    assert is_refusal("The reports do not contain the answer to this question", fixed)
    assert is_refusal("报告中没有关于这个问题的信息。", fixed)
    assert is_refusal("", fixed)
    assert not is_refusal("Zhengzhou has 820 companies [1].", fixed)


def test_repair__adds_the_source_that_states_the_number():
    sources = ["Hengdian received 2,300 crews.", "Xi'an hosts over 10 crews daily."]
    assert repair("西安每天有10个剧组在拍摄。", sources) == ("西安每天有10个剧组在拍摄 [2]。", 1)


def test_repair__re_points_a_citation_whose_source_lacks_the_number():
    sources = ["Hengdian received 2,300 crews.", "iQIYI integrated 30,000 novel IPs."]
    text, changed = repair("According to [1], iQIYI integrated 30,000 IPs [1].", sources)
    assert (text, changed) == ("According to [2], iQIYI integrated 30,000 IPs [2].", 1)


def test_repair__leaves_supported_and_unmatched_sentences_alone():
    sources = ["Hengdian received 2,300 crews."]
    assert repair("Hengdian got 2,300 crews [1].\nThe sky is blue.", sources) == (
        "Hengdian got 2,300 crews [1].\nThe sky is blue.",
        0,
    )


def test_is_refusal__recognises_refusals_in_other_words_only_without_citations():
    assert is_refusal("The average salary is not provided in the given sources.", [])
    assert is_refusal("报告中未提及横店演员的平均工资。", [])
    assert not is_refusal("The salary is not provided [1], but costs rose 20% [2].", [])
