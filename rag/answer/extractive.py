"""The answerer with no LLM: the best-supported sentences of the top contexts, with citations.

Always available; also the fallback whenever an LLM fails. It quotes, so its numbers are
always the sources' own.
"""

from __future__ import annotations

from index.text.overlap import word_overlap
from index.types import Chunk, Scored
from rag.answer.checks.citations import place_marker
from rag.answer.record import sentences_of


def extract(
    question: str, contexts: list[Scored[Chunk]], *, max_quotes: int = 3, min_quotes: int = 2
) -> list[tuple[int, str]]:
    """(source number, sentence) pairs to quote, in source order.

    Sentences are ranked by overlap with the question's keywords plus a prior for the
    retrieval rank (so a cross-lingual question, with no shared words, still quotes the best
    contexts). The first `min_quotes` contexts always contribute their best sentence.
    """
    scored: list[tuple[float, int, str]] = []
    for rank, ctx in enumerate(contexts):
        sentences = sentences_of(ctx.item.text) or [ctx.item.text]
        best = max(sentences, key=lambda s: word_overlap(question, s))
        prior = 1.0 / (rank + 1)
        score = word_overlap(question, best) + prior + (1.0 if rank < min_quotes else 0.0)
        scored.append((score, rank + 1, best))
    scored.sort(key=lambda t: (-t[0], t[1]))
    picked = [(n, s) for score, n, s in scored[:max_quotes] if score >= 0.5]
    return sorted(picked)


def render(lead: str, quotes: list[tuple[int, str]]) -> str:
    lines = [lead] + [f"- {place_marker(sentence, n)}" for n, sentence in quotes]
    return "\n".join(lines)
