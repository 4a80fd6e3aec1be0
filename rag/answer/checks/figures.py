"""Every figure checked against the sources a sentence cites, with its unit (`numbers/`).

A sentence stating a figure its cited sources (or, citing none, any source) do not state is
repaired with the source's own wording of it when one states it in another unit or with another
qualifier (`figure_repaired`); failing that, its clauses that state such figures go and the rest
stays; failing that, the sentence goes (`withheld_sentence`). So does a sentence listing figures
after markers with no word of what they are ("数字分别是：[2] 40%-60% [3] 100,200").

The question's own dates and small counts are given, not claimed: "The two major supermarkets
that plan to merge in 2024 are Kroger and Albertsons [1]" answers "Which two major supermarkets
plan to merge in 2024?" from a passage that says neither "two" nor "2024".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.text.rules import HAN, MARKER, clauses, join_clauses, strip_markers
from rag.answer.checks.citations import point
from rag.answer.findings import Context, Finding, Repairer
from rag.answer.numbers.quantities import Quantity, quantities, supported
from rag.answer.record import Record, Source
from rag.notices import Notice

_MARKED_FIGURE = re.compile(r"\[\d+\]\s*(?=[\d０-９])")  # "[2] 40%": a marker introducing a figure
_WORDS = re.compile(rf"[A-Za-z{HAN}]")


SMALL = 10  # "which two companies": a count the question gives, not one the answer claims


def check(record: Record, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    asked = given(ctx)
    for i, sentence in record.kept():
        if sentence.added:
            continue
        text = sentence.text
        if bare_figures(text):
            found += _withheld(i, strip_markers(text))
        elif not stated(text, ctx.sources, asked):
            found += _repaired(i, text, ctx.sources, ctx.repair, asked)
    return found


def given(ctx: Context) -> tuple[Quantity, ...]:
    """The question's dates and small counts: an answer repeating them claims nothing."""
    asked = ctx.question.text if ctx.question is not None else ""
    return tuple(
        q
        for q in quantities(asked)
        if q.kind == "date" or (q.kind == "count" and not q.currency and q.value < SMALL)
    )


def stated(sentence: str, sources: tuple[Source, ...], asked: Sequence[Quantity] = ()) -> bool:
    """Every figure of `sentence` is stated by a source it cites (citing none: by any), or
    given by the question (`asked`)."""
    claims = [q for q in quantities(sentence) if not supported(q, asked)]
    if not claims:
        return True
    cited = [int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(sources)]
    known = [q for n in cited for q in sources[n - 1].figures] if cited else None
    if known is None:
        known = [q for s in sources for q in s.figures]
    return all(supported(claim, known) for claim in claims)


def _withheld(i: int, said: str) -> list[Finding]:
    notice = Notice("withheld_sentence", sentence=said)
    return [Finding("figures", "remove", i, notice=notice)]


def _repaired(
    i: int,
    text: str,
    sources: tuple[Source, ...],
    repair: Repairer | None,
    asked: Sequence[Quantity],
) -> list[Finding]:
    fixed = repair(text, sources) if repair else None
    if fixed:  # the figure may be another source's: point the marker there
        fixed = point(fixed, tuple(quantities(fixed)), strip_markers(fixed), sources)
    if fixed and stated(fixed, sources, asked):
        notice = Notice("figure_repaired", was=strip_markers(text), now=strip_markers(fixed))
        return [Finding("figures", "rewrite", i, fixed, notice)]
    trimmed = _supported_clauses(text, sources, repair, asked)
    if trimmed is None:
        return _withheld(i, strip_markers(text))
    shown, notices = trimmed
    rewrite = Finding("figures", "rewrite", i, shown)
    return [rewrite, *(Finding("figures", "note", notice=n) for n in notices)]


def _supported_clauses(
    sentence: str, sources: tuple[Source, ...], repair: Repairer | None, asked: Sequence[Quantity]
) -> tuple[str, list[Notice]] | None:
    """The sentence without its clauses whose figures its sources do not state ("Zhengzhou has
    over 800 companies, with 40%-60% of the content [2]." keeps its first clause), each such
    clause repaired first if it can be; None when no clause stating a figure would be left."""
    parts, ending = clauses(sentence)

    def fine(clause: str) -> bool:
        return stated(clause + ending, sources, asked)

    kept: list[str] = []
    notices: list[Notice] = []
    for clause in parts:
        fixed = repair(clause + ending, sources) if repair and not fine(clause) else None
        fixed = fixed[: len(fixed) - len(ending)] if fixed and fixed.endswith(ending) else None
        if fine(clause):
            kept.append(clause)
        elif fixed and fine(fixed):
            was, now = (strip_markers(c).strip(" ，,;；") for c in (clause, fixed))
            notices.append(Notice("figure_repaired", was=was, now=now))
            kept.append(fixed)
        else:
            notices.append(Notice("withheld_sentence", sentence=clause.strip(" ，,;；")))
    if len(kept) == len(parts) and not notices or not any(quantities(c) for c in kept):
        return None
    return join_clauses(kept, ending), notices


def bare_figures(sentence: str) -> bool:
    """Figures that markers introduce, with no word of what they are: "数字分别是：[2] 40%-60%
    [3] 100,200" (a share and a national count, listed for one city)."""
    tail = re.split(r"[：:]", sentence)[-1]
    if not _MARKED_FIGURE.search(tail):
        return False
    rest = strip_markers(tail)
    for q in quantities(rest):
        rest = rest.replace(q.text, " ", 1)
    return not _WORDS.search(rest)
