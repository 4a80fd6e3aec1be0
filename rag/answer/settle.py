"""What of a model's answer may be shown: settled sentence by sentence, while it streams.

`settle(text, sources, lang)` is the one rule, applied to a growing prefix while the model writes
(`SentenceGate`) and to the whole answer at the end, so the reader never sees a sentence that the
final answer would not show:

- a parenthesised English gloss inside a Chinese answer ("近百部（over 100）") goes, and its
  English amounts are written in 万/亿 ("50 million yuan" -> "5000万元");
- markers are repaired and renumbered (`citations.check`);
- a sentence stating a figure that its cited sources do not state is repaired with the source's
  own figure when one source states a figure of the same kind and magnitude, and is otherwise
  left out, with a notice either way; so is one listing figures after markers with no word of
  what they are ("数字分别是：[2] 40%-60% [3] 100,200").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from index.text.rules import MARKER, clauses, join_clauses, split_sentences, strip_markers
from index.types import Lang
from rag.answer import citations as cite
from rag.answer import conflicts
from rag.answer.numbers import quantities
from rag.answer.localise import chinese_amounts, chinese_names
from rag.corpus.names import NameTable
from rag.notices import Notice

# "（over 100）", "(about 700 million)": Latin-only asides in a Chinese answer, never [n] markers
_GLOSS = re.compile(r"[ \t]*[（(](?=[^（）()]*[A-Za-z])[^（）()\u3400-\u9fff\[\]]{1,60}[）)]")

Repairer = Callable[[str, list[str]], str | None]
_CITED_END = re.compile(r"\[\d+\][。！？.!?]*")  # the end of a sentence that cites a source


def strip_glosses(text: str, lang: Lang) -> str:
    """A Chinese answer without the English translations a small model adds in brackets."""
    return _GLOSS.sub("", text) if lang == "zh" else text


def in_language(text: str, lang: Lang, names: NameTable | None = None) -> str:
    """A Chinese answer without English glosses, its English amounts written in 万/亿
    ("50 million yuan" -> "5000万元") and the English names `names` knows in Chinese
    ("Yantai" -> "烟台", `localise.py`); other answers as they are."""
    if lang != "zh":
        return text
    written = chinese_amounts(strip_glosses(text, lang))
    return chinese_names(written, names) if names is not None else written


@dataclass(frozen=True)
class Settled:
    checked: cite.Checked  # the text to show, with markers renumbered, and what it cites
    notices: tuple[Notice, ...] = ()


def _digits(q: quantities.Quantity) -> str:
    """The digits as written, without separators or leading zeros: "50.44亿" and "50.44 billion"
    give 5044, "100部" gives 100 (and "1部" 1: no trailing zero is dropped)."""
    return re.sub(r"\D", "", q.text).lstrip("0")


def _years(text: str) -> set[int]:
    return {q.date[0] for q in quantities.quantities(text) if q.date and q.date[0]}


def _counterpart(claim: quantities.Quantity, sources: list[str], years: set[int]) -> str | None:
    """A source's wording of the same figure, where the claim got its unit or qualifier wrong:
    the same kind and the same significant digits (50.44亿 for "50.44 billion") or the same
    value (over 100 for 近百). Never merely the nearest figure: that may be another quantity;
    nor one its clause dates to other `years` than the claim's sentence does (2023's market
    size is not "50.5 billion yuan in 2024")."""
    for source in sources:
        for sentence in split_sentences(source):
            for clause in clauses(sentence)[0]:
                if years and (dated := _years(clause)) and not years & dated:
                    continue
                for q in quantities.quantities(clause):
                    if q.kind != claim.kind or q.kind == "date":
                        continue
                    if claim.currency and q.currency and claim.currency != q.currency:
                        continue
                    if q.value == claim.value or (_digits(q) and _digits(q) == _digits(claim)):
                        return q.text
    return None


def repair_figures(sentence: str, sources: list[str]) -> str | None:
    """`sentence` with each figure that no source states replaced by the source's own wording
    of it (`_counterpart`); None when some figure has no counterpart."""
    fixed = sentence
    years = _years(sentence)
    for claim in quantities.unsupported(sentence, sources):
        figure = _counterpart(claim, sources, years)
        if figure is None:
            return None
        fixed = fixed.replace(claim.text, figure, 1)
    return fixed if fixed != sentence else None


_MARKED_FIGURE = re.compile(r"\[\d+\]\s*(?=[\d０-９])")  # "[2] 40%": a marker introducing a figure
_WORDS = re.compile(r"[A-Za-z\u3400-\u9fff]")


def _bare_figures(sentence: str) -> bool:
    """Figures that markers introduce, with no word of what they are: "数字分别是：[2] 40%-60%
    [3] 100,200" (a share and a national count, listed for one city)."""
    tail = re.split(r"[：:]", sentence)[-1]
    if not _MARKED_FIGURE.search(tail):
        return False
    rest = strip_markers(tail)
    for q in quantities.quantities(rest):
        rest = rest.replace(q.text, " ", 1)
    return not _WORDS.search(rest)


