"""What a check reports about a draft, and what it may read: `Finding`, `Conflict`, `Context`.

A check never rewrites the answer's text for the next check to parse again: it returns findings,
each naming the sentence it concerns, what becomes of it (rewritten, removed, a sentence added,
the whole answer withheld), why (the check and its notice), and, for disagreeing sources, the
figures and their sources as data. `apply` turns findings into the next state of the record;
`rag/answer/render.py` writes the final state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from index.types import Chunk, Lang, Scored
from rag.answer.localise import chinese_amounts
from rag.answer.numbers.dates import absolute_years
from rag.answer.record import Record, Sentence, Source, sources
from rag.corpus.names import NameTable
from rag.notices import Notice
from rag.question import Question

Action = Literal["rewrite", "remove", "add", "withhold", "refuse", "note"]
Repairer = Callable[[str, tuple[Source, ...]], str | None]  # a sentence -> repaired, or None


@dataclass(frozen=True)
class Conflict:
    """Each source's figure for one figure of the answer (the answer's own first)."""

    figures: tuple[tuple[str, int], ...]  # (figure as its source writes it, source number)
    differs: bool = True  # False: asked for every source's figure, and they agree


@dataclass(frozen=True)
class Finding:
    check: str  # the check that found it
    action: Action
    at: int | None = None  # the sentence (index in the record) for rewrite and remove
    text: str = ""  # rewrite: the sentence as it is to be shown; add: the sentence added
    notice: Notice | None = None
    conflict: Conflict | None = None


@dataclass(frozen=True)
class Context:
    """What the checks read besides the draft: the passages it may cite (`sources`, numbered
    1..n as in the prompt), the other retrieved passages (`others`, numbered after them; only
    the sources' figures check reads them), the question, and what is being checked."""

    sources: tuple[Source, ...]
    lang: Lang
    final: bool = True  # the whole answer (not a prefix while it streams)
    from_llm: bool = True  # False: the extractive answer, the sources' own sentences
    others: tuple[Source, ...] = ()
    question: Question | None = None  # None: no key terms are checked
    names: NameTable | None = None  # the corpus's names, written in Chinese in a Chinese answer
    repair: Repairer | None = None  # a figure no source states -> the source's own wording
    instructions: str = ""  # the system prompt (an answer repeating it is withheld)
    refusals: tuple[str, ...] = ()  # the fixed refusal sentences

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sources]

    @property
    def pool(self) -> tuple[Source, ...]:
        return (*self.sources, *self.others)

    def about(self) -> Callable[[str], bool] | None:
        """Whether a sentence names everything the question names; None when it names nothing."""
        q = self.question
        return q.about if q is not None and q.terms else None


@dataclass(frozen=True)
class State:
    """A record and everything found about it so far."""

    record: Record
    findings: tuple[Finding, ...] = ()
    withheld: bool = False  # the checks withheld the whole answer
    refused: bool = False  # the answer says the sources do not have it

    def notices(self) -> list[Notice]:
        return [f.notice for f in self.findings if f.notice is not None]


def apply(state: State, found: Iterable[Finding]) -> State:
    """The record as the findings leave it: sentences rewritten, removed or added (each added
    sentence on a line of its own), the answer withheld."""
    found = tuple(found)
    sentences = list(state.record.sentences)
    removed = set(state.record.removed)
    lines = state.record.lines
    withheld, refused = state.withheld, state.refused
    for finding in found:
        if finding.action == "rewrite" and finding.at is not None:
            sentences[finding.at] = sentences[finding.at].with_text(finding.text)
        elif finding.action == "remove" and finding.at is not None:
            removed.add(finding.at)
        elif finding.action == "add":
            sentences.append(Sentence(finding.text, lines, added=True))
            lines += 1
        elif finding.action == "withhold":
            withheld = True
        elif finding.action == "refuse":
            refused = True
    record = replace(
        state.record, sentences=tuple(sentences), removed=frozenset(removed), lines=lines
    )
    return State(record, (*state.findings, *found), withheld, refused)


@dataclass(frozen=True)
class Check:
    """One declared check: a name (the notice codes it may give are listed with it) and the
    function from the record and its context to findings."""

    name: str
    find: Callable[[Record, Context], list[Finding]]
    codes: tuple[str, ...] = ()
    final_only: bool = False  # needs the whole answer (skipped while it streams)
    llm_only: bool = False  # the model's text only (the extractive answer quotes the sources)


def passages(shown: Sequence[Scored[Chunk]], first: int = 1) -> tuple[Source, ...]:
    """Retrieved passages as a sentence may cite them (title, publisher, date, section and text;
    "this year" in them the year they were published), numbered from `first`."""
    texts = [absolute_years(c.item.embed_text, c.item.published) for c in shown]
    bodies = [absolute_years(c.item.text, c.item.published) for c in shown]
    return sources(texts, first, [c.item.article_id for c in shown], bodies)


def in_chinese(repair: Repairer) -> Repairer:
    """A repairer whose repaired figures are written the Chinese way (万/亿)."""

    def repaired(sentence: str, found: tuple[Source, ...]) -> str | None:
        fixed = repair(sentence, found)
        return chinese_amounts(fixed) if fixed else fixed

    return repaired
