"""Every figure against the sources a sentence cites, with its unit: repaired with the source's
own wording, trimmed to the clauses its sources state, or left out; each with its notice."""

from __future__ import annotations

from rag.answer.checks.figures import bare_figures, stated
from rag.answer.checks.repair import repair_figures
from rag.answer.record import Source, sources
from rag.question import QuestionReader
from tests.rag.answer.checking import checked, found

SOURCES = [
    "郑州日报\n郑州每天开机拍摄的短剧近百部。",
    "36Kr\nChina had 696 million micro-drama users by July 2025.",
]
NUMBERS = [
    "The user base reached 696 million by July.",
    "Zhengzhou has over 820 production companies and produces around 100 dramas daily.",
]


def _stated(sentence: str, texts: list[str]) -> bool:
    return stated(sentence, sources(texts))


def test_figures__a_sentence_with_a_figure_no_source_states_is_left_out():
    shown = checked("郑州每天开机近百部短剧 [1]。郑州有999家公司 [1]。", SOURCES, "zh")
    assert shown.text == "郑州每天开机近百部短剧 [1]。"
    assert [n.code for n in shown.notices] == ["withheld_sentence"]
    assert "999" in shown.notices[0] and "999" in shown.notices[0].message("zh")
    [finding] = found("figures", "郑州每天开机近百部短剧 [1]。郑州有999家公司 [1]。", SOURCES, "zh")
    assert (finding.action, finding.at) == ("remove", 1)


def test_figures__a_repairer_puts_the_sources_figure_in():
    def repair(sentence: str, passages: tuple[Source, ...]) -> str | None:
        return sentence.replace("700 million", "696 million")

    shown = checked("China had 700 million users [2].", SOURCES, "en", repair=repair)
    assert shown.text == "China had 696 million users [1]."
    assert [n.code for n in shown.notices] == ["figure_repaired"]
    assert shown.notices[0].params == {
        "was": "China had 700 million users.",
        "now": "China had 696 million users.",
    }


def test_stated__the_cited_sources_figures_with_their_units():
    assert not _stated("Users reached 6.96 billion [1].", NUMBERS)
    assert _stated("Zhengzhou has 820 companies [2].", NUMBERS)
    assert _stated("There are 820 companies.", NUMBERS)  # citing none: any source
    assert not _stated("There are 900 companies.", NUMBERS)
    texts = ["The user base reached nearly 700 million."]
    assert not _stated("用户规模达700万[1]。", texts)
    assert _stated("用户规模近7亿[1]。", texts)
    assert _stated("The market is worth 5 billion yuan [1].", ["市场规模50亿元。"])
    assert _stated("市场规模504亿元[1]。", ["Revenue: 50.44 billion yuan."])
    texts = ["近百部短剧上线，增长300%。"]
    assert not _stated("Over 100 dramas launched [1].", texts)
    assert not _stated("Growth was about 100% [1].", texts)
    assert _stated("Nearly 100 dramas grew 300% [1].", texts)


def test_repair_figures__a_unit_slip_gets_the_sources_own_figure():
    texts = [
        "China's micro-drama market reached 50.44 billion yuan in 2024, with 662 million users."
    ]
    assert repair_figures("2024年市场规模为50.44亿元 [1]。", sources(texts)) == (
        "2024年市场规模为50.44 billion yuan [1]。"
    )
    # "over 100" where the source says nearly a hundred: the source's qualifier wins
    assert repair_figures("郑州每天开机超过100部 [1]。", sources(["郑州日均开机短剧近百部。"])) == (
        "郑州每天开机近百部 [1]。"
    )


def test_repair_figures__never_takes_another_quantity_merely_because_it_is_near():
    texts = sources(["The platform had 662 million users and 820 companies."])
    assert repair_figures("It had 700 million users [1].", texts) is None
    assert repair_figures("There were 999 companies [1].", texts) is None
    assert (
        repair_figures(
            "西安每天大约开机约100部短剧 [1]。",
            sources(["西安每天开机约10部短剧，1部爆款即可回本。"]),
        )
        is None
    )


