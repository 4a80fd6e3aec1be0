"""Domain types of the answer side: filters, citations, answers, stream events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from index.types import Chunk, Lang, Scored


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval. Publishers match by any known name (36Kr, 36氪, "3 6 Ke")."""

    publishers: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return not (self.publishers or self.files or self.date_from or self.date_to)


@dataclass(frozen=True)
class Citation:
    """A source the answer used: `[n]` in Answer.text points here."""

    n: int
    file: str
    title: str
    publisher: str | None  # the usual name (36Kr, 人民日报), not the romanised export form
    published: datetime | None
    quote: str
    refs: tuple[int, ...]
    chunk_id: str
    url: str | None = None


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    contexts: list[Scored[Chunk]]
    refused: bool
    language: Lang
    backend: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    question: str = ""
    standalone_question: str = ""  # the follow-up rewritten from the history, if it was one


@dataclass(frozen=True)
class ContextsEvent:
    """First event of a stream: what retrieval found, before any token."""

    contexts: list[Scored[Chunk]]
    standalone_question: str


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class AnswerEvent:
    """Last event of a stream: the checked, final answer."""

    answer: Answer


StreamEvent = ContextsEvent | TokenEvent | AnswerEvent

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str
