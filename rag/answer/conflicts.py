"""Sources that disagree: when the passages shown give different values for the quantity an
answer states (the 2024 market size as 504.4亿, 505亿 and "50.44 billion"; Xi'an's company
counts), the answer says so, each value with its own citation.

A figure of another passage is "the same quantity" when it is of the same kind (a count, a
percentage, a multiple; currencies agreeing), within a factor of MAX_RATIO of the answer's, and
stated in a sentence that shares most of the words of the cited source's sentence stating the
answer's figure - or, in other words or another language, one whose clause stating the figure
names the question's key terms (`about`) and counts the same thing (companies, people, works:
`counted`).

Each figure is given as its source writes it, the answer's own included. A question that asks
for every source's figure ("各来源数字分别是多少？", "Compare the figures in different reports")
gets them even where they agree ("800多" and "over 820"), each counting the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from index.text.overlap import word_overlap
from index.text.rules import HAN_CHAR, MARKER, clauses, join_clauses, split_sentences, strip_markers
from rag.answer.numbers import quantities as qty

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
_PHRASE_ENDS = {"and", "or", "by", "in", "of", "with", "to", "for", "from", "on", "at", "that"}


# The reader asks for every source's figure: "各来源数字分别是多少", "各方预测是否一致",
# "Compare the figures in different reports", "Do the reports agree?"
_EACH_SOURCE = re.compile(
    r"各(?:个)?(?:来源|出处|方|家|报道|报告|媒体)|不同(?:的)?(?:来源|出处|报道|报告|媒体|机构|说法)"
    r"|(?:报道|来源|出处|报告|说法|数字|数据|预测)[^。？?]{0,6}(?:一致|相同|不同)"
    r"|\bcompare\b|\b(?:different|various|each|other|all the) (?:reports?|sources?)\b"
    r"|\b(?:reports?|sources?) (?:agree|differ)|\bconsistent\b",
    re.I,
)


def asks_each_source(question: str) -> bool:
    """Whether the question asks for each source's figure, agreeing or not."""
    return bool(_EACH_SOURCE.search(question))


@dataclass(frozen=True)
class Disagreement:
    """The answer's figure with the source it cites, and the other sources' figures."""

    figures: tuple[tuple[str, int], ...]  # (figure as written, source number), answer's first
    differs: bool = True  # False: every source's figure, asked for, and they agree


def _telling(q: qty.Quantity) -> bool:
    """A figure worth comparing: written in digits, and no small bare count ("seven months")."""
    return any(ch.isdigit() for ch in q.text) and (q.kind != "count" or q.value >= 10)


def _comparable(claim: qty.Quantity, other: qty.Quantity) -> bool:
    """The same kind of figure (currencies agreeing), within a factor of MAX_RATIO."""
    if claim.kind != other.kind or claim.kind == "date" or not _telling(other):
        return False
    if claim.currency and other.currency and claim.currency != other.currency:
        return False
    low, high = sorted((abs(claim.value), abs(other.value)))
    return low != 0 and high / low <= MAX_RATIO


def _differs(claim: qty.Quantity, other: qty.Quantity) -> bool:
    if qty.supported(claim, [other]) or qty.supported(other, [claim]):
        return False  # the same value, in other words: no disagreement
    low, high = sorted((abs(claim.value), abs(other.value)))
    near = NEAR_APPROX if claim.approx or other.approx else NEAR
    return high / low > 1 + near  # 696 million against "nearly 700 million" is no disagreement


def _same_quantity(claim: qty.Quantity, other: qty.Quantity, every: bool = False) -> bool:
    """A comparable figure that differs from the claim's; `every`: agreeing ones too."""
    return _comparable(claim, other) and (every or _differs(claim, other))


def counted(q: qty.Quantity, sentence: str) -> str | None:
    """What a count in `sentence` counts (a key of _COUNTED), from the words after it; a
    currency for money; None when it cannot be told."""
    if q.currency:
        return q.currency
    if q.kind != "count":
        return None
    after = unicodedata.normalize("NFKC", sentence)[q.start + len(q.text) :].lstrip()
    if HAN_CHAR.match(after):  # Chinese: the first noun right after (家, 人, 部)
        head = after[:8]
        first = {
            kind: min(head.find(n) for n in nouns if n in head)
            for kind, nouns in _COUNTED.items()
            if any(n in head for n in nouns)
        }
        return min(first, key=first.__getitem__) if first else None
    # English: the noun phrase's last noun, past modifiers ("drama-related enterprises",
    # "micro-short drama users"), up to a word or mark that ends it ("companies and ...")
    words: list[str] = []
    for word in after.lower().split()[:_AFTER_WORDS]:
        if word in _PHRASE_ENDS:
            break
        if "-" not in word:
            words.append(word.strip(",.;:()"))
        if word[-1] in ",.;:)":
            break
    head = " ".join(words)
    last = {
        kind: max(head.rfind(n) for n in nouns)
        for kind, nouns in _COUNTED.items()
        if any(n in head for n in nouns)
    }
    return max(last, key=last.__getitem__) if last else None