def test_repair_figures__never_with_a_figure_its_source_dates_to_another_year():
    texts = sources(
        [
            "The market grew from 368 million yuan in 2021 to 37.39 billion yuan in 2023, and is "
            "projected to reach 50.5 billion yuan in 2024."
        ]
    )
    # 50.5亿 has the digits of "50.5 billion", but that is the 2024 figure
    assert repair_figures("2023年市场规模为50.5亿元 [1]。", texts) is None
    assert repair_figures("2024年市场规模为50.5亿元 [1]。", texts) == (
        "2024年市场规模为50.5 billion yuan [1]。"
    )
    assert repair_figures("市场规模为50.5亿元 [1]。", texts) == "市场规模为50.5 billion yuan [1]。"


def test_figures__a_clause_with_an_unsupported_figure_goes_and_the_rest_of_its_sentence_stays():
    texts = ["郑州日报\n全市微短剧制作企业800多家、从业人员近4万人。"]
    text = "Zhengzhou has over 800 production companies, with 40%-60% of the country's content [1]."
    shown = checked(text, texts, "en")
    assert shown.text == "Zhengzhou has over 800 production companies [1]."
    (notice,) = shown.notices
    assert notice.code == "withheld_sentence"
    assert notice.params["sentence"] == "with 40%-60% of the country's content"
    # nothing left that states a figure: the whole sentence goes
    alone = checked("It holds 40%-60% of the content, and 70% of the crews [1].", texts, "en")
    assert alone.text == ""


def test_figures__a_clause_s_wrong_unit_is_repaired_and_an_unsupported_clause_goes():
    texts = ["行业报告\nOverseas revenue of short-drama apps reached 2.3 billion dollars in 2025."]
    from rag.answer.findings import in_chinese

    shown = checked(
        "2025年海外收入为2.3亿美元，占市场规模的10%。[1]",
        texts,
        "zh",
        repair=in_chinese(repair_figures),
    )
    assert shown.text == "2025年海外收入为23亿美元。[1]"  # 2.3 billion, in 亿
    assert [n.code for n in shown.notices] == ["figure_repaired", "withheld_sentence"]
    assert shown.notices[0].params["now"] == "2025年海外收入为23亿美元"
    assert shown.notices[1].params["sentence"] == "占市场规模的10%"


def test_figures__figures_markers_introduce_with_no_word_of_what_they_are_are_left_out():
    texts = [
        "36Kr\nXi'an has over 600 companies and produces around 60% of micro-dramas.",
        "Caixin\nXi'an and Zhengzhou produce 40%-60%, with over 200 companies in Xi'an alone.",
        "People's Daily\nThere are 100,200 micro-short drama-related enterprises in China.",
    ]
    answer = "西安有超过600家微短剧制作公司 [1]。不同报道的数字分别是：[2] 40%-60% [3] 100,200"
    assert bare_figures("不同报道的数字分别是：[2] 40%-60% [3] 100,200")
    shown = checked(answer, texts, "zh", final=False)
    assert shown.text == "西安有超过600家微短剧制作公司 [1]。"
    assert [n.code for n in shown.notices] == ["withheld_sentence"]
    # a figure its words follow is kept: "近4万 [1]" says nothing less than the source
    listed = checked("从业人员数字分别是：近4万人 [1]。", ["郑州日报\n从业人员近4万人。"], "zh")
    assert listed.text == "从业人员数字分别是：近4万人 [1]。"


def test_figures__the_questions_dates_and_small_counts_are_given_not_claimed():
    question = QuestionReader().read("Which two major supermarkets plan to merge in 2024?")
    passage = ["In a mega-deal, Kroger and Albertsons announced Friday plans to merge."]
    answer = "The two major supermarkets that plan to merge in 2024 are Kroger and Albertsons [1]."
    assert checked(answer, passage, question=question).text == answer
    # a figure the question does not give is still checked
    made_up = "Kroger and Albertsons plan to merge in 2025 [1]."
    assert checked(made_up, passage, question=question).text == ""
