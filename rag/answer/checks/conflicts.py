"""Sources that disagree: when other passages give different values for the quantity an answer
states (the 2024 market size as 504.4亿, 505亿 and "50.44 billion"; Xi'an's company counts), the
answer says so, each value with its own citation (`conflict`).

A figure of another passage is "the same quantity" when it is of the same kind (a count, a
percentage, a multiple; currencies agreeing), within a factor of MAX_RATIO of the answer's, and
stated in a sentence that shares most of the words of the cited source's sentence stating the
answer's figure - or, in other words or another language, one whose clause stating the figure
names the question's key terms (`about`) and counts the same thing (companies, people, works:
`counted`), and not said to move the other way ("上半年，规上工业企业利润同比下降16.8%" and
"上半年，装备制造业利润同比增长3.1%" share most words and are two quantities). Two sentences about
different things ("Zhengzhou has over 800 companies [1]. Xi'an has over 600 [2].") are no
disagreement: each answer figure is compared only with the passages its own sentence is about.

Each figure is given as its source writes it, the answer's own included. A question that asks
for every source's figure gets them even where they agree. The findings carry the figures and
their sources as data (`Conflict`); the line the reader sees is written from them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from index.text.overlap import word_overlap
from index.text.rules import HAN_CHAR, clauses, join_clauses, strip_markers
from rag.answer.findings import Conflict, Context, Finding
from rag.answer.numbers import quantities as qty
from rag.answer.record import Record, Source
from rag.lang import LANGS, pack
from rag.question.terms import key_terms, missing

MAX_RATIO = 12  # 505 billion vs 50.44 billion: one source slipped a unit, still the same thing
NEAR, NEAR_APPROX = 0.02, 0.05  # closer than this (approximate figures: that) is the same figure
MIN_OVERLAP = 0.45  # share of the answer sentence's words the other source's sentence has
_FIGURE = re.compile(r"[\d０-９.,，%％]+")
_AFTER_WORDS = 4  # "100,200 micro-short drama-related enterprises": the noun comes a few words on
_BEFORE_CHARS = 5  # where the way a figure moved is said: "同比下降了16.8%"
_BEFORE_WORDS = 3  # ..."fell by about 8.3%"
_CLAUSE_END = re.compile(r"[,，;；、:：]")  # ...within the figure's own clause
About = Callable[[str], bool]


def check(record: Record, ctx: Context) -> list[Finding]:
    found = disagreements(record, ctx)
    if not found:
        return []
    out: list[Finding] = []
    if any(c.differs for c in found):  # "the reports agree" is no longer true
        out += _without_agreement(record)
    lines = dict.fromkeys(line(c, ctx.lang) for c in found)
    by_line = {line(c, ctx.lang): c for c in found}
    out += [Finding("conflicts", "add", text=text, conflict=by_line[text]) for text in lines]
    return out


def line(conflict: Conflict, lang: str) -> str:
    """The sentence giving each source's figure with its citation (markers: source numbers),
    a figure written alike by several sources once."""
    words = pack(lang).conflicts
    cites: dict[str, list[int]] = {}
    for figure, n in conflict.figures:
        if n not in cites.setdefault(figure, []):
            cites[figure].append(n)
    parts = [f"{figure} {''.join(f'[{n}]' for n in ns)}" for figure, ns in cites.items()]
    lead = words.differ if conflict.differs else words.listed
    return lead + words.separator.join(parts) + words.end


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
    """What a count in `sentence` counts (a kind of the language packs' counted nouns), from the
    words after it; a currency for money; None when it cannot be told."""
    if q.currency:
        return q.currency
    if q.kind != "count":
        return None
    after = unicodedata.normalize("NFKC", sentence)[q.start + len(q.text) :].lstrip()
    if HAN_CHAR.match(after):  # Chinese: the first noun right after (家, 人, 部)
        head = after[:8]
        nouns = pack("zh").counted
        first = {
            kind: min(head.find(n) for n in words if n in head)
            for kind, words in nouns.items()
            if any(n in head for n in words)
        }
        return min(first, key=first.__getitem__) if first else None
    # English: the noun phrase's last noun, past modifiers ("drama-related enterprises",
    # "micro-short drama users"), up to a word or mark that ends it ("companies and ...")
    english = pack("en")
    words: list[str] = []
    for word in after.lower().split()[:_AFTER_WORDS]:
        if word in english.phrase_ends:
            break
        if "-" not in word:
            words.append(word.strip(",.;:()"))
        if word[-1] in ",.;:)":
            break
    head = " ".join(words)
    last = {
        kind: max(head.rfind(n) for n in nouns)
        for kind, nouns in english.counted.items()
        if any(n in head for n in nouns)
    }
    return max(last, key=last.__getitem__) if last else None


def _way(q: qty.Quantity, sentence: str) -> str | None:
    """Which way the words right before a figure say it moved, "rise" ("同比增长3.1%") or
    "fall" ("fell by about 8.3%"); None for a level ("PMI为49.3%", "has over 600 companies")."""
    text = unicodedata.normalize("NFKC", sentence)
    if text[q.start : q.start + len(q.text)] != q.text:
        return None  # not this sentence's figure
    before = _CLAUSE_END.split(text[: q.start])[-1].rstrip()  # "利润未下降，为16.8%": a level
    if HAN_CHAR.search(before[-1:]):
        window = before[-_BEFORE_CHARS:]
    else:
        window = " ".join(before.split()[-_BEFORE_WORDS:])
    ways = {
        way
        for lang in LANGS
        for way, words in (("rise", pack(lang).conflicts.rise), ("fall", pack(lang).conflicts.fall))
        if words.search(window)
    }
    return ways.pop() if len(ways) == 1 else None


def _opposite(way: str | None, q: qty.Quantity, sentence: str) -> bool:
    """Whether `sentence` says its figure `q` moved the other way than `way`."""
    other = _way(q, sentence)
    return way is not None and other is not None and other != way


def _anchor(claim: qty.Quantity, source: Source) -> tuple[str, qty.Quantity]:
    """The sentence of the cited source that states the claim, and the figure as it writes it:
    what the figure is about, in the source's own words (and language)."""
    for said, figures in source.sentence_figures:
        for q in figures:
            if qty.supported(claim, [q]):
                return said, q
    return source.text, claim


def _others(
    anchor: str,
    claim: qty.Quantity,
    pool: tuple[Source, ...],
    skip: set[int],
    about: About | None,
    every: bool = False,
    subject: Callable[[str], bool] = lambda said: True,
) -> Iterator[tuple[qty.Quantity, int]]:
    """(figure, source number) for each figure of the other sources stating the claim's
    quantity differently (`every`: agreeing too, each counting what the claim counts). A
    sentence worded alike counts only when it names what the answer's sentence names
    (`subject`): "Xi'an has over 600 companies" says nothing of Zhengzhou's 800."""
    words = _FIGURE.sub(" ", strip_markers(anchor))
    kind = counted(claim, anchor)
    way = _way(claim, anchor)
    if every and about is None:  # a question naming nothing: what is counted must tell
        about = _anything
    named = kind is not None and about is not None and about(anchor)
    for source in pool:
        if source.n in skip:
            continue
        for said, figures in source.sentence_figures:
            candidates = [
                q
                for q in figures
                if _same_quantity(claim, q, every) and not _opposite(way, q, said)
            ]
            if not candidates:
                continue
            if word_overlap(words, said) >= MIN_OVERLAP and subject(said):
                yield from (
                    (q, source.n) for q in candidates if not every or counted(q, said) == kind
                )
            elif named and about is not None:
                named_counts = _named_counts(said, claim, kind, about, every, way)
                yield from ((q, source.n) for q in named_counts)


def _names(sentence: str, ctx: Context) -> Callable[[str], bool]:
    """Whether a text names every place, organisation or person `sentence` names."""
    if ctx.names is None:
        return _anything
    named = [t for t in key_terms(sentence, ctx.names) if t.kind == "name"]
    if not named:
        return _anything
    return lambda text: not missing(named, [text])


def _anything(_: str) -> bool:
    return True


def _named_counts(
    said: str,
    claim: qty.Quantity,
    kind: str | None,
    about: About,
    every: bool = False,
    way: str | None = None,
) -> list[qty.Quantity]:
    """Figures of `said` for the same quantity as `claim`, each in a clause that names what
    the question asks about and counts the same `kind` of thing ("Xi'an and Zhengzhou lead,
    with Xi'an having over 600 companies" gives nothing for a question about Zhengzhou)."""
    found = []
    for clause in clauses(said)[0]:
        same = [
            q
            for q in qty.quantities(clause)
            if _same_quantity(claim, q, every) and not _opposite(way, q, clause)
        ]
        if same and about(clause):
            found += [q for q in same if counted(q, clause) == kind]
    return found


def disagreements(record: Record, ctx: Context) -> list[Conflict]:
    """Figures of the answer that other sources, or the other retrieved passages, state
    differently (a question asking for each source's figure: the agreeing figures as well)."""
    sources, pool = ctx.sources, ctx.pool
    found: list[Conflict] = []
    for _, sentence in record.kept():
        if sentence.added:
            continue
        cited = {n for n in sentence.markers if 1 <= n <= len(sources)}
        for claim in filter(_telling, sentence.figures):
            own = [n for n in sorted(cited) if qty.supported(claim, sources[n - 1].figures)]
            if not own:
                continue
            anchor, as_written = _anchor(claim, sources[own[0] - 1])
            subject = _names(sentence.plain, ctx)
            every = ctx.question is not None and ctx.question.each_source
            heard = list(_others(anchor, as_written, pool, set(own), ctx.about(), every, subject))
            if heard:
                differs = any(_differs(as_written, q) for q, _ in heard)
                others = dict.fromkeys((q.text, n) for q, n in heard)
                found.append(Conflict(((as_written.text, own[0]), *others), differs))
    return found


def _without_agreement(record: Record) -> list[Finding]:
    """Sentences saying the sources agree lose that clause ("..., and the reports agree on this
    figure [1]." keeps "..." and its citation); a sentence that says only that goes."""
    out = []
    for i, sentence in record.kept():
        parts, ending = clauses(sentence.text)
        said = [c for c in parts if not _says_agree(c)]
        if len(said) == len(parts):
            continue
        if said:
            out.append(Finding("conflicts", "rewrite", i, join_clauses(said, ending)))
        else:
            out.append(Finding("conflicts", "remove", i))
    return out


def _says_agree(clause: str) -> bool:
    packs = [pack(lang).conflicts for lang in LANGS]
    agree = any(p.agree.search(clause) for p in packs)
    return agree and not any(p.denied.search(clause) for p in packs)
