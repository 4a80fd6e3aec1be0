"""Domain exceptions of the answer side. Each message names the bad value and the fix."""

from __future__ import annotations

from index.errors import RagIndexError


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


USER_ERRORS: tuple[type[BaseException], ...] = (RagError, RagIndexError, ValueError)
"""Errors whose message is meant for the reader (it names the bad value and the fix): the domain
errors of `rag` and `index`, and bad input (ValueError). Anything else is a bug, for the log."""


def is_user_error(err: BaseException) -> bool:
    return isinstance(err, USER_ERRORS)


class UnknownDocumentError(RagError, LookupError):
    """No document of that id in the collection."""


class NotInCollectionError(RagError, LookupError):
    """A file asked for by name is not one of the collection's own files."""


class UnknownPassageError(RagError, LookupError):
    """No chunk of that id in the collection."""


class CollectionExistsError(RagError, ValueError):
    """A collection of that name exists already."""
