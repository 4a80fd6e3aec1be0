"""Sources that disagree: when the passages shown give different values for the quantity an
answer states (the 2024 market size as 504.4亿, 505亿 and "50.44 billion"; Xi'an's company
counts), the answer says so, each value with its own citation.

A figure of another passage is "the same quantity" when it is of the same kind (a count, a
percentage, a multiple; currencies agreeing), within a factor of MAX_RATIO of the answer's, and
stated in a sentence that shares most of the words of the cited source's sentence stating the
answer's figure - or, in other words or another language, one whose clause stating the figure
names the question's key terms (`about`) and counts the same thing (companies, people, works:
`counted`).

Each figure is given as its source writes it, the answer's own included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from index.text import (
    HAN_CHAR,
    MARKER,
    clauses,
    join_clauses,
    split_sentences,
    strip_markers,
    word_overlap,
)
from rag.answer import quantities as qty

MAX_RATIO = 12  # 505 billion vs 50.44 billion: one source slipped a unit, still the same thing
NEAR, NEAR_APPROX = 0.02, 0.05  # closer than this (approximate figures: that) is the same figure
MIN_OVERLAP = 0.45  # share of the answer sentence's words the other source's sentence has
_FIGURE = re.compile(r"[\d０-９.,，%％]+")
About = Callable[[str], bool]  # does a sentence name what the question asks about?

# What a count counts, by the word after it: "over 600 companies", "800多家", "近4万人".
_COUNTED = {
    "organisations": ("家", "企业", "公司", "机构", "compan", "enterprise", "firm", "business"),
    "people": (
        "人",
        "名",
        "people",
        "practitioner",
        "professional",
        "worker",
        "employee",
        "staff",
        "person",
        "talent",
    ),
    "works": ("部", "集", "剧", "drama", "series", "title", "episode", "show"),
    "users": ("用户", "users", "viewers", "audience"),
}
_AFTER_WORDS = 4  # "100,200 micro-short drama-related enterprises": the noun comes a few words on


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


def counted(q: qty.Quantity, sentence: str) -> str | None:
    """What a count in `sentence` counts (a key of _COUNTED), from the words after it; a
    currency for money; None when it cannot be told."""
    if q.currency:
        return q.currency
    if q.kind != "count":
        return None
    after = unicodedata.normalize("NFKC", sentence)[q.start + len(q.text) :].lstrip()
    if HAN_CHAR.match(after):  # Chinese: the characters right after (家, 人, 部)
        head = after[:8]
    else:  # English: the next few words, past modifiers ("drama-related enterprises")
        head = " ".join(w for w in after.lower().split()[:_AFTER_WORDS] if "-" not in w)
    first = {
        kind: min(head.find(n) for n in nouns if n in head)
        for kind, nouns in _COUNTED.items()
        if any(n in head for n in nouns)
    }
    return min(first, key=first.__getitem__) if first else None


def _anchor(claim: qty.Quantity, source: str) -> tuple[str, qty.Quantity]:
    """The sentence of the cited source that states the claim, and the figure as it writes it:
    what the figure is about, in the source's own words (and language)."""
    for said in split_sentences(source):
        for q in qty.quantities(said):
            if qty.supported(claim, [q]):
                return said, q
    return source, claim


def _others(  # type: ignore[no-untyped-def]
    anchor: str, claim: qty.Quantity, sources: list[str], skip: set[int], about: About | None
):
    words = _FIGURE.sub(" ", strip_markers(anchor))
    kind = counted(claim, anchor)
    named = kind is not None and about is not None and about(anchor)
    for n, source in enumerate(sources, start=1):
        if n in skip:
            continue
        for said in split_sentences(source):
            candidates = [q for q in qty.quantities(said) if _same_quantity(claim, q)]
            if not candidates:
                continue
            if word_overlap(words, said) >= MIN_OVERLAP:
                yield from ((q.text, n) for q in candidates)
            elif named and about is not None:
                yield from ((text, n) for text in _named_counts(said, claim, kind, about))


