"""The part of a year a figure is of: "6月份，利润同比下降8.3%" is June's, "上半年…下降16.8%" the
first half's. A question asking a figure of one period ("1至6月份…下降了多少？") is not answered by
a figure its passage gives of another, in the same sentence or not.

The language packs say how a period is written (`[periods]`: spans of months, single months,
named parts of a year, and the words that make a period what a figure is compared with, "较5月份
收窄"). A period is a pair of months (first, last); a text naming none has none, and a figure with
no period before it in its sentence agrees with any question.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from rag.answer.numbers.numerals import cn_value
from rag.answer.numbers.words import figure_words
from rag.lang import LANGS, pack

Period = tuple[int, int]  # first and last month
Found = tuple[int, int, Period]  # where a period is written (start, end) and which it is


def asked(question: str) -> Period | None:
    """The one period a question names; None when it names none, or several (it compares)."""
    found = {p for _, _, p in _periods(_norm(question))}
    return found.pop() if len(found) == 1 else None


def agrees(sentence: str, at: int, period: Period | None) -> bool:
    """Whether the figure at `at` in `sentence` may be of `period`: the last period written
    before it in the sentence (not one it is compared with) is `period`, or there is none."""
    if period is None:
        return True
    text = _norm(sentence)
    own = [f for f in _own(text) if f[1] <= at]
    return not own or own[-1][2] == period


def of_another(text: str, period: Period | None) -> bool:
    """Whether `text` names periods of its own and `period` is not one of them (what it is
    compared with aside): "6月份…降幅较1—5月份收窄" is of another period than the first half;
    "上半年，…下降16.8%" is not, nor is a sentence naming no period."""
    own = {p for _, _, p in _own(_norm(text))}
    return period is not None and bool(own) and period not in own


def _own(text: str) -> list[Found]:
    """The periods `text` writes that are not what something is compared with."""
    compared = [pack(lang).periods.compared for lang in LANGS]
    return [f for f in _periods(text) if not any(c.search(text[: f[0]]) for c in compared)]


@lru_cache(maxsize=2048)
def _periods(text: str) -> tuple[Found, ...]:
    """Every period `text` writes, in order; a span before the months it spans."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, period: Period | None) -> None:
        if period is not None and not any(s < end and start < e for s, e in taken):
            found.append((start, end, period))
            taken.append((start, end))

    packs = [pack(lang).periods for lang in LANGS]
    for pattern in (p for words in packs for p in words.spans):
        for m in pattern.finditer(text):
            first = _month(m.groupdict().get("a")) if m.groupdict().get("a") else 1
            add(m.start(), m.end(), _span(first, _month(m.groupdict().get("b"))))
    for m in _named().finditer(text):
        add(m.start(), m.end(), _named_periods()[m[0].casefold()])
    for pattern in (p for words in packs for p in words.months):
        for m in pattern.finditer(text):
            month = _month(m.groupdict().get("a"))
            add(m.start(), m.end(), _span(month, month))
    return tuple(sorted(found))


def _span(first: int | None, last: int | None) -> Period | None:
    if first is None or last is None or not 1 <= first <= last <= 12:
        return None
    return (first, last)


def _month(written: str | None) -> int | None:
    """A month's number from its digits, its Chinese numeral or its name."""
    if not written:
        return None
    if written.isdigit():
        return int(written)
    named = figure_words().month.get(written.capitalize())
    if named is not None:
        return named
    spelled = figure_words().number_words.get(written.casefold())
    if spelled is not None:
        return spelled
    try:
        value, _ = cn_value(written)
    except (KeyError, ValueError, ArithmeticError):
        return None
    return int(value) if value == int(value) else None


@cache
def _named_periods() -> dict[str, Period]:
    periods: dict[str, Period] = {}
    for lang in LANGS:
        for months, names in pack(lang).periods.named.items():
            first, last = (int(m) for m in months.split("-"))
            periods.update({name.casefold(): (first, last) for name in names})
    return periods


@cache
def _named() -> re.Pattern[str]:
    written = []
    for name in sorted(_named_periods(), key=len, reverse=True):  # H1, not H100's H1
        edge = r"(?<![A-Za-z0-9])" if name[0].isascii() else ""
        end = r"(?![A-Za-z0-9])" if name[-1].isascii() else ""
        written.append(edge + r"\s+".join(map(re.escape, name.split())) + end)
    return re.compile("|".join(written), re.I)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
