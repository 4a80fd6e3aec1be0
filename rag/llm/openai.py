"""`OpenAICompatible`: any OpenAI-compatible endpoint (llama-index's OpenAILike), with the openai
client's errors translated into domain errors and the API key masked in their messages.

Its HTTP `timeout` is transport configuration (connect and read); the deadline of an answer is
`rag.llm.deadline.within`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from typing import Any, Literal, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    MessageRole,
)
from llama_index.llms.openai.utils import to_openai_message_dicts
from llama_index.llms.openai_like import OpenAILike

from rag.errors import LLMTimeoutError, LLMUnavailableError

T = TypeVar("T")


class OpenAICompatible(OpenAILike):
    """OpenAILike whose errors are domain errors (LLMTimeoutError, LLMUnavailableError)."""

    @classmethod
    def class_name(cls) -> str:
        return "OpenAICompatible"

    def _guard(self, stream: Iterator[T]) -> Generator[T, None, None]:
        with self._translated():
            yield from stream

    def _translated(self) -> _OpenAIErrors:
        return _OpenAIErrors(self.api_base, self.model, self.timeout, self.api_key)

    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        with self._translated():
            return super().chat(messages, **kwargs)

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        """Text deltas of a chat completion. Closing the generator closes the HTTP response at
        once (the openai `Stream` is only freed by the garbage collector otherwise), so a
        request given up by `within` stops the endpoint's generation."""
        with self._translated():
            stream = self._get_client().chat.completions.create(
                messages=to_openai_message_dicts(messages, model=self.model),
                **self._get_model_kwargs(stream=True, **kwargs),
            )
        return self._guard(_chat_responses(stream))

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        with self._translated():
            return super().complete(prompt, formatted=formatted, **kwargs)

    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        return self._guard(super().stream_complete(prompt, formatted=formatted, **kwargs))


def _chat_responses(stream: Any) -> ChatResponseGen:
    text = ""
    with stream:  # closes the response however the loop ends
        for chunk in stream:
            delta = (chunk.choices[0].delta.content or "") if chunk.choices else ""
            text += delta
            yield ChatResponse(
                message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta
            )


class _OpenAIErrors:
    """Turn openai client errors into LLMTimeoutError / LLMUnavailableError, with the API key
    masked wherever the endpoint echoed it (the messages end up in answers' notices and logs)."""

    def __init__(self, base_url: str, model: str, timeout_s: float, key: str | None = None) -> None:
        self.base_url, self.model, self.timeout_s = base_url, model, timeout_s
        self.key = key

    def _masked(self, text: str) -> str:
        return text.replace(self.key, "***") if self.key and len(self.key) >= 4 else text

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: Any, tb: Any) -> Literal[False]:
        import openai

        if exc is None or isinstance(exc, LLMTimeoutError | LLMUnavailableError):
            return False
        if isinstance(exc, openai.APITimeoutError):
            raise LLMTimeoutError(
                f"endpoint {self.base_url} did not answer within llm_timeout_s={self.timeout_s:g}"
            ) from exc
        if isinstance(exc, openai.APIConnectionError):
            raise LLMUnavailableError(
                f"cannot reach the OpenAI-compatible endpoint {self.base_url} "
                f"({self._masked(str(exc))}): start the "
                f"server or set RAG_OPENAI_BASE_URL"
            ) from exc
        if isinstance(exc, openai.APIStatusError):
            raise LLMUnavailableError(
                f"endpoint {self.base_url} answered HTTP {exc.status_code} for model "
                f"{self.model!r}: {self._masked(exc.message)} "
                "(check RAG_OPENAI_MODEL / RAG_OPENAI_API_KEY)"
            ) from None  # the cause carries the endpoint's reply, and with it maybe the key
        import httpx

        if isinstance(exc, httpx.TransportError | openai.APIError):  # e.g. cut off mid-stream
            raise LLMUnavailableError(
                f"the connection to {self.base_url} broke during the answer "
                f"({type(exc).__name__}: {self._masked(str(exc))})"
            ) from None
        return False
