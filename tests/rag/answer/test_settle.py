"""What of a model's answer may be shown: glosses out, sentences with figures no cited source
states repaired or left out, and the same rule while the answer streams."""

from __future__ import annotations

from rag.answer.settle import SentenceGate, gated, repair_figures, settle, strip_glosses

SOURCES = [
    "郑州日报\n郑州每天开机拍摄的短剧近百部。",
    "36Kr\nChina had 696 million micro-drama users by July 2025.",
]


def test_strip_glosses__english_asides_leave_a_chinese_answer_only():
    text = "郑州每天开机近百部（over 100）短剧 [1]。用户达6.96亿(696 million) [2]。"
    assert strip_glosses(text, "zh") == "郑州每天开机近百部短剧 [1]。用户达6.96亿 [2]。"
    assert strip_glosses("Hongguo (红果) leads (by far) [1].", "en") == (
        "Hongguo (红果) leads (by far) [1]."
    )
    assert strip_glosses("月活（MAU）为（约）3亿 [1]。", "zh") == "月活为（约）3亿 [1]。"


def test_settle__a_sentence_with_a_figure_no_source_states_is_left_out():
    settled = settle("郑州每天开机近百部短剧 [1]。郑州有999家公司 [1]。", SOURCES, "zh")
    assert settled.checked.text == "郑州每天开机近百部短剧 [1]。"
    assert [n.code for n in settled.notices] == ["withheld_sentence"]
    assert "999" in settled.notices[0] and "999" in settled.notices[0].message("zh")


def test_settle__a_repairer_puts_the_sources_figure_in():
    def repair(sentence: str, sources: list[str]) -> str | None:
        return sentence.replace("700 million", "696 million")

    settled = settle("China had 700 million users [2].", SOURCES, "en", repair)
    assert settled.checked.text == "China had 696 million users [1]."
    assert [n.code for n in settled.notices] == ["figure_repaired"]
    assert settled.notices[0].params == {
        "was": "China had 700 million users.",
        "now": "China had 696 million users.",
    }


def _stream(text: str, step: int = 3) -> list[str]:
    return [text[i : i + step] for i in range(0, len(text), step)]


def test_gate__shows_whole_checked_sentences_and_ends_as_the_final_answer():
    raw = "郑州每天开机近百部短剧 [1]。郑州有999家公司 [1]。用户达6.96亿 [2]。"
    gate = SentenceGate(lambda text: settle(text, SOURCES, "zh").checked.text)
    shown = list(gated(_stream(raw), gate))
    assert all("999" not in piece for piece in shown)  # never on screen, not even for a moment
    assert "".join(shown) == settle(raw, SOURCES, "zh").checked.text
    assert shown[0] == "郑州每天开机近百部短剧 [1]。"


def test_gate__keeps_a_growing_sentence_back_until_it_ends():
    gate = SentenceGate(lambda text: settle(text, SOURCES, "en").checked.text)
    assert gate.feed("China had 696 mil") == ""
    assert gate.feed("lion users [2]. Zheng") == "China had 696 million users [1]."
    assert gate.close() == ""  # "Zheng" cites nothing: only the final answer may show it


def test_repair_figures__a_unit_slip_gets_the_sources_own_figure():
    sources = [
        "China's micro-drama market reached 50.44 billion yuan in 2024, with 662 million users."
    ]
    assert repair_figures("2024年市场规模为50.44亿元 [1]。", sources) == (
        "2024年市场规模为50.44 billion yuan [1]。"
    )
    # "over 100" where the source says nearly a hundred: the source's qualifier wins
    assert repair_figures("郑州每天开机超过100部 [1]。", ["郑州日均开机短剧近百部。"]) == (
        "郑州每天开机近百部 [1]。"
    )


def test_repair_figures__never_takes_another_quantity_merely_because_it_is_near():
    sources = ["The platform had 662 million users and 820 companies."]
    assert repair_figures("It had 700 million users [1].", sources) is None
    assert repair_figures("There were 999 companies [1].", sources) is None


def test_repair_figures__a_hundred_is_not_one():
    sources = ["西安每天开机约10部短剧，1部爆款即可回本。"]
    assert repair_figures("西安每天大约开机约100部短剧 [1]。", sources) is None


