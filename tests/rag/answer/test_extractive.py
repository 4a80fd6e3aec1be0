"""Quotes that hold the kind of answer asked, or none."""

from __future__ import annotations

from index.types import Chunk, Scored
from rag.answer.extractive import extract, holds
from rag.corpus.profile import load_profile
from rag.question import QuestionReader

PROFILE = load_profile("microdrama")
READER = QuestionReader(PROFILE.names, PROFILE.publishers)


def _scored(i: int, text: str) -> Scored[Chunk]:
    chunk = Chunk(f"c{i}", f"a{i}", text, text, f"{i}.txt", f"t{i}")
    return Scored(chunk, 1.0 / i)


def test_extract__a_how_many_question_quotes_the_sentence_with_the_figure():
    question = READER.read("横店影视城今年前七个月接待了多少个微短剧剧组？")
    contexts = [
        _scored(1, "横店影视城是微短剧拍摄的热门地点。横店影视城接待剧组的服务很完善。"),
        _scored(2, "Hengdian World Studios received over 2,300 micro-drama crews this year."),
    ]
    quotes = extract(question, contexts)
    assert any("2,300" in sentence for _, sentence in quotes)


def test_extract__no_quote_holding_the_kind_asked_is_no_answer():
    question = READER.read("横店影视城今年前七个月接待了多少个微短剧剧组？")
    contexts = [
        _scored(1, "横店影视城是微短剧拍摄的热门地点。"),
        _scored(2, "剧组很多，服务很好。"),
    ]
    assert extract(question, contexts) == []
    anything = READER.read("横店影视城有什么特点？")
    assert extract(anything, contexts) != []


def test_holds__figures_dates_and_names():
    who = READER.read("Who launched the Guo Ran Plan?")
    assert holds("Hongguo launched the plan in May.", "person", who, PROFILE.names)
    assert not holds("The plan was launched in May.", "person", who, PROFILE.names)
    when = READER.read("When was the plan launched?")
    assert holds("It was launched in May 2025.", "date", when)
    assert not holds("It was launched by 36Kr.", "date", when)
    assert holds("There were 2,300 crews.", "figure", when)


def test_extract__a_quote_speaking_of_something_else_is_left_out_when_others_speak_of_it():
    question = READER.read("Which platform is Kanye West acquiring?")
    contexts = [
        _scored(1, "Kanye West announced he is acquiring Parler, a social media platform."),
        _scored(2, "The weather in Paris was mild all week."),
    ]
    assert [n for n, _ in extract(question, contexts)] == [1]
    # a paraphrase shares no word with any passage: the retrieval rank vouches for the quotes
    reworded = READER.read("From start to finish, how long does one of these series take?")
    fast = [_scored(1, "Micro-dramas can be filmed quickly, with 60 episodes in two weeks.")]
    assert extract(reworded, fast) != []


def test_holds__a_figure_counting_what_was_asked():
    flights = READER.read("阿提哈德航空的全货运航线计划每周执飞多少班？")
    assert flights.counts == "班"
    assert not holds("波音777-200全货机在鄂州花湖机场降落。", "figure", flights)
    assert holds("该航线计划每周执飞2班。", "figure", flights)
    money = READER.read("台风造成的直接经济损失是多少亿元？")
    assert money.counts == "currency"
    assert not holds("中心最大风力15级。", "figure", money)
    assert holds("直接经济损失达12.5亿元。", "figure", money)
    crews = READER.read("How many crews does Xi'an host daily?")
    assert crews.counts == "crew" and holds("Xi'an hosts over 10 crews daily.", "figure", crews)
    assert not holds("Xi'an has over 600 companies.", "figure", crews)


def test_holds__an_english_count_followed_by_its_verb_counts_the_noun():
    # no tagger tells "crews" from "shoot": any word of the phrase will do
    crews = READER.read("And how many crews shoot in Xi'an each day?")
    assert "crew" in crews.counts.split()
    assert holds("Xi'an hosting over 10 crews daily.", "figure", crews)
    assert not holds("Xi'an has over 600 companies.", "figure", crews)


def test_extract__quotes_naming_the_subject_but_saying_nothing_of_what_was_asked_are_none():
    neutral = QuestionReader(load_profile("neutral").names)
    question = neutral.read("袭击身亡的联合国世界粮食计划署工作人员的名字是什么？")
    summit = [_scored(1, "联合国世界粮食计划署执行主任出席了峰会开幕式并致辞。")]
    assert extract(question, summit) == []
    attack = [_scored(1, "联合国世界粮食计划署工作人员穆罕默德·阿里在袭击中身亡。")]
    assert extract(question, attack) != []
    # English too: the question's own figures are not what it asks about
    merger = neutral.read("Which two major supermarkets plan to merge in 2024?")
    nomination = [_scored(1, "The ambassador seeking the 2024 nomination has two town halls.")]
    assert extract(merger, nomination) == []
    deal = [
        _scored(1, "Kroger and Albertsons announced plans to merge, the two supermarkets said.")
    ]
    assert extract(merger, deal) != []


def test_extract__the_figure_of_the_period_asked_is_quoted_not_another_periods():
    question = READER.read("2023年1至6月份全国规模以上工业企业的利润总额同比下降了多少？")
    profits = (
        "6月份，全国规模以上工业企业利润同比下降8.3%，降幅较5月份收窄4.3个百分点。"
        "上半年，规上工业企业利润同比下降16.8%。"
    )
    (quote,) = extract(question, [_scored(1, profits)])
    assert "16.8%" in quote[1] and "8.3%" not in quote[1]
