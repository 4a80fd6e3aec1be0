"""What the model is shown and what the reader is told of a passage: the prompt's messages,
the fixed refusal, a passage's publisher by the name readers know, citations."""

from __future__ import annotations

from typing import Any

from index.publishers import Publishers
from index.types import Chunk, Lang, Scored
from rag.lang import pack
from rag.prompts import Prompts
from rag.types import Citation


def said(chunk: Chunk) -> str:
    """What the model is shown of a passage: its title and text."""
    return f"{chunk.title}\n{chunk.text}"


def publisher_label(chunk: Chunk, lang: Lang, publishers: Publishers) -> str | None:
    return publishers.display_name(chunk.publisher, lang, chunk.url)


def to_citation(n: int, chunk: Chunk, lang: Lang, publishers: Publishers) -> Citation:
    return Citation(
        n=n,
        file=chunk.file,
        title=chunk.title,
        publisher=publisher_label(chunk, lang, publishers),
        published=chunk.published,
        quote=chunk.text,
        refs=chunk.refs,
        chunk_id=chunk.chunk_id,
        url=chunk.url,
        page=chunk.page,
        section=chunk.section,
    )


def refusal(prompts: Prompts, lang: Lang) -> str:
    return prompts.text(f"refusal_{lang}")


def system_prompt(prompts: Prompts) -> str:
    return prompts.render(
        "answer_system", refusal_en=refusal(prompts, "en"), refusal_zh=refusal(prompts, "zh")
    )


def messages(
    prompts: Prompts,
    question: str,
    contexts: list[Scored[Chunk]],
    lang: Lang,
    publishers: Publishers,
    max_chars: int,
) -> list[Any]:
    """The system prompt (fixed, first, so llama.cpp reuses it), then the numbered sources and
    the question."""
    from llama_index.core.llms import ChatMessage, MessageRole

    sources = "\n\n".join(
        prompts.render(
            "source",
            n=i + 1,
            title=c.item.title,
            publisher=publisher_label(c.item, lang, publishers) or "?",
            date=c.item.published.date().isoformat() if c.item.published else "?",
            text=c.item.text[:max_chars],
        )
        for i, c in enumerate(contexts)
    )
    user = prompts.render(
        "answer_user", sources=sources, question=question, language_name=pack(lang).name
    )
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=system_prompt(prompts)),
        ChatMessage(role=MessageRole.USER, content=user),
    ]
