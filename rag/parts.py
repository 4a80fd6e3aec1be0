"""The parts an assistant builds on demand and shares: the embedder, the LLMs per backend, and
stand-ins for what is not built yet or could not be."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


class _HasEmbedder(Protocol):
    @property
    def embedder(self) -> BaseEmbedding: ...


class Models:
    """The parts an assistant shares with its siblings over other collections."""

    def __init__(self) -> None:
        self.embedder: BaseEmbedding | None = None
        self.llms: dict[str, Any] = {}  # backend -> its LLM (one model in memory)
        self.lock = threading.RLock()


class OnDemand:
    """The assistant's embedder, built when the first passage needs embedding."""

    def __init__(self, assistant: _HasEmbedder) -> None:
        self._assistant = assistant

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return self._assistant.embedder.get_text_embedding_batch(texts)


class Unavailable:
    """Stands in for an LLM that could not be built: every call fails, so answers fall back."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def stream_chat(self, messages: Any) -> Iterator[Any]:
        raise RuntimeError(self.reason)

    def chat(self, messages: Any) -> Any:
        raise RuntimeError(self.reason)