def _anchor(claim: qty.Quantity, source: str) -> tuple[str, qty.Quantity]:
    """The sentence of the cited source that states the claim, and the figure as it writes it:
    what the figure is about, in the source's own words (and language)."""
    for said in split_sentences(source):
        for q in qty.quantities(said):
            if qty.supported(claim, [q]):
                return said, q
    return source, claim


def _others(
    anchor: str,
    claim: qty.Quantity,
    sources: list[str],
    skip: set[int],
    about: About | None,
    every: bool = False,
) -> Iterator[tuple[qty.Quantity, int]]:
    """(figure, source number) for each figure of the other sources stating the claim's
    quantity differently (`every`: agreeing too, each counting what the claim counts)."""
    words = _FIGURE.sub(" ", strip_markers(anchor))
    kind = counted(claim, anchor)
    if every and about is None:  # a question naming nothing: what is counted must tell
        about = _anything
    named = kind is not None and about is not None and about(anchor)
    for n, source in enumerate(sources, start=1):
        if n in skip:
            continue
        for said in split_sentences(source):
            candidates = [q for q in qty.quantities(said) if _same_quantity(claim, q, every)]
            if not candidates:
                continue
            if word_overlap(words, said) >= MIN_OVERLAP:
                yield from ((q, n) for q in candidates if not every or counted(q, said) == kind)
            elif named and about is not None:
                yield from ((q, n) for q in _named_counts(said, claim, kind, about, every))


def _anything(_: str) -> bool:
    return True


def _named_counts(
    said: str, claim: qty.Quantity, kind: str | None, about: About, every: bool = False
) -> list[qty.Quantity]:
    """Figures of `said` for the same quantity as `claim`, each in a clause that names what
    the question asks about and counts the same `kind` of thing ("Xi'an and Zhengzhou lead,
    with Xi'an having over 600 companies" gives nothing for a question about Zhengzhou)."""
    found = []
    for clause in clauses(said)[0]:
        same = [q for q in qty.quantities(clause) if _same_quantity(claim, q, every)]
        if same and about(clause):
            found += [q for q in same if counted(q, clause) == kind]
    return found


def disagreements(
    text: str,
    sources: list[str],
    context: list[str] | None = None,
    about: About | None = None,
    every: bool = False,
) -> list[Disagreement]:
    """Figures of `text` (markers are numbers of `sources`) that other sources, or the passages
    of `context` (numbered after the sources), state differently. `about` tells a sentence
    naming the question's key terms (without it, only sentences worded alike are compared).
    `every` (the question asks for each source's figure): the agreeing figures as well."""
    pool = [*sources, *(context or [])]
    found: list[Disagreement] = []
    for sentence in split_sentences(text):
        cited = {int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(sources)}
        for claim in filter(_telling, qty.quantities(strip_markers(sentence))):
            own = [n for n in sorted(cited) if qty.supported(claim, qty.quantities(sources[n - 1]))]
            if not own:
                continue
            anchor, as_written = _anchor(claim, sources[own[0] - 1])
            heard = list(_others(anchor, as_written, pool, set(own), about, every))
            if heard:
                differs = any(_differs(as_written, q) for q, _ in heard)
                others = dict.fromkeys((q.text, n) for q, n in heard)
                found.append(Disagreement(((as_written.text, own[0]), *others), differs))
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
LISTS = {"zh": "各出处给出的数字：", "en": "Figures by source: "}  # asked for, and agreeing
_PART = re.compile(r"\s*(.+?)\s*((?:\[\d+\])+)\s*[；;。.]?")


def stated(found: list[Disagreement], lang: str) -> str:
    """A sentence for each figure of the answer giving each source's figure with its
    citations (markers: source numbers), a figure written alike by several sources once; one
    line each ("over 600 [1]; over 200 [2]" apart from "around 60% [1]; 40%-60% [2]")."""
    lines = []
    for d in found:
        cites: dict[str, list[int]] = {}
        for figure, n in d.figures:
            if n not in cites.setdefault(figure, []):
                cites[figure].append(n)
        parts = [f"{figure} {''.join(f'[{n}]' for n in ns)}" for figure, ns in cites.items()]
        lead = (LEADS if d.differs else LISTS)[lang if lang == "zh" else "en"]
        end, sep = ("。", "；") if lang == "zh" else (".", "; ")
        lines.append(lead + sep.join(parts) + end)
    return "\n".join(dict.fromkeys(lines))


def figures_stated(sentence: str) -> list[tuple[str, int]] | None:
    """The (figure, source number) pairs of a sentence `stated` wrote; None for any other."""
    for lead in (*LEADS.values(), *LISTS.values()):
        if sentence.startswith(lead.strip()):
            rest = sentence[len(lead.strip()) :]
            return [(m[1], int(n)) for m in _PART.finditer(rest) for n in re.findall(r"\d+", m[2])]
    return None