def _join(sentences: list[str]) -> str:
    """Sentences of one line back together: a space before one that starts in Latin script."""
    return "".join(s if i == 0 or not s[:1].isascii() else " " + s for i, s in enumerate(sentences))


def _keep_supported(
    text: str, sources: list[str], repair_figure: Repairer | None
) -> tuple[str, list[Notice]]:
    """Each line's sentences whose figures their cited sources state; the others repaired with
    the source's figure, or left out."""
    text, _ = cite.repair(text, sources)
    by_marker = {i + 1: s for i, s in enumerate(sources)}
    notices: list[Notice] = []
    lines = []
    for line in text.split("\n"):
        kept = []
        for sentence in split_sentences(line):
            if _bare_figures(sentence):
                notices.append(Notice("withheld_sentence", sentence=strip_markers(sentence)))
                continue
            if not cite.unsupported_sentences(sentence, by_marker, sources):
                kept.append(sentence)
                continue
            fixed = repair_figure(sentence, sources) if repair_figure else None
            if fixed:  # the figure may be another source's: point the marker there
                fixed = cite.repair(fixed, sources)[0]
            if fixed and not cite.unsupported_sentences(fixed, by_marker, sources):
                was, now = strip_markers(sentence), strip_markers(fixed)
                notices.append(Notice("figure_repaired", was=was, now=now))
                kept.append(fixed)
            elif trimmed := _supported_clauses(sentence, by_marker, sources, repair_figure):
                shown, said = trimmed
                notices += said
                kept.append(shown)
            else:
                notices.append(Notice("withheld_sentence", sentence=strip_markers(sentence)))
        if kept or not line.strip():
            lines.append(_join(kept))
    return "\n".join(lines).strip(), notices


def _in_chinese(repair: Repairer) -> Repairer:
    def repaired(sentence: str, sources: list[str]) -> str | None:
        fixed = repair(sentence, sources)
        return chinese_amounts(fixed) if fixed else fixed

    return repaired


def _supported_clauses(
    sentence: str, by_marker: dict[int, str], sources: list[str], repair: Repairer | None
) -> tuple[str, list[Notice]] | None:
    """The sentence without its clauses whose figures its sources do not state ("Zhengzhou has
    over 800 companies, with 40%-60% of the content [2]." keeps its first clause), each such
    clause repaired first if it can be; None when no clause stating a figure would be left."""
    parts, ending = clauses(sentence)

    def supported(clause: str) -> bool:
        return not cite.unsupported_sentences(clause + ending, by_marker, sources)

    kept: list[str] = []
    notices: list[Notice] = []
    for clause in parts:
        fixed = repair(clause + ending, sources) if repair and not supported(clause) else None
        fixed = fixed[: len(fixed) - len(ending)] if fixed and fixed.endswith(ending) else None
        if supported(clause):
            kept.append(clause)
        elif fixed and supported(fixed):
            was, now = (strip_markers(c).strip(" ，,;；") for c in (clause, fixed))
            notices.append(Notice("figure_repaired", was=was, now=now))
            kept.append(fixed)
        else:
            notices.append(Notice("withheld_sentence", sentence=clause.strip(" ，,;；")))
    if len(kept) == len(parts) and not notices or not any(quantities.quantities(c) for c in kept):
        return None
    return join_clauses(kept, ending), notices


