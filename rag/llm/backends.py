"""LLM backends behind llama-index's `LLM` interface, built explicitly from Settings.

- `local` / `local-small`: a GGUF model run in-process by llama-cpp-python (`LlamaCppLLM`).
- `openai`: any OpenAI-compatible endpoint (`OpenAICompatible`, llama-index's OpenAILike).
- `extractive` is not an LLM and is built elsewhere.

Streaming is the primitive: `chat`/`complete` consume `stream_chat`/`stream_complete`. Every stream
is bounded by `llm_timeout_s` (checked between tokens: `LLMTimeoutError`); a backend that cannot be
built or reached raises `LLMUnavailableError` (or `ModelUnavailableError` for missing weights).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms import LLM, CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.llms.openai_like import OpenAILike

from rag.errors import LLMTimeoutError, LLMUnavailableError
from rag.llm.weights import ensure_model
from rag.settings import Settings

log = logging.getLogger(__name__)

LLAMA_CPP_REQUIREMENT = "llama-cpp-python==0.3.36"
LLAMA_CPP_INSTALL = (
    f"scripts/llama_wheel.sh .venv/bin/python (or: pip install {LLAMA_CPP_REQUIREMENT})"
)

T = TypeVar("T")


def make_llm(settings: Settings, backend: str | None = None) -> LLM:
    """Build the LLM of `backend` (default: settings.llm_backend)."""
    backend = backend or settings.llm_backend
    if backend in ("local", "local-small"):
        _import_llama_cpp()  # fail here, not at the first question
        return LlamaCppLLM(
            model_path=str(ensure_model(backend, settings.model_cache_dir)),
            n_ctx=settings.llm_context,
            n_threads=settings.llm_threads,
            max_tokens=settings.max_answer_tokens,
            timeout_s=settings.llm_timeout_s,
        )
    if backend == "openai":
        return OpenAICompatible(
            model=settings.openai_model,
            api_base=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            is_chat_model=True,
            context_window=settings.llm_context,
            max_tokens=settings.max_answer_tokens,
            temperature=0.0,
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )
    if backend == "extractive":
        raise ValueError(
            "'extractive' is not an LLM backend: build the extractive answerer instead"
        )
    raise ValueError(f"unknown LLM backend {backend!r}: choose local, local-small or openai")


def deadline(stream: Iterator[T], timeout_s: float, what: str) -> Generator[T, None, None]:
    """Pass `stream` through, raising LLMTimeoutError once it has run longer than `timeout_s`."""
    started = time.monotonic()
    try:
        for item in stream:
            elapsed = time.monotonic() - started
            if elapsed > timeout_s:
                raise LLMTimeoutError(
                    f"{what} ran {elapsed:.1f} s, over llm_timeout_s={timeout_s:g} "
                    f"(raise RAG_LLM_TIMEOUT_S or shorten the prompt)"
                )
            yield item
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise LLMUnavailableError(
            f"the local LLM needs {LLAMA_CPP_REQUIREMENT}, which is not installed: run "
            f"{LLAMA_CPP_INSTALL}, or `make install`"
        ) from exc
    return llama_cpp


def _last(items: Iterable[T], default: T) -> T:
    for item in items:
        default = item
    return default


def _to_dicts(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": m.role.value, "content": m.content or ""} for m in messages]


class LlamaCppLLM(CustomLLM):
    """A GGUF chat model run by llama.cpp; one Llama per instance, one call at a time.

    Chat uses the GGUF's own chat template. llama.cpp reuses the longest common token prefix of
    consecutive prompts, so callers should keep the fixed part of a prompt first.
    """

    model_path: str = Field(description="The GGUF file.")
    n_ctx: int = Field(default=4096, description="Context window in tokens.")
    n_threads: int = Field(default=2, description="Threads for decoding and prompt evaluation.")
    max_tokens: int = Field(default=320, description="Longest generation.")
    temperature: float = Field(default=0.0, description="0 is greedy decoding.")
    timeout_s: float = Field(
        default=60.0, description="A generation running longer stops with an error."
    )
    ram_cache_bytes: int = Field(
        default=0,
        description="0: off. Else a LlamaRAMCache of this size keeps the KV state of past prompts, "
        "which helps prompts that alternate between prefixes but costs a state copy per call.",
    )

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "LlamaCppLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.n_ctx,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=Path(self.model_path).name,
        )

    def load(self) -> Any:
        """The llama_cpp.Llama, loaded on first use (call it to warm up)."""
        if self._llama is None:
            llama_cpp = _import_llama_cpp()
            started = time.monotonic()
            self._llama = llama_cpp.Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                verbose=False,
            )
            if self.ram_cache_bytes:
                self._llama.set_cache(llama_cpp.LlamaRAMCache(capacity_bytes=self.ram_cache_bytes))
            log.info("loaded %s in %.1f s", self.model_path, time.monotonic() - started)
        return self._llama

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return len(self.load().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    # --- the one core that yields --------------------------------------------------------
    def _deltas(
        self, *, messages: list[dict[str, str]] | None, prompt: str | None, **kw: Any
    ) -> Iterator[str]:
        """Yield text pieces of one generation; holds the lock until the stream ends."""
        if not self._lock.acquire(timeout=self.timeout_s):
            raise LLMTimeoutError(f"the local model stayed busy for {self.timeout_s:g} s")
        try:
            llama = self.load()
            params = {
                "max_tokens": kw.pop("max_tokens", self.max_tokens),
                "temperature": kw.pop("temperature", self.temperature),
                "stream": True,
                **kw,
            }
            if messages is not None:
                chunks = llama.create_chat_completion(messages=messages, **params)
                pieces = (c["choices"][0]["delta"].get("content") or "" for c in chunks)
            else:
                chunks = llama.create_completion(prompt=prompt, **params)
                pieces = (c["choices"][0]["text"] for c in chunks)
            for piece in deadline(
                pieces, self.timeout_s, f"local model {self.metadata.model_name}"
            ):
                if piece:
                    yield piece
        finally:
            self._lock.release()

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = ""
            for delta in self._deltas(messages=_to_dicts(messages), prompt=None, **kwargs):
                text += delta
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta
                )

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        empty = ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=""))
        return _last(self.stream_chat(messages, **kwargs), empty)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        """formatted=True sends `prompt` as raw text; otherwise it is one user chat message."""
        if formatted:
            deltas = self._deltas(messages=None, prompt=prompt, **kwargs)
        else:
            deltas = self._deltas(
                messages=[{"role": "user", "content": prompt}], prompt=None, **kwargs
            )

        def gen() -> CompletionResponseGen:
            text = ""
            for delta in deltas:
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return _last(
            self.stream_complete(prompt, formatted=formatted, **kwargs), CompletionResponse(text="")
        )


class OpenAICompatible(OpenAILike):
    """OpenAILike whose errors are domain errors and whose streams obey `timeout` in total."""

    @classmethod
    def class_name(cls) -> str:
        return "OpenAICompatible"

    def _guard(self, stream: Iterator[T]) -> Generator[T, None, None]:
        with self._translated():
            yield from deadline(stream, self.timeout, f"endpoint {self.api_base}")

    def _translated(self) -> Any:
        return _OpenAIErrors(self.api_base, self.model, self.timeout, self.api_key)

    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        with self._translated():
            return super().chat(messages, **kwargs)

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._guard(super().stream_chat(messages, **kwargs))

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        with self._translated():
            return super().complete(prompt, formatted=formatted, **kwargs)

    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        return self._guard(super().stream_complete(prompt, formatted=formatted, **kwargs))


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
        return False
