"""Figures in text, with units: `quantities(text) -> list[Quantity]` and
`supported(claim, stated) -> bool`, in Chinese and English alike.

A figure is a count (696 million, 504.4亿, 三千万, 近百部), a percentage (30%, 百分之二十, 七成),
percentage points, a multiple (30倍, 5 times, 3x), or a date (2025年7月, 2025-09-24, July 2025).
Values are normalised (`50.44 billion` == `504.4亿`), ranges kept (30到40倍, between 30 and 40),
approximation words become a qualifier (`~` about, `>` over, `<` nearly/up to, `?` vague: 数百),
currency words a unit. Citation markers are no figures. Pure functions over strings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Literal

from index.text.rules import MARKER
from rag.answer.numbers.patterns import (
    Fields,
    arabic_figure,
    cn_figure,
    cn_percent,
    date_figure,
    half_figure,
    patterns,
)

Kind = Literal["count", "percent", "points", "multiple", "date"]
Approx = Literal["", "~", ">", "<", "?"]
_MARKERS = re.compile(r"[\[【]\s*\d+(?:\s*[,，、;；]\s*\d+)*\s*[\]】]")
_TITLES = re.compile(r"《[^《》]{1,40}》")  # 《家里家外2》: a title's digits are no figure
_RELATIVE = Decimal("0.05")  # how far an approximate claim may be from the source's figure


@dataclass(frozen=True)
class Quantity:
    """One figure. `value` is a range's low end, `high` its high end; `step` the place of the
    last digit shown (504.4亿 -> 10**7), how finely the writer rounded."""

    value: Decimal
    kind: Kind
    text: str  # as written (after NFKC), qualifier and unit included
    approx: Approx = ""
    high: Decimal | None = None
    step: Decimal = Decimal(1)
    currency: str = ""  # "CNY", "USD" or none
    date: tuple[int | None, int | None, int | None] | None = None  # (year, month, day)
    start: int = 0  # where `text` starts in the NFKC text


def quantities(text: str) -> list[Quantity]:
    """Every figure of `text`, in order (see `_quantities`)."""
    return list(_quantities(text))


@lru_cache(maxsize=4096)  # the same passages are read for every sentence of every answer
def _quantities(text: str) -> tuple[Quantity, ...]:
    """Every figure of `text`, in order. Full-width digits count (NFKC); `[n]` markers and the
    digits of a 《title》 do not."""
    text = unicodedata.normalize("NFKC", text)
    masked = _TITLES.sub(_blank, _MARKERS.sub(_blank, MARKER.sub(_blank, text)))
    found: list[Quantity] = []
    for pattern, build, needs in _passes():
        if needs and needs not in masked:
            continue  # the pattern cannot match: spare the scan
        spans = []
        for m in pattern.finditer(masked):
            made = build(m, masked)
            if made:
                found.extend(Quantity(**fields) for fields in made)  # type: ignore[arg-type]
                spans.append(m.span())
        masked = _mask(masked, spans)
    return tuple(sorted(found, key=lambda q: q.start))


Pass = tuple[re.Pattern[str], Callable[[re.Match[str], str], list[Fields]], str]


@cache
def _passes() -> tuple[Pass, ...]:
    """(pattern, its reading, a string it cannot match without), in the order they run."""
    found = patterns()
    return (
        (found.date, date_figure, ""),
        (found.cn_percent, cn_percent, "百分之"),
        (found.half, half_figure, "半"),
        (found.arabic, arabic_figure, ""),
        (found.cn_figure, cn_figure, ""),
    )


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], "§" * (end - start)]
        last = end
    return "".join(parts) + text[last:]


def supported(claim: Quantity, stated: Sequence[Quantity]) -> bool:
    """Some figure of `stated` is `claim`: same kind, same value to within the claim's rounding
    (5% for an approximate claim), compatible currency and approximation words."""
    return any(_matches(claim, s) for s in stated)


def unsupported(sentence: str, sources: list[str]) -> list[Quantity]:
    """The figures of `sentence` that no source states."""
    stated = [q for source in sources for q in quantities(source)]
    return [q for q in quantities(sentence) if not supported(q, stated)]


def source_figure(claim: Quantity, sources: list[str]) -> str | None:
    """The sources' own wording of the figure nearest to `claim` of the same kind and within a
    factor of ten (`近7亿` for a claimed `700 million`); a supported one first. None when no
    source has one."""
    best: tuple[bool, float, str] | None = None
    for source in sources:
        for q in quantities(source):
            if not _same_unit(claim, q):
                continue
            if claim.kind == "date":
                distance = 0.0 if _matches(claim, q) else math.inf
            else:
                distance = _log_distance(claim.value, q.value)
            if distance < 1:
                key = (not _matches(claim, q), distance, q.text)
                best = key if best is None or key < best else best
    return best[2] if best else None


def _log_distance(a: Decimal, b: Decimal) -> float:
    if a <= 0 or b <= 0:
        return 0.0 if a == b else math.inf
    return abs(math.log10(float(b) / float(a)))


def _same_unit(claim: Quantity, source: Quantity) -> bool:
    if claim.kind != source.kind:
        return False
    return not (claim.currency and source.currency and claim.currency != source.currency)


def _matches(claim: Quantity, source: Quantity) -> bool:
    if not _same_unit(claim, source):
        return False
    if claim.kind == "date":
        return _date_within(claim.date, source.date)
    if source.high is not None and claim.high is None:
        return _within_range(claim, source)
    if not _approx_compatible(claim.approx, source.approx):
        return False
    if claim.high is not None:
        return (
            source.high is not None
            and _close(claim, claim.value, source.value)
            and (_close(claim, claim.high, source.high))
        )
    return _close(claim, claim.value, source.value)


def _within_range(claim: Quantity, source: Quantity) -> bool:
    """A single figure against a source's range: `up to 40` at its top, `over 30` at its
    bottom, `about 35` inside it."""
    assert source.high is not None
    if claim.approx == "<":
        return _close(claim, claim.value, source.high)
    if claim.approx == ">":
        return _close(claim, claim.value, source.value)
    return claim.approx == "~" and source.value <= claim.value <= source.high


def _approx_compatible(claim: str, source: str) -> bool:
    """`about` or no word fits any source figure (a hedge dropped or softened); `over` needs
    `over`, `nearly` needs `nearly`; a vague figure (数百) supports only a vague one."""
    if source == "?":
        return claim == "?"
    return claim in ("", "~", "?") or claim == source


def _close(claim: Quantity, value: Decimal, source: Decimal) -> bool:
    if claim.approx == "?":  # 数百 / several hundred: the same order of magnitude
        return value <= source < value * 10
    tolerance = claim.step
    if claim.approx:
        tolerance = max(tolerance, abs(source) * _RELATIVE)
    return value == source or abs(value - source) < tolerance


def _date_within(claim: tuple | None, source: tuple | None) -> bool:
    """Every part the claim names (year, month, day) is the source's: July 2025 in 2025-07-24."""
    if claim is None or source is None:
        return False
    return all(c is None or c == s for c, s in zip(claim, source, strict=True))
