"""English amounts and names in Chinese answers: amounts in 万/亿 with the same value, names as
the name table writes them in Chinese."""

from __future__ import annotations

import pytest

from rag.answer.localise import chinese_amounts, chinese_names
from rag.answer.numbers.quantities import quantities, supported
from rag.corpus.profile import load_profile


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            "部分微短剧上线首日的用户充值超过了50 million yuan。",
            "部分微短剧上线首日的用户充值超过了5000万元。",
        ),
        ("2023年市场规模为37.39 billion yuan [1]。", "2023年市场规模为373.9亿元 [1]。"),
        ("福建安排了三年期资金30 million yuan。", "福建安排了三年期资金3000万元。"),
        ("用户规模达到662 million", "用户规模达到6.62亿"),
        ("市场有望突破1 trillion yuan", "市场有望突破1万亿元"),
        ("出口额为2.5 billion US dollars", "出口额为25亿美元"),
        ("约5 thousand部", "约5000部"),
        ("1,200 million", "12亿"),
    ],
)
def test_chinese_amounts__written_in_wan_and_yi(text, written):
    assert chinese_amounts(text) == written


@pytest.mark.parametrize(
    "text",
    ["占地面积为66,000平方米", "整合了30,000部小说IP", "增长34.9%", "2025年", "v1.5 million"],
)
def test_chinese_amounts__other_figures_are_left_as_written(text):
    assert chinese_amounts(text) == text


@pytest.mark.parametrize(
    "text", ["50 million yuan", "37.39 billion yuan", "1,200 million", "2.5 billion"]
)
def test_chinese_amounts__the_value_is_the_same_figure(text):
    (before,) = quantities(text)
    (after,) = quantities(chinese_amounts(text))
    assert supported(after, [before]) and supported(before, [after])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            "CMG首届中国微短剧盛典在Yantai，山东举行 [1]。",
            "CMG首届中国微短剧盛典在烟台，山东举行 [1]。",
        ),
        ("据 Yicai 报道，市场规模为504.4亿元 [1]。", "据第一财经报道，市场规模为504.4亿元 [1]。"),
        ("Xi'an和Zhengzhou各有优势 [2]。", "西安和郑州各有优势 [2]。"),
        ("AI让成本下降 [1]。", "AI让成本下降 [1]。"),  # a generic word, as written
    ],
)
def test_chinese_names__names_the_table_knows_written_in_chinese(text, written):
    assert chinese_names(text, load_profile("microdrama").names) == written
