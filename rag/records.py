"""Answers as records and as terminal text: pure functions shared by the CLI, the HTTP API and
evaluation (the page's HTML is in `rag/page.py`)."""

from __future__ import annotations

from typing import Any

from rag.types import Answer, Citation


def citation_record(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        "file": c.file,
        "title": c.title,
        "publisher": c.publisher,
        "published": c.published.isoformat() if c.published else None,
        "quote": c.quote,
        "refs": list(c.refs),
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
        "notices": list(answer.notices),
    }


def source_line(c: Citation) -> str:
    """`[1] 标题 — 36Kr, 2025-09-24 · 001_x.txt ¶15,21`"""
    meta = ", ".join(
        x for x in (c.publisher, c.published.date().isoformat() if c.published else None) if x
    )
    refs = f" ¶{','.join(map(str, c.refs))}" if c.refs else ""
    return f"[{c.n}] {c.title}" + (f" — {meta}" if meta else "") + f" · {c.file}{refs}"


def format_sources(answer: Answer) -> str:
    lines = [source_line(c) + f"\n    “{c.quote}”" for c in answer.citations]
    lines += [f"! {n}" for n in answer.notices]
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    """The terminal rendering: the answer, then its sources and notices."""
    tail = format_sources(answer)
    return answer.text + ("\n\n" + tail if tail else "")
