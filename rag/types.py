"""Domain types of the answer side: filters, citations, answers, stream events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NoReturn, TypeVar

from index.types import Chunk, Lang, Scored

T = TypeVar("T")


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
    page: int | None = None  # 1-based page of a PDF or scan the quote is on
    section: str | None = None  # the heading it is under (Word, web pages, report sections)


class ReadOnlyList(list[T]):
    """A list that refuses changes; equal to a list with the same items, and JSON like one."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("an Answer is immutable: build a new one with dataclasses.replace")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse  # type: ignore[assignment]
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[ReadOnlyList[T]], tuple[list[T]]]:
        return type(self), (list(self),)  # copy and pickle without calling append


class ReadOnlyDict(dict[str, float]):
    """A dict that refuses changes; equal to a dict with the same items, and JSON like one."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("an Answer is immutable: build a new one with dataclasses.replace")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[ReadOnlyDict], tuple[dict[str, float]]]:
        return type(self), (dict(self),)


@dataclass(frozen=True)
class Answer:
    """The checked, final answer; built once. A later stage adds fields with
    `dataclasses.replace`. Its lists and timings are read-only (and equal to plain ones)."""

    text: str
    citations: Sequence[Citation]
    contexts: Sequence[Scored[Chunk]]
    refused: bool
    language: Lang
    backend: str
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    notices: Sequence[str] = ()
    question: str = ""
    standalone_question: str = ""  # the follow-up rewritten from the history, if it was one

    def __post_init__(self) -> None:
        for name in ("citations", "contexts", "notices"):
            object.__setattr__(self, name, ReadOnlyList(getattr(self, name)))
        object.__setattr__(self, "timings_ms", ReadOnlyDict(self.timings_ms))


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
