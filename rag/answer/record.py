"""Text parsed once: a draft answer into lines and sentences, a source passage into its sentences.

`parse(text) -> Record` is the only place in `rag/answer` that cuts text into sentences. Every
check (`rag/answer/checks/`) reads the record and the parsed sources and reports findings; the
renderer (`rag/answer/render.py`) writes the record back into text. A sentence a check rewrites is
replaced as a whole; nothing is cut into sentences again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from index.text.rules import MARKER, split_sentences, strip_markers
from rag.answer.numbers.quantities import Quantity, quantities

_MARKER_GROUP = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、;；]\s*\d+)*)\s*[\]】]")


_MARKER_RUN = re.compile(r"\[\d+\](?:\s*(?:[,，、;；]|and|和|与)?\s*\[\d+\])+")


def normalise_markers(text: str) -> str:
    """`[1, 2]`, `[1，2]`, `【3】` -> `[1][2]`, `[3]`; a list of markers one clean group, each
    source once: `[1], [1], [2], [3]` -> `[1][2][3]`."""

    def expand(m: re.Match[str]) -> str:
        return "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1)))

    def group(m: re.Match[str]) -> str:
        return "".join(f"[{n}]" for n in dict.fromkeys(re.findall(r"\d+", m.group(0))))

    return _MARKER_RUN.sub(group, _MARKER_GROUP.sub(expand, text))


def sentences_of(text: str) -> list[str]:
    """The sentences of a text: each line's, a line's leading markers kept with the sentence
    before them (`index.text.split_sentences`)."""
    return split_sentences(text)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a draft: its text as it would be shown (markers inline), the line it is
    on, and, read once, its markers and its figures."""

    text: str
    line: int
    added: bool = False  # written by a check (a line of the sources' figures), not the model

    @cached_property
    def markers(self) -> tuple[int, ...]:
        return tuple(int(n) for n in MARKER.findall(self.text))

    @cached_property
    def plain(self) -> str:
        """Without its markers."""
        return strip_markers(self.text)

    @cached_property
    def figures(self) -> tuple[Quantity, ...]:
        return tuple(quantities(self.plain))

    def with_text(self, text: str) -> Sentence:
        return replace(self, text=text)


@dataclass(frozen=True)
class Record:
    """A draft answer: its sentences in order, each on its line (`lines` lines in all)."""

    sentences: tuple[Sentence, ...]
    lines: int = 1
    removed: frozenset[int] = field(default_factory=frozenset)  # sentences left out, by index
    text: str = ""  # as it was parsed

    def kept(self) -> list[tuple[int, Sentence]]:
        return [(i, s) for i, s in enumerate(self.sentences) if i not in self.removed]


def parse(text: str) -> Record:
    """A draft answer, markers normalised (`[1, 2]` -> `[1][2]`), cut into lines and sentences."""
    lines = normalise_markers(text).strip().split("\n")
    sentences = tuple(
        Sentence(sentence, number)
        for number, line in enumerate(lines)
        for sentence in sentences_of(line)
    )
    return Record(sentences, len(lines), text=text)


@dataclass(frozen=True)
class Source:
    """A passage an answer may cite, numbered as the prompt numbers it: its text (title,
    publisher, date and section included: all a sentence may cite) and, read once, its
    sentences and figures."""

    n: int
    text: str
    article: str = ""  # the article it is a passage of
    heading: str = ""  # the start of `text` that is its title, publisher, date and section

    @property
    def body(self) -> str:
        """Its words, without its heading."""
        return self.text[len(self.heading) :]

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        return tuple(sentences_of(self.text))

    @cached_property
    def figures(self) -> tuple[Quantity, ...]:
        return tuple(quantities(self.text))

    @cached_property
    def sentence_figures(self) -> tuple[tuple[str, tuple[Quantity, ...]], ...]:
        return tuple((s, tuple(quantities(s))) for s in self.sentences)


def sources(
    texts: list[str],
    first: int = 1,
    articles: list[str] | None = None,
    bodies: list[str] | None = None,
) -> tuple[Source, ...]:
    """Passages numbered from `first` (with the articles they are passages of, and their words
    without their headings, if given)."""
    articles = articles or [""] * len(texts)
    bodies = bodies or texts
    return tuple(
        Source(first + i, t, a, t[: len(t) - len(b)] if b and t.endswith(b) else "")
        for i, (t, a, b) in enumerate(zip(texts, articles, bodies, strict=True))
    )
