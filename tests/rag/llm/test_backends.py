"""LLM backends: a loopback OpenAI-compatible server, a fake llama_cpp, and the real GGUF models."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage

from rag.errors import LLMTimeoutError, LLMUnavailableError
from rag.llm import backends as llms
from rag.llm.backends import LlamaCppLLM, make_llm
from rag.settings import Settings

# --- a tiny OpenAI-compatible server -------------------------------------------------------


class _Server:
    """Answers /v1/chat/completions with 'echo: <last user message>', streamed word by word."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers["Authorization"]}
                )
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                text = "echo: " + body["messages"][-1]["content"]
                if body.get("stream"):
                    self._stream(body["model"], text)
                else:
                    self._json(body["model"], text)

            def _json(self, model: str, text: str) -> None:
                payload = json.dumps(
                    {
                        "id": "c1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": text},
                                "finish_reason": "stop",
                            }
                        ],
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, model: str, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                words = text.split(" ")
                for i, word in enumerate(words):
                    piece = word if i == 0 else " " + word
                    chunk = {
                        "id": "c1",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [
                            {"index": 0, "delta": {"content": piece}, "finish_reason": None}
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(server.delay_s)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    with _Server() as s:
        yield s


def _openai_settings(url: str, **overrides: Any) -> Settings:
    return Settings(
        openai_base_url=url,
        openai_model="tiny-echo",
        openai_api_key="sk-test",
        llm_timeout_s=overrides.pop("llm_timeout_s", 10.0),
        **overrides,
    )


def _ask(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content=text)]


def test_openai__chat_returns_the_endpoint_answer(server: _Server) -> None:
    llm = make_llm(_openai_settings(server.url, max_answer_tokens=64), "openai")

    reply = llm.chat(_ask("hello there"))

    assert reply.message.content == "echo: hello there"
    [request] = server.requests
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "tiny-echo"
    assert request["body"]["max_tokens"] == 64
    assert request["body"]["temperature"] == 0.0


def test_openai__stream_chat_yields_deltas(server: _Server) -> None:
    llm = make_llm(_openai_settings(server.url), "openai")

    chunks = list(llm.stream_chat(_ask("one two three")))

    assert [c.delta for c in chunks if c.delta] == ["echo:", " one", " two", " three"]
    assert chunks[-1].message.content == "echo: one two three"
    assert server.requests[0]["body"]["stream"] is True


def test_openai__complete_goes_through_the_chat_endpoint(server: _Server) -> None:
    llm = make_llm(_openai_settings(server.url), "openai")

    assert llm.complete("ping").text == "echo: ping"


def test_openai__dead_endpoint_fails_fast_with_domain_error() -> None:
    with socket.socket() as s:  # a loopback port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = make_llm(_openai_settings(f"http://127.0.0.1:{port}/v1", llm_timeout_s=30), "openai")

    started = time.monotonic()
    with pytest.raises(LLMUnavailableError, match=f"127.0.0.1:{port}"):
        llm.chat(_ask("anyone?"))
    with pytest.raises(LLMUnavailableError):
        list(llm.stream_chat(_ask("anyone?")))
    assert time.monotonic() - started < 5


def test_openai__slow_stream_stops_at_the_timeout() -> None:
    with _Server(delay_s=0.4) as slow:
        llm = make_llm(_openai_settings(slow.url, llm_timeout_s=1.0), "openai")
        started = time.monotonic()
        with pytest.raises(LLMTimeoutError, match="llm_timeout_s=1"):
            list(llm.stream_chat(_ask("a b c d e f g h i j k l")))
        assert time.monotonic() - started < 3


def test_make_llm__extractive_is_not_an_llm() -> None:
    with pytest.raises(ValueError, match="extractive"):
        make_llm(Settings(), "extractive")


# --- LlamaCppLLM against a fake llama_cpp --------------------------------------------------


class _FakeLlama:
    instances: list[_FakeLlama] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[dict[str, Any]] = []
        self.delay_s = 0.0
        _FakeLlama.instances.append(self)

    def create_chat_completion(self, messages: list[dict[str, str]], **kw: Any) -> Iterator[Any]:
        self.calls.append({"messages": messages, **kw})
        yield {"choices": [{"delta": {"role": "assistant"}}]}
        for word in ["you", " said", " " + messages[-1]["content"]]:
            time.sleep(self.delay_s)
            yield {"choices": [{"delta": {"content": word}}]}

    def create_completion(self, prompt: str, **kw: Any) -> Iterator[Any]:
        self.calls.append({"prompt": prompt, **kw})
        for word in ["raw:", prompt]:
            yield {"choices": [{"text": word}]}


@pytest.fixture
def fake_llama(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> type[_FakeLlama]:
    _FakeLlama.instances = []
    fake_module = type("llama_cpp", (), {"Llama": _FakeLlama})
    monkeypatch.setattr(llms, "_import_llama_cpp", lambda: fake_module)
    monkeypatch.setattr(llms, "ensure_model", lambda name, cache_dir: tmp_path / f"{name}.gguf")
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


def test_local__generation_over_the_timeout_raises(fake_llama: type[_FakeLlama]) -> None:
    llm = make_llm(Settings(llm_timeout_s=0.25), "local")
    assert isinstance(llm, LlamaCppLLM)
    llm.load().delay_s = 0.2

    with pytest.raises(LLMTimeoutError, match="llm_timeout_s=0.25"):
        llm.chat(_ask("slow"))
    llm.load().delay_s = 0.0  # the lock was released: the next call works
    assert llm.chat(_ask("fast")).message.content == "you said fast"


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