def _named_counts(said: str, claim: qty.Quantity, kind: str | None, about: About) -> list[str]:
    """Figures of `said` for the same quantity as `claim`, each in a clause that names what
    the question asks about and counts the same `kind` of thing ("Xi'an and Zhengzhou lead,
    with Xi'an having over 600 companies" gives nothing for a question about Zhengzhou)."""
    found = []
    for clause in clauses(said)[0]:
        same = [q for q in qty.quantities(clause) if _same_quantity(claim, q)]
        if same and about(clause):
            found += [q.text for q in same if counted(q, clause) == kind]
    return found


def disagreements(
    text: str, sources: list[str], context: list[str] | None = None, about: About | None = None
) -> list[Disagreement]:
    """Figures of `text` (markers are numbers of `sources`) that other sources, or the passages
    of `context` (numbered after the sources), state differently. `about` tells a sentence
    naming the question's key terms (without it, only sentences worded alike are compared)."""
    pool = [*sources, *(context or [])]
    found: list[Disagreement] = []
    for sentence in split_sentences(text):
        cited = {int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(sources)}
        for claim in filter(_telling, qty.quantities(strip_markers(sentence))):
            own = [n for n in sorted(cited) if qty.supported(claim, qty.quantities(sources[n - 1]))]
            if not own:
                continue
            anchor, as_written = _anchor(claim, sources[own[0] - 1])
            others = list(dict.fromkeys(_others(anchor, as_written, pool, set(own), about)))
            if others:
                found.append(Disagreement(((as_written.text, own[0]), *others)))
    return found


# "the reports agree", "不同报道给出的数字一致": untrue once a disagreement is found
_AGREE = re.compile(
    r"(?<![不未])(?:一致|相同|相符|吻合)|\b(?:agree|consistent|the same (?:figure|number|value))",
    re.I,
)
_DENIED = re.compile(
    r"不一致|不相同|不相符|有(?:所)?(?:不同|差异|出入)|存在(?:差异|出入)"
    r"|\bnot\b|n't|disagree|inconsistent|differ",
    re.I,
)


def without_agreement(text: str) -> str:
    """`text` without its clauses saying the sources agree ("..., and the reports agree on this
    figure [1]." keeps "..." and its citation); a sentence that says only that goes."""
    lines = []
    for line in text.split("\n"):
        kept = []
        for sentence in split_sentences(line):
            parts, ending = clauses(sentence)
            said = [c for c in parts if not _says_agree(c)]
            if said:
                kept.append(join_clauses(said, ending))
        lines.append(" ".join(kept) if not HAN_CHAR.search(line) else "".join(kept))
    return "\n".join(line for line in lines if line.strip())


def _says_agree(clause: str) -> bool:
    return bool(_AGREE.search(clause)) and not _DENIED.search(clause)


LEADS = {"zh": "各出处的数字不一：", "en": "The sources give different figures: "}
_PART = re.compile(r"\s*(.+?)\s*\[(\d+)\]\s*[；;。.]?")


def stated(found: list[Disagreement], lang: str) -> str:
    """One sentence giving each source's figure with its citation (markers: source numbers)."""
    parts = []
    for d in found:
        parts += [f"{figure} [{n}]" for figure, n in d.figures]
    parts = list(dict.fromkeys(parts))
    if lang == "zh":
        return LEADS["zh"] + "；".join(parts) + "。"
    return LEADS["en"] + "; ".join(parts) + "."


def figures_stated(sentence: str) -> list[tuple[str, int]] | None:
    """The (figure, source number) pairs of a sentence `stated` wrote; None for any other."""
    for lead in LEADS.values():
        if sentence.startswith(lead.strip()):
            rest = sentence[len(lead.strip()) :]
            return [(m[1], int(m[2])) for m in _PART.finditer(rest)]
    return None
