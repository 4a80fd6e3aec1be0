"""`LocalModel`: the packaged GGUF model, asked in its own process (`rag/llm/host.py`).

An OpenAI-compatible client whose endpoint is the model process of its `ModelHost`, looked up
(and the process started, or started again) at every call. The page and the API process load no
native llama.cpp code: a crash in the model ends the model's process, and the call that was
reading from it fails with `LLMUnavailableError` naming how it ended (the answerer then quotes the
sources with an `llm_failed` notice); the model process is started again for the next call.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Generator, Iterator, Sequence
from typing import Any, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
)
from llama_index.core.bridge.pydantic import PrivateAttr

from rag.errors import LLMUnavailableError
from rag.llm.host import ModelHost
from rag.llm.openai import OpenAICompatible

T = TypeVar("T")
SAMPLING = {"repeat_penalty": 1.0, "top_k": 40, "top_p": 0.95, "min_p": 0.05}

LLAMA_CPP_REQUIREMENT = "llama-cpp-python[server]==0.3.36"
LLAMA_CPP_INSTALL = "scripts/llama_wheel.sh .venv/bin/python"


def check_llama_cpp() -> None:
    """The model process needs llama-cpp-python with its server extra: fail at build time, with
    the command that installs it, rather than at the first question. (Finds, never imports.)"""
    if (
        importlib.util.find_spec("llama_cpp") is None
        or importlib.util.find_spec("sse_starlette") is None
    ):
        raise LLMUnavailableError(
            f"the local LLM needs {LLAMA_CPP_REQUIREMENT}, which is not installed: run "
            f"{LLAMA_CPP_INSTALL}, or `make install`"
        )


class LocalModel(OpenAICompatible):
    """The local backend: OpenAICompatible pointed at a supervised model process."""

    _host: ModelHost = PrivateAttr()

    def __init__(self, host: ModelHost, **kwargs: Any) -> None:
        super().__init__(
            model="local",
            api_base="http://127.0.0.1:0/v1",  # replaced by the host's endpoint at each call
            api_key="not-needed",
            is_chat_model=True,
            max_retries=0,
            # llama.cpp's own sampling defaults (Llama.create_chat_completion): its server's
            # differ (repeat_penalty 1.1), and a greedy answer penalised for repeating the
            # source's tokens copies figures and names less faithfully
            additional_kwargs={"extra_body": SAMPLING},
            **kwargs,
        )
        self._host = host

    @classmethod
    def class_name(cls) -> str:
        return "LocalModel"

    @property
    def host(self) -> ModelHost:
        return self._host

    def _point(self) -> None:
        endpoint = self._host.endpoint()
        if endpoint != getattr(self, "api_base", None):
            self.api_base: str = endpoint
            self._client = None  # the openai client keeps the URL it was made with

    def _lost(self, err: LLMUnavailableError) -> LLMUnavailableError:
        """The model process went away mid-call: say how it ended, when this process saw it."""
        time.sleep(0.05)  # its watcher learns the exit status within a few ms
        ended = self._host.last_exit
        if ended is None:  # started by another process, or not ended: what the client saw
            cause = str(err.__cause__ or err).split(" (", 1)[0]
            return LLMUnavailableError(f"the local model process could not be reached ({cause})")
        return LLMUnavailableError(
            f"the local model process stopped ({ended}) while answering; it is started again "
            "for the next question"
        )

    def _guarded(self, stream: Iterator[T]) -> Generator[T, None, None]:
        try:
            yield from stream
        except LLMUnavailableError as err:
            raise self._lost(err) from err

    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        self._point()
        try:
            return super().chat(messages, **kwargs)
        except LLMUnavailableError as err:
            raise self._lost(err) from err

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        self._point()
        return self._guarded(super().stream_chat(messages, **kwargs))

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self._point()
        try:
            return super().complete(prompt, formatted=formatted, **kwargs)
        except LLMUnavailableError as err:
            raise self._lost(err) from err

    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        self._point()
        return self._guarded(super().stream_complete(prompt, formatted=formatted, **kwargs))
