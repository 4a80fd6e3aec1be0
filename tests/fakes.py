"""Fakes that keep behaviour, for fast unit tests (integration tests use the real parts)."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from pydantic import PrivateAttr

from index.text.tokenize import tokenize

DIM = 64


def hash_vector(text: str) -> list[float]:
    """Bag of hashed tokens, L2-normalised: texts sharing words are near, others far."""
    vec = [0.0] * DIM
    for token in tokenize(text) or ["<empty>"]:
        slot = int(hashlib.md5(token.encode()).hexdigest(), 16) % DIM
        vec[slot] += 1.0
    norm = math.sqrt(sum(v * v for v in vec))
    return [v / norm for v in vec]


class HashEmbedding(BaseEmbedding):
    """Deterministic, content-dependent unit vectors."""

    _calls: list[int] = PrivateAttr(default_factory=list)

    def __init__(self, name: str = "fake/hash-64", **kwargs: Any) -> None:
        super().__init__(model_name=name, **kwargs)

    @property
    def embedded(self) -> int:
        """How many passages were embedded so far."""
        return sum(self._calls)

    def _get_query_embedding(self, query: str) -> list[float]:
        return hash_vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return hash_vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        self._calls.append(1)
        return hash_vector(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        self._calls.append(len(texts))
        return [hash_vector(t) for t in texts]


class ScriptedLLM(CustomLLM):
    """Replays scripted replies in order (streaming them word by word, `delay_s` before each
    word) and records prompts."""

    replies: list[str] = []
    prompts: list[str] = []
    fail_with: Exception | None = None
    delay_s: float = 0.0

    def __init__(
        self, replies: Sequence[str], fail_with: Exception | None = None, delay_s: float = 0.0
    ) -> None:
        super().__init__(replies=list(replies), prompts=[], fail_with=fail_with, delay_s=delay_s)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=False, model_name="scripted")

    def _next(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if self.fail_with is not None:
            raise self.fail_with
        return self.replies.pop(0) if self.replies else "OK"

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self._next(prompt))

    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        reply = self._next(prompt)

        def gen() -> CompletionResponseGen:
            text = ""
            for word in reply.split(" "):
                time.sleep(self.delay_s)
                delta = word if not text else " " + word
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()
