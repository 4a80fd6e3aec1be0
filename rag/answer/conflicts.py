"""Sources that disagree: when the passages shown give different values for the quantity an
answer states (the 2024 market size as 504.4亿, 505亿 and "50.44 billion"; Xi'an's company
counts), the answer says so, each value with its own citation.

A figure of another passage is "the same quantity" when it is of the same kind (a count, a
percentage, a multiple; currencies agreeing), within a factor of MAX_RATIO of the answer's, and
stated in a sentence that shares most of the words of the cited source's sentence stating the
answer's figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import MARKER, split_sentences, strip_markers, word_overlap
from rag.answer import quantities as qty

MAX_RATIO = 12  # 505 billion vs 50.44 billion: one source slipped a unit, still the same thing
NEAR, NEAR_APPROX = 0.02, 0.05  # closer than this (approximate figures: that) is the same figure
MIN_OVERLAP = 0.45  # share of the answer sentence's words the other source's sentence has
_FIGURE = re.compile(r"[\d０-９.,，%％]+")


@dataclass(frozen=True)
class Disagreement:
    """The answer's figure with the source it cites, and the other sources' figures."""

    figures: tuple[tuple[str, int], ...]  # (figure as written, source number), answer's first


def _telling(q: qty.Quantity) -> bool:
    """A figure worth comparing: written in digits, and no small bare count ("seven months")."""
    return any(ch.isdigit() for ch in q.text) and (q.kind != "count" or q.value >= 10)


def _same_quantity(claim: qty.Quantity, other: qty.Quantity) -> bool:
    if claim.kind != other.kind or claim.kind == "date" or not _telling(other):
        return False
    if claim.currency and other.currency and claim.currency != other.currency:
        return False
    if qty.supported(claim, [other]) or qty.supported(other, [claim]):
        return False  # the same value, in other words: no disagreement
    low, high = sorted((abs(claim.value), abs(other.value)))
    if low == 0 or high / low > MAX_RATIO:
        return False
    near = NEAR_APPROX if claim.approx or other.approx else NEAR
    return high / low > 1 + near  # 696 million against "nearly 700 million" is no disagreement


def _anchor(claim: qty.Quantity, source: str) -> str:
    """The sentence of the cited source that states the claim: what the figure is about, in the
    source's own words (and language), to compare other sources' sentences with."""
    for said in split_sentences(source):
        if qty.supported(claim, qty.quantities(said)):
            return said
    return source


def _others(anchor: str, claim: qty.Quantity, sources: list[str], skip: set[int]):  # type: ignore[no-untyped-def]
    words = _FIGURE.sub(" ", strip_markers(anchor))
    for n, source in enumerate(sources, start=1):
        if n in skip:
            continue
        for said in split_sentences(source):
            candidates = [q for q in qty.quantities(said) if _same_quantity(claim, q)]
            if candidates and word_overlap(words, said) >= MIN_OVERLAP:
                yield from ((q.text, n) for q in candidates)


def disagreements(
    text: str, sources: list[str], context: list[str] | None = None
) -> list[Disagreement]:
    """Figures of `text` (markers are numbers of `sources`) that other sources, or the passages
    of `context` (numbered after the sources), state differently."""
    pool = [*sources, *(context or [])]
    found: list[Disagreement] = []
    for sentence in split_sentences(text):
        cited = {int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(sources)}
        for claim in filter(_telling, qty.quantities(strip_markers(sentence))):
            own = [n for n in sorted(cited) if qty.supported(claim, qty.quantities(sources[n - 1]))]
            if not own:
                continue
            anchor = _anchor(claim, sources[own[0] - 1])
            others = list(dict.fromkeys(_others(anchor, claim, pool, set(own))))
            if others:
                found.append(Disagreement(((claim.text, own[0]), *others)))
    return found


def stated(found: list[Disagreement], lang: str) -> str:
    """One sentence giving each source's figure with its citation (markers: source numbers)."""
    parts = []
    for d in found:
        parts += [f"{figure} [{n}]" for figure, n in d.figures]
    parts = list(dict.fromkeys(parts))
    if lang == "zh":
        return "各出处的数字不一：" + "；".join(parts) + "。"
    return "The sources give different figures: " + "; ".join(parts) + "."
