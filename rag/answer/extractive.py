"""The answerer with no LLM: the best-supported sentences of the top contexts, with citations.

Always available; also the fallback whenever an LLM fails, and the quotes shown in place of a
withheld answer. It quotes, so its numbers are always the sources' own. A quote must hold the
kind of answer the question asks for (a figure for "how many", a date for "when", a name for
"who"; a place or a thing may be a common noun, so "where" and "which" ask nothing of it): a
sentence holding it is preferred, and when no quoted sentence does, there is
no answer to quote (the caller refuses). Nor is there when no quote speaks of what the question
asks (`kinds.about`).
"""

from __future__ import annotations

from index.text.overlap import word_overlap
from index.text.rules import HAN_CHAR
from index.types import Chunk, Scored
from rag.answer.checks.citations import place_marker
from rag.answer.kinds import about, holds
from rag.answer.record import sentences_of
from rag.corpus.names import NameTable
from rag.question import Question

KIND_BONUS = 1.0  # a sentence holding the kind of answer asked outranks a closer wording
# When some quote shares WORDED of the question's words (it is asked in the passages' words), a
# quote sharing less than RELATIVE of the best one's share speaks of something else; a question
# worded unlike every passage (a paraphrase) leaves the retrieval rank to vouch for its quotes.
WORDED, RELATIVE = 0.3, 0.5


def extract(
    question: Question,
    contexts: list[Scored[Chunk]],
    *,
    max_quotes: int = 3,
    min_quotes: int = 2,
    names: NameTable | None = None,
) -> list[tuple[int, str]]:
    """(source number, sentence) pairs to quote, in source order; none when no sentence holds
    the kind of answer asked.

    Sentences are ranked by overlap with the question's keywords, a bonus for holding the kind of
    answer asked, and a prior for the retrieval rank (so a cross-lingual question, with no shared
    words, still quotes the best contexts). The first `min_quotes` contexts always contribute
    their best sentence.
    """
    text = question.text

    def score(sentence: str) -> float:
        kind = KIND_BONUS if holds(sentence, question.asks, question, names) else 0.0
        return word_overlap(text, sentence) + kind

    scored: list[tuple[float, int, str]] = []
    for rank, ctx in enumerate(contexts):
        sentences = sentences_of(ctx.item.text) or [ctx.item.text]
        best = max(sentences, key=score)
        prior = 1.0 / (rank + 1)
        bonus = 1.0 if rank < min_quotes else 0.0
        scored.append((score(best) + prior + bonus, rank + 1, best))
    scored.sort(key=lambda t: (-t[0], t[1]))
    floor = _relevance_floor(text, [s for _, _, s in scored])
    picked = sorted(
        (n, s)
        for value, n, s in scored[:max_quotes]
        if value >= 0.5 and (_other_script(text, s) or word_overlap(text, s) >= floor)
    )
    if not any(holds(s, question.asks, question, names) for _, s in picked):
        return []
    if not about([s for _, s in picked], question):  # they name its subject, say nothing of it
        return []
    return picked


def _relevance_floor(question: str, sentences: list[str]) -> float:
    """How much of the question a quote in its script must share (see WORDED)."""
    shares = [word_overlap(question, s) for s in sentences if not _other_script(question, s)]
    best = max(shares, default=0.0)
    return RELATIVE * best if best >= WORDED else 0.0


def _other_script(question: str, sentence: str) -> bool:
    """Across scripts words cannot be compared: the retrieval rank vouches for the quote."""
    return bool(HAN_CHAR.search(question)) != bool(HAN_CHAR.search(sentence))


def render(lead: str, quotes: list[tuple[int, str]]) -> str:
    lines = [lead] + [f"- {place_marker(sentence, n)}" for n, sentence in quotes]
    return "\n".join(lines)
