"""Domain exceptions of batch evaluation. Each message names the bad value and the fix."""

from __future__ import annotations

from rag.errors import RagError


class EvaluationError(RagError):
    """Base class of the errors `rag eval` raises on purpose."""


class QuestionSetError(EvaluationError, ValueError):
    """A question set that cannot be read; the message names the file, the line and the fault."""


class RunNotFoundError(EvaluationError):
    """A folder that holds no finished `rag eval` run (no metrics.json / results.jsonl)."""


class JudgeError(EvaluationError):
    """A judge that could not judge (an endpoint down, a reply neither yes nor no): the statement
    is counted as not judged and the run goes on."""
