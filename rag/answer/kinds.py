"""Whether a sentence holds the kind of answer a question asks for (rag.question.asks): a figure
counting what it asks to count (money, a share, its noun: "多少班" wants a count of 班, not a
plane's 777-200) of the period it asks about (`numbers/periods.py`), a date, a person's name.
A place or a thing may be a common noun ("在演唱会上", "社交媒体"), so "where" and "which" ask
nothing of a sentence. Quotes and the answer to each part of a question asking several are held
to it.

Quotes must also speak of what the question asks (`about`): sentences that share almost none of
its words besides its names ("袭击身亡的…工作人员的名字" against a sentence on a speech at a summit
of the same organisation) answer nothing. After the model says the reports do not answer, a
quote is shown only when it restates the question (`says_what_was_asked`): the small model may
miss a sentence that says what was asked in its own words.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text.overlap import word_overlap
from index.text.rules import HAN_CHAR
from index.text.tokenize import tokenize
from rag.answer.numbers import periods
from rag.answer.numbers.quantities import Quantity, quantities
from rag.corpus.names import NameTable
from rag.lang import pack
from rag.question import Asks, Question
from rag.question.terms import Term, key_terms, missing


def holds(sentence: str, asks: Asks, question: Question, names: NameTable | None = None) -> bool:
    """Whether `sentence` holds the kind of answer `asks` names."""
    if asks == "any":
        return True
    figures = quantities(sentence)
    if asks == "figure":  # counting what is asked, of the period asked about
        period = periods.asked(question.text)
        return any(
            q.kind != "date"
            and _counts(q, sentence, question.counts)
            and periods.agrees(sentence, q.start, period)
            for q in figures
        )
    if asks == "date":
        return any(q.kind == "date" for q in figures)
    if asks != "person":  # a place or a thing may be a common noun ("在演唱会上", "社交媒体")
        return True
    asked = {t.text.casefold() for t in question.terms}
    found = key_terms(sentence, names or NameTable())
    return any(t.kind == "name" and t.text.casefold() not in asked for t in found)


# Measured on the quotes of every set (seeds, corpora en/zh, general; README): quotes sharing less
# than this of the question's words besides its names answered nothing in 9 cases of 9.
ABOUT = 0.2


def about(sentences: list[str], question: Question) -> bool:
    """Whether the quotes speak of what `question` asks of what it names: one shares ABOUT of
    its other words ("Which two major supermarkets plan to merge in 2024?" is not answered by
    "... the GOP nomination in 2024 has two halls"). True when the question names nothing (a
    paraphrase: the retrieval rank vouches for the quotes), asks one word of it ("有什么特点"),
    or the quotes are in the other script (words cannot be compared)."""
    asked = asked_words(question.text, question.terms)
    chinese = bool(HAN_CHAR.search(question.text))
    if not question.terms or len([w for w in asked if _written(w, chinese)]) < 2:
        return True
    if any(bool(HAN_CHAR.search(s)) != chinese for s in sentences):
        return True
    return any(len(asked & set(tokenize(s))) / len(asked) >= ABOUT for s in sentences)


# Measured on the quotes shown after the model's refusals (every set, README): those answering
# shared 0.42-0.72 of the question's words and named what it names; the others shared at most
# 0.44 and lacked its names, or it named nothing.
RESTATES, RESTATES_UNNAMED = 0.4, 0.5
MIN_ASKED = 3  # words a question asks besides its names, for a quote to restate it


def says_what_was_asked(sentence: str, question: Question) -> bool:
    """Whether `sentence` says what the question asks in its words: it names every key term but
    its years and shares RESTATES of its words ("... Shohei Ohtani ... signing a 10-year, $700
    million contract with the Los Angeles Dodgers" for "... Ohtani signed a record-breaking $700
    million contract with which US team?"); RESTATES_UNNAMED when the question names nothing.
    A question asking fewer than MIN_ASKED words besides its names is restated by nothing."""
    chinese = bool(HAN_CHAR.search(question.text))
    asked = [w for w in asked_words(question.text, question.terms) if _written(w, chinese)]
    if len(asked) < MIN_ASKED:  # "How many users?": any sentence on users shares all it asks
        return False
    names = [t for t in question.terms if t.kind != "year"]
    share = RESTATES if names else RESTATES_UNNAMED
    return not missing(names, [sentence]) and word_overlap(question.text, sentence) >= share


def asked_words(question: str, terms: Sequence[Term]) -> set[str]:
    """What a question asks about what it names: its words besides its names (`terms`), its
    figures ("two", "2024"), question words and function words."""
    given = [*(t.text for t in terms), *(q.text for q in quantities(question))]
    named = set(tokenize(" ".join(given)))
    function = pack("en").function_words | pack("zh").function_words
    return {
        w
        for w in tokenize(question)
        if w not in named
        and w not in function
        and not any(ch.isdigit() for ch in w)
        and not (len(w) == 1 and HAN_CHAR.match(w))  # 有, 于: particles, not what is asked
    }


def _written(word: str, chinese: bool) -> bool:
    """A word as the question writes it (not the pinyin `tokenize` adds to a Chinese one)."""
    return not chinese or bool(HAN_CHAR.match(word))


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
