"""The one timeout of every LLM call that answers a question: `within(llm, messages, timeout_s)`.

The LLM's stream runs in a worker thread; the caller takes its deltas until `timeout_s` has passed
since the first `next()`, then gets `LLMTimeoutError`. The worker closes the LLM's stream at its
next token once the caller has given up (timed out, or stopped reading): the HTTP response is
closed, and the model process stops generating and takes the next question. The
answerer and the follow-up condenser both call it with settings.llm_timeout_s; the backends set no
deadline of their own (the OpenAI client's HTTP `timeout` is transport configuration only).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from rag.errors import LLMTimeoutError

_DONE = object()


def within(llm: Any, messages: Sequence[Any], timeout_s: float) -> Iterator[str]:
    """The text deltas of `llm.stream_chat(messages)`, for at most `timeout_s` seconds."""
    deltas: queue.Queue[object] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            stream = llm.stream_chat(messages)
            try:
                for chunk in stream:
                    if stop.is_set():
                        break
                    deltas.put(chunk.delta or "")
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
        except BaseException as err:  # handed to the caller below
            deltas.put(err)
        deltas.put(_DONE)

    deadline = time.monotonic() + timeout_s
    threading.Thread(target=work, name="llm-stream", daemon=True).start()
    try:
        while True:
            try:
                item = deltas.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise LLMTimeoutError(
                    f"no answer within llm_timeout_s={timeout_s:g} s "
                    "(raise RAG_LLM_TIMEOUT_S, or use a smaller model)"
                ) from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield str(item)
    finally:
        stop.set()
