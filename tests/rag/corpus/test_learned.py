"""Names across scripts learned from a collection's own text, written side by side."""

from __future__ import annotations

from rag.corpus.learned import learn, with_learned
from rag.corpus.names import Name, NameTable
from rag.question import QuestionReader

TEXTS = [
    "沙特阿拉伯最大的金融机构之一利雅得银行（Riyad Bank）宣布……"
    "伊利诺伊州众议员奎格利（Mike Quigley）说。",
    "Officials met Ko Kwang-hyo (高光孝) on Monday. Prices (PPI) rose, "
    "CNN（美国有线电视新闻网）said.",
]


def test_learn__names_written_with_their_translation_beside_them():
    pairs = {(n.zh, n.en) for n in learn(TEXTS)}
    assert ("利雅得银行", "Riyad Bank") in pairs
    assert ("奎格利", "Mike Quigley") in pairs
    assert ("高光孝", "Ko Kwang-hyo") in pairs
    assert not any(en in ("PPI", "CNN") for _, en in pairs)  # acronyms are found as written


def test_with_learned__a_question_names_what_the_passages_write_in_the_other_script():
    table = with_learned(NameTable.build([Name("奎格利", "Quigley")]), TEXTS)
    assert table.names_of("奎格利") == ("奎格利", "奎格利", "Quigley")  # the hand-made entry wins
    question = QuestionReader(table).read("What did Riyad Bank announce?")
    assert question.missing(["利雅得银行宣布了新的计划。"]) == []
    assert (
        QuestionReader()
        .read("What did Riyad Bank announce?")
        .missing(["利雅得银行宣布了新的计划。"])
    )
