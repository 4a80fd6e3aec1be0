"""The glossed question: other-language names of the terms a question names, from the profile."""

from __future__ import annotations

from rag.corpus.names import Name, NameTable
from rag.corpus.profile import load_profile
from rag.retrieval.glossary import glossed, other_names

NAMES = NameTable.build(
    [
        Name("郑州", "Zhengzhou"),
        Name("马来西亚", "Malaysia"),
        Name("河南", "Henan", ("河南省", "Henan Province")),
    ]
)


def test_other_names__a_chinese_question_gets_the_latin_names():
    assert other_names("郑州每天开机多少部短剧？", NAMES) == ["Zhengzhou"]
    assert other_names("河南省的扶持资金有多少？", NAMES) == ["Henan", "Henan Province"]


def test_other_names__an_english_question_gets_the_chinese_names():
    assert other_names("How long did they shoot in Malaysia?", NAMES) == ["马来西亚"]
    assert other_names("Zhengzhou and Henan Province", NAMES) == ["郑州", "河南", "河南省"]


def test_glossed__the_question_then_its_names_or_none_without_a_name():
    assert glossed("What is Zhengzhou's rank?", NAMES) == "What is Zhengzhou's rank? 郑州"
    assert glossed("How long does one series take to make?", NAMES) is None


def test_other_names__the_shipped_profile_names_publishers_and_places():
    names = load_profile("microdrama").names
    assert "Fujian" in other_names("福建的三年扶持计划有多少钱？", names)
    assert "经济日报" in other_names("What does Economic Daily say about Quzhou?", names)
    assert "衢州" in other_names("What does Economic Daily say about Quzhou?", names)
