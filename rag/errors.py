"""Domain exceptions of the answer side. Each message names the bad value and the fix."""

from __future__ import annotations


class RagError(Exception):
    """Base class of every error this package raises on purpose."""


class ModelUnavailableError(RagError):
    """Local model weights (or their part packages) are missing or do not verify."""


class LLMUnavailableError(RagError):
    """An LLM backend cannot be built or reached (missing package, dead endpoint, ...)."""


class LLMTimeoutError(RagError):
    """A generation ran longer than `llm_timeout_s`."""


class QuestionError(RagError, ValueError):
    """The question cannot be asked: empty, only whitespace, or over the length limit."""


class BackendError(RagError, ValueError):
    """An unknown LLM backend name."""
