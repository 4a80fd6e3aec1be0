"""The answer answers what was asked: a question asking for a figure, a date or a person gets
one (a figure counting what it asks to count, `kinds.py`), or the answer is withheld
(`not_answered`; the quotes that replace it are held to the same rule, else the refusal); a
question that asks several things gets each answered, or the missing one named.

For each part of the question ("厅长是谁？警方如何逮捕嫌疑人？"), some sentence the answer keeps
must answer it: it names what the part names (its key terms, or most of its words) and holds the
kind of answer the part asks for (a person, a date, a figure, a place). A part no sentence answers
is named in a line of its own ("报告没有提到：警方通过什么方式逮捕了嫌疑人？") with a notice
(`part_unanswered`), so a reader never takes half an answer for the whole. A part asking for each
source's figure ("各来源数字分别是多少？") is the conflicts check's to answer.
"""

from __future__ import annotations

from index.text.overlap import word_overlap
from rag.answer.findings import Context, Finding
from rag.answer.kinds import holds
from rag.answer.record import Record
from rag.lang import pack
from rag.notices import Notice
from rag.question import Question, QuestionReader

MIN_OVERLAP = 0.3  # of a part's words a sentence naming nothing of it must share


def check(record: Record, ctx: Context) -> list[Finding]:
    question = ctx.question
    if question is None:
        return []
    if not question.parts:
        return _answered(record, question, ctx)
    reader = QuestionReader(ctx.names)
    said = [s.plain for _, s in record.kept() if not s.added and s.markers]
    found: list[Finding] = []
    for text in question.parts:
        part = reader.read(text)
        if part.each_source:  # "各来源数字分别是多少？": the conflicts check lists them
            continue
        if not any(_answers(sentence, part, ctx) for sentence in said):
            line, notice = unanswered(text, ctx.lang)
            found.append(Finding("parts", "add", text=line, notice=notice))
    return found


def unanswered(part: str, lang: str) -> tuple[str, Notice]:
    """The line naming a part the answer leaves unanswered ("报告没有提到：…"), and its notice."""
    return pack(lang).part_missing.format(part=part), Notice("part_unanswered", part=part)


def _answers(sentence: str, part: Question, ctx: Context) -> bool:
    names = part.terms and part.about(sentence)
    words = word_overlap(part.text, sentence) >= MIN_OVERLAP
    return bool(names or words) and holds(sentence, part.asks, part, ctx.names)


def _answered(record: Record, question: Question, ctx: Context) -> list[Finding]:
    if question.asks not in ("figure", "date", "person"):
        return []
    said = [s.plain for _, s in record.kept() if not s.added]
    if not said or any(holds(s, question.asks, question, ctx.names) for s in said):
        return []
    notice = Notice("not_answered", asks=question.asks, counts=question.counts or "-")
    return [Finding("parts", "withhold", notice=notice)]
