"""No sentence said twice, no clause repeated; marker lists one clean group."""

from __future__ import annotations

from rag.answer.record import normalise_markers
from tests.rag.answer.checking import checked, found

SOURCES = ["新闻\n博览会将举办14场会期活动。", "News\nThe fair runs 14 events over three days."]


def test_repeats__a_sentence_said_again_goes():
    text = "博览会将举办14场会期活动 [1]。博览会将举办14场会期活动 [1]。博览会将举办14场会期活动。"
    assert checked(text, SOURCES, "zh").text == "博览会将举办14场会期活动 [1]。"
    assert [f.action for f in found("repeats", text, SOURCES, "zh")] == ["remove", "remove"]


def test_repeats__a_clause_repeating_its_sentence_goes():
    text = "博览会将举办14场会期活动，博览会将举办14场会期活动 [1]。"
    assert checked(text, SOURCES, "zh").text == "博览会将举办14场会期活动 [1]。"


def test_marker_lists__one_clean_group_each_source_once():
    assert (
        normalise_markers("It runs 14 events [1], [1], [2], [3].") == "It runs 14 events [1][2][3]."
    )
    assert normalise_markers("活动[1]、[2]和[2]。") == "活动[1][2]。"
    shown = checked("The fair runs 14 events [2], [2], [1].", SOURCES)
    assert shown.text == "The fair runs 14 events [1][2]."


def test_repeats__a_sentence_nearly_said_before_goes():
    sources = ["新闻\n韩国警察厅厅长尹熙根同天宣布启动严打穷凶极恶犯罪分子的特别治安行动。"]
    text = (
        "韩国警察厅厅长尹熙根宣布启动严打穷凶极恶犯罪分子的特别治安行动 [1]。"
        "韩国警察厅厅长尹熙根同天宣布启动严打穷凶极恶犯罪分子的特别治安行动 [1]。"
    )
    assert checked(text, sources, "zh").text.count("尹熙根") == 1
