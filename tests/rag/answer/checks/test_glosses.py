"""A Chinese answer in Chinese: English asides out, amounts in 万/亿, known names in Chinese."""

from __future__ import annotations

from rag.answer.checks.glosses import strip_glosses
from rag.corpus.profile import load_profile
from tests.rag.answer.checking import checked, found


def test_strip_glosses__english_asides_leave_a_chinese_answer_only():
    text = "郑州每天开机近百部（over 100）短剧 [1]。用户达6.96亿(696 million) [2]。"
    assert strip_glosses(text, "zh") == "郑州每天开机近百部短剧 [1]。用户达6.96亿 [2]。"
    assert strip_glosses("Hongguo (红果) leads (by far) [1].", "en") == (
        "Hongguo (红果) leads (by far) [1]."
    )
    assert strip_glosses("月活（MAU）为（约）3亿 [1]。", "zh") == "月活为（约）3亿 [1]。"


def test_glosses__rewrite_only_the_sentences_they_change_and_say_nothing():
    sources = ["郑州日报\n郑州每天开机拍摄的短剧近百部。"]
    findings = found(
        "glosses", "郑州有公司 [1]。郑州每天开机近百部（over 100）短剧 [1]。", sources, "zh"
    )
    assert [(f.action, f.at, f.text) for f in findings] == [
        ("rewrite", 1, "郑州每天开机近百部短剧 [1]。")
    ]
    assert all(f.notice is None for f in findings)
    assert found("glosses", "Nearly 100 (近百) a day [1].", sources, "en") == []


def test_glosses__english_amounts_in_a_chinese_answer_are_written_in_wan_and_yi():
    sources = ["Caixin\nSome micro-dramas took over 50 million yuan in top-ups on their first day."]
    shown = checked("部分微短剧上线首日的用户充值超过了50 million yuan [1]。", sources, "zh")
    assert shown.text == "部分微短剧上线首日的用户充值超过了5000万元 [1]。"
    assert shown.notices == []  # the same figure, still supported by its source
    english = checked("Top-ups passed 50 million yuan on day one [1].", sources, "en")
    assert "50 million yuan" in english.text  # an English answer keeps its wording


def test_glosses__quoted_text_keeps_its_sources_wording():
    sources = ["Caixin\nSome micro-dramas took over 50 million yuan (about 7 million dollars)."]
    quote = "根据报告：\n- Some micro-dramas took over 50 million yuan (about 7 million dollars)[1]"
    assert checked(quote, sources, "zh", quoted=True).text == quote
    assert "5000万元" in checked(quote, sources, "zh").text  # a model's text is rewritten


def test_glosses__a_chinese_answer_names_in_chinese_an_english_one_as_written():
    sources = ["CMG\nThe first CMG micro-drama gala was held in Yantai, Shandong."]
    names = load_profile("microdrama").names
    assert checked("盛典在Yantai举行 [1]。", sources, "zh", names=names).text == (
        "盛典在烟台举行 [1]。"
    )
    en = checked("The gala was held in Yantai [1].", sources, "en", names=names)
    assert en.text == "The gala was held in Yantai [1]."
