"""Relative years in a report, made absolute by its publication year: "by July this year" in an
article of 2025 is July 2025, "去年" in it is 2024. A model that writes "July 2025" for "July this
year" states what its source states, and the figure checks see it so.

Used on the text the checks read, never on what the reader is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, partial

from rag.answer.numbers.words import figure_words
from rag.lang import LANGS, one_of, pack

Rule = tuple[re.Pattern[str], Callable[[re.Match[str], int], str]]


@cache
def _rules() -> tuple[Rule, ...]:
    """The language packs' relative years, a rule each; first, "July this year" -> "July 2025"."""
    en = pack("en").years
    this_year = [words for words, offset in en.relative.items() if offset == 0]
    months = one_of(figure_words().months)
    said = one_of(this_year, end=r"\b", space=r"\s+")
    rules: list[Rule] = [
        (
            re.compile(rf"\b({months})(\s+\d{{1,2}})?,?\s+(?:of\s+)?(?:{said})", re.I),
            lambda m, y: f"{m[1]}{m[2] or ''} {y}",
        )
    ]
    for lang in LANGS:
        years = pack(lang).years
        for words, offset in years.relative.items():
            pattern = one_of([words], start=r"\b", end=r"\b", space=r"\s+")
            written = partial(_absolute, years.written, offset)
            rules.append((re.compile(pattern, re.I), written))
    return tuple(rules)


def _absolute(written: str, offset: int, m: re.Match[str], year: int) -> str:
    return written.format(said=m[0], year=year + offset)


def absolute_years(text: str, published: datetime | None) -> str:
    """`text` with "this year", "last year", 今年, 去年... given as the years they were when it was
    published; as it is when its publication date is unknown."""
    if published is None:
        return text
    for pattern, rule in _rules():
        text = pattern.sub(partial(_written, rule, published.year), text)
    return text


def _written(rule: Callable[[re.Match[str], int], str], year: int, m: re.Match[str]) -> str:
    return rule(m, year)
