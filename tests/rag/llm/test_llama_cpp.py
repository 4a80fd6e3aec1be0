"""The local backend: LlamaCppLLM against a fake llama_cpp, and the real GGUF models."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage

from rag.errors import LLMTimeoutError, LLMUnavailableError
from rag.llm import build
from rag.llm import llama_cpp as local
from rag.llm.build import make_llm
from rag.llm.deadline import within
from rag.llm.llama_cpp import LlamaCppLLM
from rag.settings import Settings


def _ask(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content=text)]


# --- LlamaCppLLM against a fake llama_cpp --------------------------------------------------


class _FakeLlama:
    instances: list[_FakeLlama] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[dict[str, Any]] = []
        self.delay_s = 0.0
        self.streamed: list[int] = []  # words each chat stream sent before it ended or closed
        _FakeLlama.instances.append(self)

    def create_chat_completion(self, messages: list[dict[str, str]], **kw: Any) -> Iterator[Any]:
        self.calls.append({"messages": messages, **kw})
        sent = 0
        try:
            yield {"choices": [{"delta": {"role": "assistant"}}]}
            for word in ["you", " said", " " + messages[-1]["content"]]:
                time.sleep(self.delay_s)
                sent += 1
                yield {"choices": [{"delta": {"content": word}}]}
        finally:
            self.streamed.append(sent)

    def create_completion(self, prompt: str, **kw: Any) -> Iterator[Any]:
        self.calls.append({"prompt": prompt, **kw})
        for word in ["raw:", prompt]:
            yield {"choices": [{"text": word}]}


@pytest.fixture
def fake_llama(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> type[_FakeLlama]:
    _FakeLlama.instances = []
    fake_module = type("llama_cpp", (), {"Llama": _FakeLlama})
    monkeypatch.setattr(local, "_import_llama_cpp", lambda: fake_module)
    monkeypatch.setattr(build, "ensure_model", lambda name, cache_dir: tmp_path / f"{name}.gguf")
    return _FakeLlama


def test_local__built_from_settings_and_loaded_once(fake_llama: type[_FakeLlama]) -> None:
    settings = Settings(llm_threads=3, llm_context=2048, max_answer_tokens=50)
    llm = make_llm(settings, "local-small")

    assert llm.chat(_ask("hi")).message.content == "you said hi"
    assert llm.chat(_ask("again")).message.content == "you said again"

    [llama] = fake_llama.instances
    assert llama.kwargs["model_path"].endswith("local-small.gguf")
    assert (llama.kwargs["n_ctx"], llama.kwargs["n_threads"], llama.kwargs["n_threads_batch"]) == (
        2048,
        3,
        3,
    )
    assert llama.kwargs["verbose"] is False
    assert llama.calls[0]["temperature"] == 0.0
    assert llama.calls[0]["max_tokens"] == 50
    assert llama.calls[0]["messages"][0] == {"role": "system", "content": "Be brief."}


def test_local__stream_chat_yields_growing_text(fake_llama: type[_FakeLlama]) -> None:
    llm = make_llm(Settings(), "local")

    chunks = list(llm.stream_chat(_ask("x")))

    assert [c.delta for c in chunks] == ["you", " said", " x"]
    assert [c.message.content for c in chunks] == ["you", "you said", "you said x"]


def test_local__complete_wraps_prompt_as_user_message_unless_formatted(
    fake_llama: type[_FakeLlama],
) -> None:
    llm = make_llm(Settings(), "local")

    assert llm.complete("q").text == "you said q"
    assert llm.complete("<|im_start|>raw", formatted=True).text == "raw:<|im_start|>raw"
    assert [d.delta for d in llm.stream_complete("q")] == ["you", " said", " q"]


def test_local__a_stream_past_the_deadline_is_closed_at_its_next_token_and_frees_the_model(
    fake_llama: type[_FakeLlama],
) -> None:
    llm = make_llm(Settings(), "local")
    assert isinstance(llm, LlamaCppLLM)
    llama = llm.load()
    llama.delay_s = 0.2

    started = time.monotonic()
    with pytest.raises(LLMTimeoutError, match="llm_timeout_s=0.25"):
        list(within(llm, _ask("slow"), 0.25))
    assert time.monotonic() - started < 0.4
    llama.delay_s = 0.0  # the next call waits for the lock, which the closed stream released
    assert llm.chat(_ask("fast")).message.content == "you said fast"
    assert llama.streamed == [2, 3]  # the slow stream stopped at its second word, not its third


def test_local__concurrent_calls_are_serialised(fake_llama: type[_FakeLlama]) -> None:
    llm = make_llm(Settings(), "local")
    assert isinstance(llm, LlamaCppLLM)
    llama = llm.load()
    llama.delay_s = 0.02
    active, overlaps = [0], [0]
    real = llama.create_chat_completion

    def tracked(messages: list[dict[str, str]], **kw: Any) -> Iterator[Any]:
        active[0] += 1
        overlaps[0] = max(overlaps[0], active[0])
        try:
            yield from real(messages, **kw)
        finally:
            active[0] -= 1

    llama.create_chat_completion = tracked  # type: ignore[method-assign]
    answers: list[str] = []
    threads = [
        threading.Thread(
            target=lambda i=i: answers.append(str(llm.chat(_ask(str(i))).message.content))
        )
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(answers) == [f"you said {i}" for i in range(4)]
    assert overlaps[0] == 1


def test_local__missing_llama_cpp_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_llama(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "llama_cpp":
            raise ImportError("No module named 'llama_cpp'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_llama)
    with pytest.raises(LLMUnavailableError, match=r"llama-cpp-python==0\.3\.36.*llama_wheel\.sh"):
        make_llm(Settings(), "local")


# --- the real models -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.integration
def test_local_small__real_model_streams_an_answer() -> None:
    llm = make_llm(Settings(max_answer_tokens=24), "local-small")

    chunks = list(llm.stream_chat(_ask("What colour is the sky on a clear day?")))

    assert len(chunks) > 1
    assert chunks[-1].message.content and chunks[-1].message.content.strip()


@pytest.mark.slow
@pytest.mark.integration
def test_local__real_model_replies_ok() -> None:
    llm = make_llm(Settings(max_answer_tokens=16), "local")

    reply = llm.chat([ChatMessage(role="user", content="Reply with the word OK")])

    assert "OK" in str(reply.message.content).upper()
