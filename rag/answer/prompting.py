"""What the model is shown and what the reader is told of a passage: the prompt's messages,
the fixed refusal, a passage's publisher by the name readers know, citations."""

from __future__ import annotations

from typing import Any

from index.publishers import Publishers
from index.text.overlap import word_overlap
from index.text.rules import HAN_CHAR, join_words
from index.types import Chunk, Lang, Scored
from rag.answer.numbers import periods
from rag.answer.record import sentences_of
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
    source_tokens: int,
) -> list[Any]:
    """The system prompt (fixed, first, so llama.cpp reuses it), then the numbered sources and
    the question."""
    from llama_index.core.llms import ChatMessage, MessageRole

    sources = "\n\n".join(
        prompts.render(
            "source",
            n=i + 1,
            title=cut(c.item.title, TITLE_TOKENS),
            publisher=publisher_label(c.item, lang, publishers) or "?",
            date=c.item.published.date().isoformat() if c.item.published else "?",
            text=snippet(c.item.text, question, budget),
        )
        for i, (c, budget) in enumerate(
            zip(contexts, budgets(contexts, source_tokens), strict=True)
        )
    )
    user = prompts.render(
        "answer_user", sources=sources, question=question, language_name=pack(lang).name
    )
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=system_prompt(prompts)),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def budgets(contexts: list[Scored[Chunk]], source_tokens: int) -> list[int]:
    """How much of each passage the model reads: `source_tokens` each, and what a shorter one
    leaves unread goes to the longer ones, shared evenly ("版权侵权联系电话" beside a long passage
    leaves it room for its last sentence). The budgets never add up to more than
    `source_tokens` for every passage shown."""
    sizes = [_tokens(c.item.text) for c in contexts]
    left = source_tokens * len(sizes)
    given = [0] * len(sizes)
    for done, i in enumerate(sorted(range(len(sizes)), key=sizes.__getitem__)):
        given[i] = min(sizes[i], left // (len(sizes) - done))  # the shortest first: fair shares
        left -= given[i]
    return given


TITLE_TOKENS = 24  # a title derived from an article's lead sentence would cost as much as its text


def snippet(text: str, question: str, budget: int) -> str:
    """What the model is shown of a passage: all of it when it fits `budget` (in estimated
    tokens: a Chinese character is about one, a Latin character a quarter), else its sentences
    that speak most of the question, in their order, as many as fit. Reading the prompt is what
    an answer's time goes to on a laptop CPU; a long Chinese passage cut at a character count
    cost 300 tokens, most of them about something else. A sentence whose own period is not the
    one the question asks of ("6月份…下降8.3%" for "1至6月份") comes after the others, however
    many of its words it shares: it answers another question ("上半年…下降16.8%" does not)."""
    if _tokens(text) <= budget:
        return text
    sentences = sentences_of(text)
    period = periods.asked(question)
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (
            periods.of_another(sentences[i], period),
            -word_overlap(question, sentences[i]),
            i,
        ),
    )
    kept: set[int] = set()
    used = 0
    for i in ranked:
        cost = _tokens(sentences[i])
        if used + cost > budget and kept:
            continue
        kept.add(i)
        used += cost
    shown = ""
    for i in sorted(kept):
        shown = join_words(shown, sentences[i])
    return shown[: budget * 4]


def cut(text: str, budget: int) -> str:
    """`text` cut to about `budget` estimated tokens, an ellipsis marking the cut."""
    if _tokens(text) <= budget:
        return text
    out = ""
    for ch in text:
        if _tokens(out + ch) > budget:
            break
        out += ch
    return out.rstrip(" ,，、…") + "…"


def _tokens(text: str) -> int:
    han = len(HAN_CHAR.findall(text))
    return han + (len(text) - han + 3) // 4
