"""A question asking several things: each part answered, or the missing part named."""

from __future__ import annotations

from rag.corpus.profile import load_profile
from rag.question import QuestionReader
from tests.rag.answer.checking import checked, found

NAMES = load_profile("neutral").names
READER = QuestionReader(NAMES)
QUESTION = READER.read("韩国警察厅厅长是谁？韩国警方通过什么方式逮捕了发布“杀人预告”帖子的嫌疑人？")
SOURCES = [
    "新闻\n韩国警察厅厅长尹熙根表示，警方正在调查“杀人预告”帖子。",
    "新闻\n警方通过追踪IP地址逮捕了发布“杀人预告”帖子的嫌疑人。",
]


def test_parts__an_unanswered_part_is_named_with_a_notice():
    shown = checked("韩国警察厅厅长是尹熙根 [1]。", SOURCES, "zh", names=NAMES, question=QUESTION)
    assert shown.text.split("\n") == [
        "韩国警察厅厅长是尹熙根 [1]。",
        "报告没有提到：韩国警方通过什么方式逮捕了发布“杀人预告”帖子的嫌疑人？",
    ]
    assert [n.code for n in shown.notices] == ["part_unanswered"]


def test_parts__every_part_answered_adds_nothing():
    answer = "韩国警察厅厅长是尹熙根 [1]。警方通过追踪IP地址逮捕了发布帖子的嫌疑人 [2]。"
    shown = checked(answer, SOURCES, "zh", names=NAMES, question=QUESTION)
    assert shown.text == answer and shown.notices == []
    single = READER.read("韩国警察厅厅长是谁？")
    assert (
        checked("韩国警察厅厅长是尹熙根 [1]。", SOURCES, "zh", names=NAMES, question=single).notices
        == []
    )


def test_parts__a_part_asking_each_sources_figure_is_left_to_the_conflicts_check():
    question = READER.read("郑州微短剧从业人员有多少？各来源数字分别是多少？")
    sources = ["新闻\n郑州微短剧从业人员近4万人。", "News\nZhengzhou has about 30,000 staff."]
    draft = "郑州微短剧从业人员近4万人 [1]。"
    shown = checked(draft, sources, "zh", names=NAMES, question=question)
    assert "part_unanswered" not in [n.code for n in shown.notices]
    assert "报告没有提到" not in shown.text


def test_answered__an_answer_without_the_figure_asked_for_is_withheld():
    question = READER.read("阿提哈德航空的全货运航线计划每周执飞多少班？")
    sources = ["新闻\n阿提哈德航空的波音777-200全货机在鄂州花湖机场降落，航线首航成功。"]
    answer = "阿提哈德航空的波音777-200全货机在鄂州花湖机场降落 [1]。"
    [finding] = found("parts", answer, sources, "zh", names=NAMES, question=question)
    assert finding.action == "withhold" and finding.notice.code == "not_answered"
    good = "该航线计划每周执飞2班 [1]。"
    assert (
        found(
            "parts", good, ["新闻\n该航线计划每周执飞2班。"], "zh", names=NAMES, question=question
        )
        == []
    )