def settle(
    text: str,
    sources: list[str],
    lang: Lang,
    repair_figure: Repairer | None = None,
    *,
    final: bool = True,
    context: Sequence[str] = (),
    about: conflicts.About | None = None,
    quoted: bool = False,
    every: bool = False,
    names: NameTable | None = None,
) -> Settled:
    """The answer as it may be shown (see the module docstring). The `final` answer also says
    where the sources, or the other retrieved passages (`context`, numbered after them), give
    different figures for what it states (`conflicts.py`; `about` tells a sentence naming the
    question's key terms), and then no longer that they agree; with `every` (the question asks
    for each source's figure), each source's figure even where they agree. `names`: the
    corpus's names, written in Chinese in a Chinese answer."""
    if repair_figure is not None and lang == "zh":  # the source's figure, in 万/亿 too
        repair_figure = _in_chinese(repair_figure)
    written = text if quoted else in_language(text, lang, names)  # quotes stay as written
    kept, notices = _keep_supported(written, sources, repair_figure)
    found = conflicts.disagreements(kept, sources, list(context), about, every) if final else []
    differ = any(d.differs for d in found)
    pool = [*sources, *context] if found else sources
    dropped: list[int] = []
    lines = conflicts.stated(found, lang).split("\n") if found else []
    if found:  # the model's markers past `sources` point nowhere, whatever `context` holds
        dropped = [int(n) for n in MARKER.findall(kept) if not 1 <= int(n) <= len(sources)]
        kept = MARKER.sub(lambda m: m.group(0) if 1 <= int(m[1]) <= len(sources) else "", kept)
        kept = conflicts.without_agreement(kept) if differ else kept
        kept = "\n".join([kept, *lines])
    checked = cite.check(kept, pool)
    if dropped:
        checked = replace(checked, dropped=[*dropped, *checked.dropped])
    if differ:  # the disagreement lines as renumbered, after the lead
        lead = conflicts.LEADS["zh" if lang == "zh" else "en"].strip()
        said = checked.text.split("\n")[-len(lines) :]
        values = [line[len(lead) :].strip().rstrip("。.") for line in said if line.startswith(lead)]
        figures = [figure for d in found if d.differs for figure, _ in d.figures]
        joined = ("；" if lang == "zh" else "; ").join(values)
        notices.append(Notice("conflict", values=joined, figures=figures))
    return Settled(checked, tuple(notices))


class SentenceGate:
    """Lets a streamed answer through a sentence at a time, each settled as the whole answer
    will be, and only up to its last sentence that cites a source: `feed(delta)` returns the
    text that may be shown now, `close()` the rest that cites a source; the final answer
    (`settle` on the whole text) then shows what else it keeps."""

    def __init__(self, settle_prefix: Callable[[str], str]) -> None:
        self._settle = settle_prefix
        self._raw = ""
        self._shown = ""
        self._complete = ""

    def _release(self, text: str) -> str:
        settled = self._settle(text)
        last = list(_CITED_END.finditer(settled))  # a sentence tied to no source may be withheld
        settled = settled[: last[-1].end()] if last else ""
        if not settled.startswith(self._shown):  # an earlier sentence changed: show it at the end
            return ""
        new, self._shown = settled[len(self._shown) :], settled
        return new

    def feed(self, delta: str) -> str:
        self._raw += delta
        pieces = split_sentences(self._raw)
        if len(pieces) < 2 and not self._raw.endswith("\n"):
            return ""
        # all but the last piece are complete sentences (the last may still be growing)
        complete = self._raw[: self._raw.rfind(pieces[-1])] if len(pieces) > 1 else self._raw
        if complete.strip() == self._complete:
            return ""  # no new sentence since the last look
        self._complete = complete.strip()
        return self._release(complete)

    def close(self) -> str:
        return self._release(self._raw)


def gated(deltas: Iterable[str], gate: SentenceGate) -> Iterator[str]:
    """The settled pieces of a stream of deltas."""
    for delta in deltas:
        if shown := gate.feed(delta):
            yield shown
    if rest := gate.close():
        yield rest
