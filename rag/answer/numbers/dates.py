"""Relative years in a report, made absolute by its publication year: "by July this year" in an
article of 2025 is July 2025, "去年" in it is 2024. A model that writes "July 2025" for "July this
year" states what its source states, and the figure checks see it so.

Used on the text the checks read, never on what the reader is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
Rule = tuple[re.Pattern[str], Callable[[re.Match[str], int], str]]
_RULES: tuple[Rule, ...] = (
    # "July this year", "July 24 of this year" -> "July 2025", "July 24 2025"
    (
        re.compile(rf"\b({_MONTHS})(\s+\d{{1,2}})?,?\s+(?:of\s+)?this\s+year\b", re.I),
        lambda m, y: f"{m[1]}{m[2] or ''} {y}",
    ),
    (re.compile(r"\bthis\s+year\b", re.I), lambda m, y: f"{m[0]} ({y})"),
    (re.compile(r"\blast\s+year\b", re.I), lambda m, y: f"{m[0]} ({y - 1})"),
    (re.compile(r"\bnext\s+year\b", re.I), lambda m, y: f"{m[0]} ({y + 1})"),
    (re.compile(r"今年"), lambda m, y: f"{y}年"),
    (re.compile(r"去年"), lambda m, y: f"{y - 1}年"),
    (re.compile(r"前年"), lambda m, y: f"{y - 2}年"),
    (re.compile(r"明年"), lambda m, y: f"{y + 1}年"),
)


def absolute_years(text: str, published: datetime | None) -> str:
    """`text` with "this year", "last year", 今年, 去年... given as the years they were when it was
    published; as it is when its publication date is unknown."""
    if published is None:
        return text
    for pattern, rule in _RULES:
        text = pattern.sub(partial(_written, rule, published.year), text)
    return text


def _written(rule: Callable[[re.Match[str], int], str], year: int, m: re.Match[str]) -> str:
    return rule(m, year)
