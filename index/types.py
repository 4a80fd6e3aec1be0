"""Domain types of the index: articles parsed from report exports, chunks cut from them, scores.

Plain dataclasses, no behaviour beyond derived identifiers. `rag.types` adds the answer side
(Citation, Answer) on top of these.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

Lang = Literal["zh", "en"]


def stable_id(*parts: str) -> str:
    """A short hex digest of the parts; the same parts always give the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Paragraph:
    """A bullet of an English export (with its section heading) or a paragraph of prose."""

    text: str
    section: str | None = None
    page: int | None = None  # 1-based page of a PDF or scan; None for files without pages
    number: int | None = None  # the paragraph's number in its document (Word, web page, PDF)


@dataclass(frozen=True)
class Article:
    """One report inside an export file."""

    file: str  # the export's file name, e.g. "001_4b70c0adcfe8b3ab.txt"
    title: str
    paragraphs: tuple[Paragraph, ...]  # body: bullets (English exports) or prose paragraphs
    publisher: str | None = None  # as written in the export, e.g. "3 6 Ke"
    published: datetime | None = None
    topic: str | None = None  # the export's search-topic line, e.g. "微短剧精品化"
    url: str | None = None
    lang: Lang = "en"
    path: str = ""  # where the file was read from (absolute); "" for in-memory articles
    pages: int = 0  # the file's page count (PDF, image: 1); 0 for files without pages

    @property
    def article_id(self) -> str:
        return stable_id(self.file, self.title)


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: one bullet/claim, or a few sentences of prose."""

    chunk_id: str
    article_id: str
    text: str  # shown to readers: the clean bullet, markers removed
    embed_text: str  # embedded and keyword-indexed: contextual header + text
    file: str
    title: str
    section: str | None = None
    refs: tuple[int, ...] = ()  # paragraph markers of the original, [15][21] -> (15, 21)
    publisher: str | None = None
    published: datetime | None = None
    topic: str | None = None
    url: str | None = None
    lang: Lang = "en"
    path: str = ""
    position: int = 0  # order within the article
    page: int | None = None  # 1-based page it is on (a chunk never spans two pages)
    pages: int = 0  # its file's page count, 0 when the file has no pages


T = TypeVar("T")


@dataclass(frozen=True)
class Scored(Generic[T]):
    """An item with the score a retrieval stage gave it (higher is better)."""

    item: T
    score: float
    sources: dict[str, float] = field(
        default_factory=dict
    )  # per-retriever scores, e.g. {"dense": 0.87}
