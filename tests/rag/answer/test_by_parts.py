"""A question asking several things, answered part by part: which questions split, how the
parts' answers are joined (citations numbered on, a part the reports do not answer named)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from index.types import Chunk, Scored
from rag.answer import by_parts
from rag.answer.answerer import Answerer, AnswerPolicy
from rag.corpus.profile import load_profile
from rag.prompts import Prompts
from rag.question import QuestionReader
from rag.types import AnswerEvent, TokenEvent
from tests.fakes import ScriptedLLM
from tests.support import PUBLISHERS

READER = QuestionReader(load_profile("neutral").names)
BOTH = "浙江海事局启动了什么级别的防台应急响应？浙江海事局何时结束了防台应急响应？"


def _passage(i: int, text: str) -> Scored[Chunk]:
    chunk = Chunk(
        chunk_id=f"c{i}",
        article_id=f"a{i}",
        text=text,
        embed_text=f"海事新闻\n{text}",
        file=f"00{i}.txt",
        title="海事新闻",
        published=datetime(2023, 8, 5),
    )
    return Scored(chunk, 0.9, {"dense": 0.9})


STARTED = _passage(1, "浙江海事局8月3日启动防台风Ⅱ级应急响应。")
ENDED = _passage(2, "浙江海事局于8月5日8时30分结束防台应急响应。")
ELSEWHERE = _passage(3, "宁波舟山港8月4日恢复作业。")


def _retrieve(found: dict[str, list[Scored[Chunk]]]) -> by_parts.Retrieve:
    return lambda part: found[part.text]


def _answered(question: str, replies: list[str], found: dict[str, list[Scored[Chunk]]]):
    answerer = Answerer(Prompts(), ScriptedLLM(replies), "local", AnswerPolicy(), PUBLISHERS)
    read = READER.read(question)
    parts = by_parts.separate(read, READER)
    events = list(
        by_parts.stream(
            parts,
            _retrieve(found),
            lambda part, passages: answerer.stream(part, None, passages),
            answerer.refusal(read.lang),
        )
    )
    assert isinstance(events[-1], AnswerEvent)
    return [e.text for e in events if isinstance(e, TokenEvent)], events[-1].answer


def test_separate__parts_that_stand_alone_split_parts_that_lean_on_another_do_not():
    assert [p.text for p in by_parts.separate(READER.read(BOTH), READER)] == [
        "浙江海事局启动了什么级别的防台应急响应？",
        "浙江海事局何时结束了防台应急响应？",
    ]
    for leaning in (
        "发布仪式上，新华社哪个分社的副社长发言？他叫什么名字？",  # a pronoun, nothing else
        "郑州微短剧从业人员有多少？各来源数字分别是多少？",  # each source's figure of the first
        "How many micro-drama companies does Xi'an have? Do the reports agree?",
        "郑州有多少家微短剧公司？",  # one question
    ):
        assert by_parts.separate(READER.read(leaning), READER) == [], leaning
    english = "Which package provides the GNU core utilities? Which command prints the Git config?"
    parts = by_parts.separate(READER.read(english), READER)
    assert len(parts) == 2 and all(p.lang == "en" for p in parts)


def test_stream__each_part_from_its_own_passages_citations_numbered_on():
    found = {
        "浙江海事局启动了什么级别的防台应急响应？": [STARTED, ELSEWHERE],
        "浙江海事局何时结束了防台应急响应？": [ENDED, ELSEWHERE],
    }
    replies = ["浙江海事局启动了Ⅱ级防台应急响应 [1]。", "浙江海事局于8月5日8时30分结束了响应 [1]。"]
    tokens, answer = _answered(BOTH, replies, found)
    assert answer.text == (
        "浙江海事局启动了Ⅱ级防台应急响应 [1]。\n浙江海事局于8月5日8时30分结束了响应 [2]。"
    )
    assert [(c.n, c.chunk_id) for c in answer.citations] == [(1, "c1"), (2, "c2")]
    assert "".join(tokens) == answer.text  # the streamed text numbers on the same way
    assert not answer.refused and {c.item.chunk_id for c in answer.contexts} == {"c1", "c2", "c3"}


def test_stream__a_part_the_reports_do_not_answer_is_named_the_refusal_when_none_is():
    found = {
        "浙江海事局启动了什么级别的防台应急响应？": [STARTED],
        "浙江海事局何时结束了防台应急响应？": [ELSEWHERE],
    }
    replies = ["浙江海事局启动了Ⅱ级防台应急响应 [1]。", "报告中没有关于这个问题的信息。"]
    _, answer = _answered(BOTH, replies, found)
    assert answer.text.splitlines() == [
        "浙江海事局启动了Ⅱ级防台应急响应 [1]。",
        "报告没有提到：浙江海事局何时结束了防台应急响应？",
    ]
    assert not answer.refused and "part_unanswered" in [n.code for n in answer.notices]

    refusal = ["报告中没有关于这个问题的信息。"] * 2
    _, none = _answered(BOTH, refusal, {k: [ELSEWHERE] for k in found})
    assert none.refused and none.citations == [] and none.text == "报告中没有关于这个问题的信息。"


def test_renumber__markers_shift_by_the_citations_before():
    assert by_parts.renumber("A [1][2]. B [3].", 2) == "A [3][4]. B [5]."
    assert by_parts.renumber("A [1].", 0) == "A [1]."


def test_separate__a_question_read_in_one_language_keeps_it_for_every_part():
    asked = "Which package provides the OpenSSH server? Which Git command shows the status?"
    read = replace(READER.read(asked), lang="zh")  # each part alone reads as English
    parts = by_parts.separate(read, READER)
    assert len(parts) == 2 and all(p.lang == "zh" for p in parts)
