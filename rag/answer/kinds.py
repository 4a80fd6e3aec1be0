"""Whether a sentence holds the kind of answer a question asks for (rag.question.asks): a figure
counting what it asks to count (money, a share, its noun: "多少班" wants a count of 班, not a
plane's 777-200), a date, a person's name. A place or a thing may be a common noun ("在演唱会上",
"社交媒体"), so "where" and "which" ask nothing of a sentence. Quotes and the answer to each part
of a question asking several are held to it.
"""

from __future__ import annotations

from index.text.rules import HAN_CHAR
from rag.answer.numbers.quantities import Quantity, quantities
from rag.corpus.names import NameTable
from rag.lang import pack
from rag.question import Asks, Question
from rag.question.terms import key_terms


def holds(sentence: str, asks: Asks, question: Question, names: NameTable | None = None) -> bool:
    """Whether `sentence` holds the kind of answer `asks` names."""
    if asks == "any":
        return True
    figures = quantities(sentence)
    if asks == "figure":
        return any(q.kind != "date" and _counts(q, sentence, question.counts) for q in figures)
    if asks == "date":
        return any(q.kind == "date" for q in figures)
    if asks != "person":  # a place or a thing may be a common noun ("在演唱会上", "社交媒体")
        return True
    asked = {t.text.casefold() for t in question.terms}
    found = key_terms(sentence, names or NameTable())
    return any(t.kind == "name" and t.text.casefold() not in asked for t in found)


def _counts(figure: Quantity, sentence: str, what: str) -> bool:
    """Whether `figure` counts what the question asks to count (rag.question.counts): money, a
    share, or its noun (or a noun of the same kind: employees and professionals both count
    people), near the figure: a few characters around it in Chinese, its clause's words around it
    in English ("the user base reached 696 million")."""
    if what == "currency":
        return bool(figure.currency)
    if what == "percent":
        return figure.kind in ("percent", "points")
    if not what:
        return True
    end = figure.start + len(figure.text)
    chinese = bool(HAN_CHAR.match(what))
    if chinese != bool(HAN_CHAR.search(sentence)):
        return True  # an English passage for a Chinese question: its nouns cannot be compared
    before, after = (12, 8) if chinese else (60, 40)
    window = sentence[max(0, figure.start - before) : end + after].casefold()
    asked = what.split()
    if any(noun in window for noun in asked):
        return True
    nouns = pack("zh" if chinese else "en").counted
    kinds = [kind for kind, words in nouns.items() if any(w in a for w in words for a in asked)]
    return any(w in window for kind in kinds for w in nouns[kind])
