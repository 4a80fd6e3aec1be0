"""Answers as records and as terminal text: pure functions shared by the CLI, the HTTP API,
evaluation and the page (whose HTML is in `ui/page.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from index.publishers import Publishers
from index.text.rules import MARKER, split_sentences, strip_markers
from index.types import Chunk, Scored
from rag import notices
from rag.corpus.profile import CorpusProfile
from rag.types import Answer, Citation

__all__ = [
    "MARKER",  # `[n]` in Answer.text, pointing at Citation n (one rule, in index.text.rules)
    "PassageView",
    "Retrieved",
    "answer_record",
    "citation_record",
    "format_answer",
    "format_sources",
    "locator",
    "passage_view",
    "CorpusProfile",
    "Publishers",
    "sentences_citing",
    "source_line",
]

Retrieved = Scored[Chunk]
"""A passage as retrieval ranked it (`ContextsEvent.contexts`, `Answer.contexts`)."""


@dataclass(frozen=True)
class PassageView:
    """A retrieved passage as a reader sees it, as `Citation` is for a cited one."""

    title: str
    publisher: str | None  # the name the reader knows in the page's language (36Kr / 36氪)
    published: datetime | None
    file: str
    refs: tuple[int, ...]
    text: str  # the clean passage, without its contextual header
    url: str | None
    score: float
    page: int | None = None  # 1-based page of a PDF or scan


def passage_view(scored: Retrieved, lang: str, publishers: Publishers) -> PassageView:
    """What a reader is shown of a retrieved passage, its publisher named for `lang` by the
    corpus's table (`Assistant.profile.publishers`)."""
    c = scored.item
    return PassageView(
        title=c.title,
        publisher=publishers.display_name(c.publisher, lang, c.url),
        published=c.published,
        file=c.file,
        refs=c.refs,
        text=c.text,
        url=c.url,
        score=scored.score,
        page=c.page,
    )


def sentences_citing(text: str, n: int) -> list[str]:
    """The sentences of an answer that carry marker `[n]`, markers removed: what source n
    supports."""
    return [strip_markers(s) for s in split_sentences(text) if f"[{n}]" in s]


def citation_record(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        "file": c.file,
        "title": c.title,
        "publisher": c.publisher,
        "published": c.published.isoformat() if c.published else None,
        "quote": c.quote,
        "refs": list(c.refs),
        "page": c.page,
        "section": c.section,
    }


def answer_record(answer: Answer, id: str | None = None) -> dict[str, Any]:
    """One line of a results file (DESIGN.md: "Results file")."""
    return {
        "id": id,
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [citation_record(c) for c in answer.citations],
        "retrieved": [
            {
                "rank": rank,
                "file": s.item.file,
                "title": s.item.title,
                "chunk_id": s.item.chunk_id,
                "score": s.score,
                "text": s.item.text,
            }
            for rank, s in enumerate(answer.contexts, start=1)
        ],
        "timings_ms": {
            key: answer.timings_ms.get(key, 0.0) for key in ("retrieve", "generate", "total")
        },
        "backend": answer.backend,
        "language": answer.language,
        "standalone_question": answer.standalone_question,
        "notices": [notices.record(n) for n in answer.notices],
    }


def source_line(c: Citation) -> str:
    """`[1] 标题 — 36Kr, 2025-09-24 · 001_x.txt ¶15,21`, or for a PDF with a section
    `[2] Report · report.pdf p. 2 · Market size ¶7`."""
    meta = ", ".join(
        x for x in (c.publisher, c.published.date().isoformat() if c.published else None) if x
    )
    return f"[{c.n}] {c.title}" + (f" — {meta}" if meta else "") + f" · {c.file}{locator(c)}"


def locator(c: Citation) -> str:
    """Where in its file a quote is: ` p. 2`, ` · Market size`, ` ¶15,21` (each when known),
    in that order; "" when none is."""
    page = f" p. {c.page}" if c.page else ""
    section = f" · {c.section}" if c.section else ""
    refs = f" ¶{','.join(map(str, c.refs))}" if c.refs else ""
    return page + section + refs


def format_sources(answer: Answer) -> str:
    lines = [source_line(c) + f"\n    “{c.quote}”" for c in answer.citations]
    lines += [f"! {notices.message(n, answer.language)}" for n in answer.notices]
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    """The terminal rendering: the answer, then its sources and notices."""
    tail = format_sources(answer)
    return answer.text + ("\n\n" + tail if tail else "")
