"""Answerability by key terms: what a question names, and whether the passages name it too."""

from __future__ import annotations

import time

import pytest

from rag.corpus.profile import load_profile
from rag.question.terms import key_terms, missing_terms


@pytest.fixture(scope="module")
def names():  # type: ignore[no-untyped-def]
    return load_profile("microdrama").names


def _texts(terms) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text for t in terms]


def test_key_terms__english_names_metrics_and_no_function_or_generic_words(names):
    terms = key_terms(
        "What is Kuaishou's MAU in the China micro-drama market, per Cailian Press?", names
    )
    assert _texts(terms) == ["Kuaishou", "MAU", "Cailian Press"]
    assert [t.kind for t in terms] == ["name", "metric", "name"]


def test_key_terms__chinese_places_platforms_quoted_titles_and_years(names):
    terms = key_terms("2023年红果在马来西亚拍的《狮城山海》投资多少？", names)
    assert _texts(terms) == ["2023", "红果", "马来西亚", "狮城山海", "投资"]
    assert _texts(key_terms("张一鸣如何评价长沙的短剧行业？", names)) == ["张一鸣", "长沙"]


@pytest.mark.parametrize(
    "question",
    [
        "微短剧行业的市场有多大？",
        "How big is the micro-drama industry in China?",
        "中国短剧市场",
        "“AI+短剧”赛道怎么样？",  # a name mixing scripts, of generic words only
        "首届盛典在哪座城市举行？",  # what the question word asks for (jieba: 城市 a place)
    ],
)
def test_key_terms__generic_words_are_never_key_terms(names, question):
    assert key_terms(question, names) == []


def test_missing_terms__a_name_found_through_its_pinyin(names):
    assert (
        missing_terms("郑州有多少家短剧公司？", ["Zhengzhou has over 800 companies"], names) == []
    )
    assert missing_terms("How many views did Hongguo get?", ["红果短剧的播放量"], names) == []


def test_missing_terms__a_name_found_through_the_name_table(names):
    passage = ["Lion City Mountains and Seas was filmed in Malaysia for 95 days"]
    assert missing_terms("《狮城山海》在马来西亚拍了多少天？", passage, names) == []
    assert (
        missing_terms("横店有多少剧组？", ["Hengdian Film City received 2,300 crews"], names) == []
    )


def test_missing_terms__a_name_mixing_scripts_found_part_by_part(names):
    question = "“ReelShort+短剧”模式有多少部作品？"
    assert missing_terms(question, ["ReelShort's short drama model has 300 works"], names) == []
    assert [t.text for t in missing_terms(question, ["ReelS short dramas"], names)] == [
        "ReelShort+短剧"
    ]


def test_missing_terms__a_metric_found_through_its_synonym(names):
    passage = ["Douyin's monthly active users reached 700 million"]
    assert missing_terms("抖音的月活是多少？", passage, names) == []


def test_missing_terms__an_unmentioned_platform_executive_and_metric_are_flagged(names):
    passages = ["Hongguo launched the Guo Ran Plan; Kuaishou's commercialisation grew 300%"]
    assert _texts(missing_terms("ReelShort 在海外的营收是多少？", passages, names)) == [
        "ReelShort",
        "营收",
    ]
    assert _texts(missing_terms("红果短剧的首席执行官是谁？", passages, names)) == ["首席执行官"]
    assert _texts(missing_terms("What is Kuaishou's DAU?", passages, names)) == ["DAU"]


def test_missing_terms__terms_as_the_question_writes_them(names):
    missing = missing_terms("How large is the market in Japan's Tokyo?", ["郑州"], names)
    assert _texts(missing) == ["Japan", "Tokyo"]


def test_missing_terms__a_short_abbreviation_is_not_found_inside_a_ticker(names):
    assert _texts(missing_terms("美国短剧市场规模？", ["爱奇艺(IQ.US) market size"], names)) == [
        "美国"
    ]


def test_missing_terms__well_under_20_ms_a_question_once_jieba_is_loaded(names):
    passages = ["红果短剧 Hongguo's Home and Away 2 achieved 10 billion views 郑州 西安 " * 20] * 5
    questions = [
        "红果的《家里家外2》播放量是多少？",
        "How many companies does Xi'an have per 36Kr?",
    ]
    missing_terms(questions[0], passages, names)  # loads jieba and pypinyin
    start = time.perf_counter()
    for _ in range(10):
        for question in questions:
            missing_terms(question, passages, names)
    assert (time.perf_counter() - start) / 20 < 0.02


NEUTRAL = load_profile("neutral").names


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        # a date says when the question was asked; a first word and adjectives name nothing
        ("Speaking of floods, which English city flooded? (as of 2022-12-10)", []),
        ("Which European leader met the Californian governor on 2023-06-23?", ["2023"]),
        ("What did the English Premier League announce?", ["English Premier League"]),
        ("How large was the drama market in Japan in 2024?", ["Japan", "2024"]),
    ],
)
def test_key_terms__dates_and_ordinary_capitalised_words_are_no_names(question, terms):
    assert _texts(key_terms(question, NEUTRAL)) == terms


def test_missing_terms__an_abbreviation_next_to_chinese_is_found():
    assert missing_terms("2021年香港GDP增长了多少？", ["2021年香港GDP增长了6.4%"], NEUTRAL) == []
    assert _texts(missing_terms("2021年香港GDP增长了多少？", ["香港经济增长"], NEUTRAL)) == [
        "2021",
        "GDP",
    ]


def test_missing_terms__a_name_of_several_chinese_parts_is_found_by_one_of_them():
    question = "在休斯顿玛格丽特·詹金斯公园的枪击事件中有多少人受伤？"
    (term,) = key_terms(question, NEUTRAL)
    assert [p.text for p in term.parts] == ["休斯顿", "玛格丽特", "詹金斯"]
    # the passage transliterates Houston alike (休斯敦: the same pinyin)
    assert missing_terms(question, ["枪击事件发生在休斯敦公园，另有四人受伤。"], NEUTRAL) == []
    assert missing_terms(question, ["芝加哥发生枪击事件。"], NEUTRAL) == [term]


def test_missing_terms__an_acronym_is_found_spelled_out():
    question = "Why did the FDA let people buy hearing aids?"
    passage = ["The Food and Drug Administration's rule allows cheaper hearing aids."]
    assert missing_terms(question, passage, NEUTRAL) == []
    elsewhere = ["The agency allows cheaper hearing aids."]
    assert _texts(missing_terms(question, elsewhere, NEUTRAL)) == ["FDA"]
    # ordinary lowercase words with the same initials spell nothing out
    assert _texts(missing_terms("Who leads the GOP?", ["They go on patrol."], NEUTRAL)) == ["GOP"]
    ads = ["Cost-per-impression prices fell."]
    assert _texts(missing_terms("What was the CPI in June?", ads, NEUTRAL)) == ["CPI"]


def test_missing_terms__a_place_found_by_the_name_its_language_gives_it():
    question = "截至2023年7月末，中国的外汇储备规模是多少？"
    ours = ["截至2023年7月末，我国外汇储备规模为32043亿美元"]
    assert missing_terms(question, ours, NEUTRAL) == []
    assert _texts(missing_terms(question, ["2023年7月末，美国外汇储备下降"], NEUTRAL)) == ["中国"]
