"""Domain exceptions of batch evaluation. Each message names the bad value and the fix."""

from __future__ import annotations

from rag.errors import RagError


class EvaluationError(RagError):
    """Base class of the errors `rag eval` raises on purpose."""


class QuestionSetError(EvaluationError, ValueError):
    """A question set that cannot be read; the message names the file, the line and the fault."""


class RunNotFoundError(EvaluationError):
    """A folder that holds no finished `rag eval` run (no metrics.json / results.jsonl)."""
