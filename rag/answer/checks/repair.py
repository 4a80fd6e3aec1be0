"""A figure the sources state in other words: `repair_figures(sentence, sources)` puts the
source's own wording in ("50.44亿元" -> "50.44 billion yuan", "超过100部" -> "近百部").

Only the same figure counts: the same kind and the same significant digits, or the same value;
never merely the nearest figure (that may be another quantity), nor one its clause dates to other
years than the sentence does (2023's market size is not "50.5 billion yuan in 2024").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.text.rules import clauses
from rag.answer.numbers.quantities import Quantity, quantities, supported
from rag.answer.record import Source


def _digits(q: Quantity) -> str:
    """The digits as written, without separators or leading zeros: "50.44亿" and "50.44 billion"
    give 5044, "100部" gives 100 (and "1部" 1: no trailing zero is dropped)."""
    return re.sub(r"\D", "", q.text).lstrip("0")


def _years(text: str) -> set[int]:
    return {q.date[0] for q in quantities(text) if q.date and q.date[0]}


def counterpart(claim: Quantity, sources: Sequence[Source], years: set[int]) -> str | None:
    """A source's wording of the same figure (see the module docstring)."""
    for source in sources:
        for sentence in source.sentences:
            for clause in clauses(sentence)[0]:
                if years and (dated := _years(clause)) and not years & dated:
                    continue
                for q in quantities(clause):
                    if q.kind != claim.kind or q.kind == "date":
                        continue
                    if claim.currency and q.currency and claim.currency != q.currency:
                        continue
                    if q.value == claim.value or (_digits(q) and _digits(q) == _digits(claim)):
                        return q.text
    return None


def repair_figures(sentence: str, sources: Sequence[Source]) -> str | None:
    """`sentence` with each figure that no source states replaced by the source's own wording
    of it; None when some figure has no counterpart."""
    fixed = sentence
    years = _years(sentence)
    stated = [q for s in sources for q in s.figures]
    for claim in quantities(sentence):
        if supported(claim, stated):
            continue
        figure = counterpart(claim, sources, years)
        if figure is None:
            return None
        fixed = fixed.replace(claim.text, figure, 1)
    return fixed if fixed != sentence else None
