"""The OpenAI-compatible backend against a loopback server, through the real openai client."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage

from rag.errors import LLMTimeoutError, LLMUnavailableError
from rag.llm.build import make_llm
from rag.llm.deadline import within
from rag.settings import Settings

# --- a tiny OpenAI-compatible server -------------------------------------------------------


class _Server:
    """Answers /v1/chat/completions with 'echo: <last user message>', streamed word by word."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.closed_early = 0
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
                    try:
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):  # the client closed the stream
                        server.closed_early += 1
                        return
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
            list(within(llm, _ask("a b c d e f g h i j k l"), 1.0))
        assert time.monotonic() - started < 3
        # the worker closes the stream at its next token; the server's next writes then fail
        give_up = time.monotonic() + 3
        while not slow.closed_early and time.monotonic() < give_up:
            time.sleep(0.05)
        assert slow.closed_early == 1
