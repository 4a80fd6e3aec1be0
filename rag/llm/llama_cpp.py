"""`LlamaCppLLM`: a GGUF chat model run in-process by llama-cpp-python, behind llama-index's `LLM`.

Streaming is the primitive: `chat`/`complete` consume `stream_chat`/`stream_complete`. The model
serves one generation at a time; a stream holds its lock until it ends or is closed, and callers
bound it with `rag.llm.deadline.within`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

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
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback

from rag.errors import LLMUnavailableError

log = logging.getLogger(__name__)

LLAMA_CPP_REQUIREMENT = "llama-cpp-python==0.3.36"
LLAMA_CPP_INSTALL = (
    f"scripts/llama_wheel.sh .venv/bin/python (or: pip install {LLAMA_CPP_REQUIREMENT})"
)

T = TypeVar("T")


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
            log.info("loaded %s in %.1f s", self.model_path, time.monotonic() - started)
        return self._llama

    # --- the one core that yields --------------------------------------------------------
    def _deltas(
        self, *, messages: list[dict[str, str]] | None, prompt: str | None, **kw: Any
    ) -> Iterator[str]:
        """Yield text pieces of one generation; holds the lock until the stream ends or closes."""
        with self._lock:
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
            try:
                yield from (piece for piece in pieces if piece)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()

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
