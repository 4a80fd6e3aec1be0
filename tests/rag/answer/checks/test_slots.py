"""What an answer puts in the question's slot is what its passages put after the same words."""

from __future__ import annotations

from rag.answer.checks.slots import misplaced

IMPERSONATE = "虚拟绑架电信诈骗中，不法分子通常冒充什么身份？"
PASSAGES = ["我馆领区一中国留学生遭遇电信诈骗案。诈骗团伙冒充公检法人员声称当事人涉嫌违法。"]
POD = "In Scotland's most lethal mass stranding, a pod of which species washed ashore?"


def test_slots__another_name_where_the_passage_puts_the_answer_is_misplaced():
    assert misplaced("不法分子通常冒充中国留学生身份。", IMPERSONATE, PASSAGES) == "冒充 中国"
    assert misplaced("不法分子通常冒充公检法人员。", IMPERSONATE, PASSAGES) is None
    whales = ["A pod of 55 pilot whales was washed up on the Isle of Lewis."]
    assert misplaced("A pod of Lewis whales washed ashore.", POD, whales) == "pod of lewis"
    assert misplaced("A pod of pilot whales washed ashore.", POD, whales) is None


def test_slots__nothing_is_compared_where_the_passages_say_it_in_their_own_words():
    # the passages never write the leading words
    assert misplaced("不法分子冒充中国留学生。", IMPERSONATE, ["诈骗团伙假扮警察。"]) is None
    # punctuation before the question word: nothing leads to it
    policy = "Under the new policy, what share of the investment is paid?"
    said = "Under the new policy, a production gets up to 20% of the investment."
    assert misplaced(said, policy, ["The policy offers up to 20% of the investment."]) is None
    # a figure in the slot is the figures check's
    count = ["The company hired 300 people."]
    assert misplaced("It hired 200 people.", "The company hired what number?", count) is None
    # across scripts words cannot be compared
    assert misplaced("不法分子冒充中国留学生。", IMPERSONATE, ["They posed as police."]) is None


def test_slots__the_answer_may_follow_a_long_modifier_in_the_passage():
    asked = "潘功胜提到要制定什么文件？"
    passage = ["潘功胜表示，中国人民银行将制定出台金融支持民营企业的指导性文件。"]
    assert misplaced("潘功胜提到要制定指导性文件 [1]。", asked, passage) is None
    assert misplaced("潘功胜提到要制定专项贷款计划 [1]。", asked, passage) == "制定 专项"
