"""A question asking several things, answered part by part, each from passages of its own.

"第7届南博会将举办多少场会期活动？博览会将举办哪些论坛？" is two questions. Asked together, the
small model answers the first and forgets the second, or takes both from one passage. When each
part stands on its own (`separate`), each is retrieved for, answered and checked as a question of
its own (`stream`), and the answers are joined (`join`): the parts' sentences in order, their
citations numbered on, a part the reports do not answer named in a line of its own
("报告没有提到：博览会将举办哪些论坛？", `part_unanswered`), the refusal only when no part is
answered. Parts that lean on each other stay one question (`checks/parts.py` then names a part no
sentence answers): "他叫什么名字？" (a pronoun and nothing else), "不同报道给出的数字一致吗？" (each
source's figure for the part before it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from index.text.rules import HAN_CHAR, MARKER
from index.text.tokenize import tokenize
from index.types import Chunk, Lang, Scored
from rag.answer.checks.parts import unanswered
from rag.lang import pack
from rag.question import Question, QuestionReader
from rag.types import Answer, AnswerEvent, Citation, TokenEvent

MIN_WORDS = 3  # words of its own (not asking words) that make a part a question by itself

Retrieve = Callable[[Question], list[Scored[Chunk]]]
Answering = Callable[[Question, list[Scored[Chunk]]], Iterator[TokenEvent | AnswerEvent]]


def separate(question: Question, reader: QuestionReader) -> list[Question]:
    """The parts of `question` to answer one by one, read in its language; none when it asks one
    thing, asks for each source's figure, or has a part that leans on another."""
    if not question.parts or question.each_source:
        return []
    read = [replace(reader.read(part), lang=question.lang) for part in question.parts]
    if any(part.each_source or not stands_alone(part) for part in read):
        return []
    return read


def stands_alone(part: Question) -> bool:
    """Whether a part says what it asks about by itself: MIN_WORDS words of its own besides the
    words that ask, or a key term ("他叫什么名字？" has neither)."""
    if any(t.kind == "name" for t in part.terms):
        return True
    words = pack(part.lang)
    text = part.text
    for pattern in words.asks.values():
        text = pattern.sub(" ", text)
    chinese = bool(HAN_CHAR.search(text))
    own = {
        w
        for w in tokenize(text)
        if len(w) >= 2
        and w not in words.function_words
        and (not chinese or HAN_CHAR.search(w))  # not the pinyin tokenize adds
    }
    return len(own) >= MIN_WORDS


def stream(
    parts: list[Question], retrieve: Retrieve, answer: Answering, refusal: str
) -> Iterator[TokenEvent | AnswerEvent]:
    """Each part retrieved for and answered in turn (its tokens streamed, markers numbered on
    after the parts before it), then one AnswerEvent with the joined answer."""
    answers: list[Answer] = []
    cited = 0
    for i, part in enumerate(parts):
        if i:
            yield TokenEvent("\n")
        for event in answer(part, retrieve(part)):
            if isinstance(event, AnswerEvent):
                answers.append(event.answer)
                cited += 0 if event.answer.refused else len(event.answer.citations)
            else:
                yield TokenEvent(renumber(event.text, cited))
    yield AnswerEvent(join(parts, answers, refusal))


def join(parts: list[Question], answers: list[Answer], refusal: str) -> Answer:
    """One answer of the parts' answers: their texts in order, each part's citations numbered
    after the parts before it, a part refused named as unanswered; the refusal when all are."""
    lang: Lang = parts[0].lang
    lines: list[str] = []
    citations: list[Citation] = []
    notices: list[str] = []
    for part, answer in zip(parts, answers, strict=True):
        notices += answer.notices
        if answer.refused:
            line, notice = unanswered(part.text, lang)
            lines.append(line)
            notices.append(notice)
            continue
        shift = len(citations)
        lines.append(renumber(answer.text, shift))
        citations += [replace(c, n=c.n + shift) for c in answer.citations]
    contexts = list({c.item.chunk_id: c for a in answers for c in a.contexts}.values())
    timings = {
        key: round(sum(a.timings_ms.get(key, 0.0) for a in answers), 1)
        for key in ("generate", "verify")
    }
    if not citations:  # no part answered
        notices = [n for n in notices if getattr(n, "code", "") != "part_unanswered"]
        return Answer(refusal, [], contexts, True, lang, answers[0].backend, timings, notices)
    backend = next((a.backend for a in answers if "fallback" in a.backend), answers[0].backend)
    return Answer("\n".join(lines), citations, contexts, False, lang, backend, timings, notices)


def renumber(text: str, by: int) -> str:
    """`text` with every citation marker [n] as [n + by]."""
    if not by:
        return text
    return MARKER.sub(lambda m: f"[{int(m.group(1)) + by}]", text)