def test_settle__english_amounts_in_a_chinese_answer_are_written_in_wan_and_yi():
    sources = ["Caixin\nSome micro-dramas took over 50 million yuan in top-ups on their first day."]
    settled = settle("部分微短剧上线首日的用户充值超过了50 million yuan [1]。", sources, "zh")
    assert settled.checked.text == "部分微短剧上线首日的用户充值超过了5000万元 [1]。"
    assert settled.notices == ()  # the same figure, still supported by its source
    english = settle("Top-ups passed 50 million yuan on day one [1].", sources, "en")
    assert "50 million yuan" in english.checked.text  # an English answer keeps its wording


def test_settle__a_clause_with_an_unsupported_figure_goes_and_the_rest_of_its_sentence_stays():
    sources = ["郑州日报\n全市微短剧制作企业800多家、从业人员近4万人。"]
    text = "Zhengzhou has over 800 production companies, with 40%-60% of the country's content [1]."
    settled = settle(text, sources, "en")
    assert settled.checked.text == "Zhengzhou has over 800 production companies [1]."
    (notice,) = settled.notices
    assert notice.code == "withheld_sentence"
    assert notice.params["sentence"] == "with 40%-60% of the country's content"
    # nothing left that states a figure: the whole sentence goes
    alone = settle("It holds 40%-60% of the content, and 70% of the crews [1].", sources, "en")
    assert alone.checked.text == ""


def test_repair_figures__never_with_a_figure_its_source_dates_to_another_year():
    sources = [
        "The market grew from 368 million yuan in 2021 to 37.39 billion yuan in 2023, and is "
        "projected to reach 50.5 billion yuan in 2024."
    ]
    # 50.5亿 has the digits of "50.5 billion", but that is the 2024 figure
    assert repair_figures("2023年市场规模为50.5亿元 [1]。", sources) is None
    assert repair_figures("2024年市场规模为50.5亿元 [1]。", sources) == (
        "2024年市场规模为50.5 billion yuan [1]。"
    )
    undated = repair_figures("市场规模为50.5亿元 [1]。", sources)
    assert undated == "市场规模为50.5 billion yuan [1]。"


def test_settle__quoted_text_keeps_its_source_s_wording():
    sources = ["Caixin\nSome micro-dramas took over 50 million yuan (about 7 million dollars)."]
    quote = "根据报告：\n- Some micro-dramas took over 50 million yuan (about 7 million dollars)[1]"
    assert settle(quote, sources, "zh", quoted=True).checked.text == quote
    assert "5000万元" in settle(quote, sources, "zh").checked.text  # a model's text is rewritten


def test_settle__a_clause_s_wrong_unit_is_repaired_and_an_unsupported_clause_goes():
    sources = [
        "行业报告\nOverseas revenue of short-drama apps reached 2.3 billion dollars in 2025."
    ]
    text = "2025年海外收入为2.3亿美元，占市场规模的10%。[1]"
    settled = settle(text, sources, "zh", repair_figures)
    assert settled.checked.text == "2025年海外收入为23亿美元。[1]"  # 2.3 billion, in 亿
    assert [n.code for n in settled.notices] == ["figure_repaired", "withheld_sentence"]
    assert settled.notices[0].params["now"] == "2025年海外收入为23亿美元"
    assert settled.notices[1].params["sentence"] == "占市场规模的10%"


def test_settle__figures_markers_introduce_with_no_word_of_what_they_are_are_left_out():
    sources = [
        "36Kr\nXi'an has over 600 companies and produces around 60% of micro-dramas.",
        "Caixin\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone.",
        "People's Daily\nThere are 100,200 micro-short drama-related enterprises in China.",
    ]
    answer = "西安有超过600家微短剧制作公司 [1]。不同报道的数字分别是：[2] 40%-60% [3] 100,200"
    settled = settle(answer, sources, "zh", final=False)
    assert settled.checked.text == "西安有超过600家微短剧制作公司 [1]。"
    assert [n.code for n in settled.notices] == ["withheld_sentence"]
    # a figure its words follow is kept: "近4万 [1]" says nothing less than the source
    listed = settle("从业人员数字分别是：近4万人 [1]。", ["郑州日报\n从业人员近4万人。"], "zh")
    assert listed.checked.text == "从业人员数字分别是：近4万人 [1]。"
