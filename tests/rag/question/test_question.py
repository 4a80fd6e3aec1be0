"""The question read once: its language, key terms, publishers, years, whether it asks for each
source's figure, and the other language's names of what it names (the glossed question)."""

from __future__ import annotations

from rag.corpus.names import Name, NameTable
from rag.corpus.profile import load_profile
from rag.question import QuestionReader

NAMES = NameTable.build(
    [
        Name("郑州", "Zhengzhou"),
        Name("马来西亚", "Malaysia"),
        Name("河南", "Henan", ("河南省", "Henan Province")),
    ]
)
READER = QuestionReader(NAMES)
PROFILE = load_profile("microdrama")
SHIPPED = QuestionReader(PROFILE.names, PROFILE.publishers)


def test_read__a_chinese_question_gets_the_latin_names():
    assert READER.read("郑州每天开机多少部短剧？").other_names == ("Zhengzhou",)
    assert READER.read("河南省的扶持资金有多少？").other_names == ("Henan", "Henan Province")


def test_read__an_english_question_gets_the_chinese_names():
    assert READER.read("How long did they shoot in Malaysia?").other_names == ("马来西亚",)
    names = READER.read("Zhengzhou and Henan Province").other_names
    assert names == ("郑州", "河南", "河南省")


def test_glossed__the_question_then_its_names_or_none_without_a_name():
    assert READER.read("What is Zhengzhou's rank?").glossed == "What is Zhengzhou's rank? 郑州"
    assert READER.read("How long does one series take to make?").glossed is None


def test_read__publishers_are_named_not_glossed():
    question = SHIPPED.read("What does Economic Daily say about Quzhou?")
    assert [p.en for p in question.publishers] == ["Economic Daily"]
    assert "衢州" in question.other_names
    assert "经济日报" not in question.other_names  # it has a retrieval pass of its own
    assert "Fujian" in SHIPPED.read("福建的三年扶持计划有多少钱？").other_names


def test_read__language_terms_years_and_each_source():
    question = SHIPPED.read("2024年郑州有多少家短剧公司？不同报道的数字分别是多少？")
    assert question.lang == "zh"
    assert [t.text for t in question.terms] == ["2024", "郑州"]
    assert question.years == (2024,)
    assert question.each_source
    english = SHIPPED.read("Compare the figures in different reports on Zhengzhou's companies")
    assert english.lang == "en" and english.each_source
    assert not SHIPPED.read("郑州每天大约开机多少部短剧？").each_source


def test_read__a_follow_up_keeps_the_language_it_was_asked_in():
    question = SHIPPED.read("西安每天大约开机多少部短剧？", asked="And Xi'an?")
    assert question.lang == "en" and question.asked == "And Xi'an?"
    assert question.about("Xi'an has over 600 companies")
    assert not question.about("Zhengzhou has over 800 companies")


def test_read__the_kind_of_answer_asked_and_the_parts_of_a_question_asking_several():
    assert SHIPPED.read("Who won the U.S. Open?").asks == "person"
    assert SHIPPED.read("中国驻日本大使是谁？").asks == "person"
    assert SHIPPED.read("When did the park reopen?").asks == "date"
    assert SHIPPED.read("横店今年前七个月接待了多少个剧组？").asks == "figure"
    assert SHIPPED.read("在哪个城市的福利设施收到了可疑邮包？").asks == "place"
    assert SHIPPED.read("What new forms are companies exploring?").asks == "any"
    several = SHIPPED.read("韩国警察厅厅长是谁？韩国警方通过什么方式逮捕了嫌疑人？")
    assert several.parts == ("韩国警察厅厅长是谁？", "韩国警方通过什么方式逮捕了嫌疑人？")
    assert several.asks == "any"  # each part asks its own
