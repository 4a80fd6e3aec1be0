"""The `openai` backend against a real inference server: llama.cpp's own OpenAI-compatible server
(`python -m llama_cpp.server`, installed with `llama-cpp-python[server]`) serving the packaged
0.5B GGUF on loopback, and two `rag serve` workers sending to it at once.

Streaming and non-streaming answers carry their citations; a worker whose deadline the server
cannot meet falls back to quoting the sources, says so, and stays up; with the inference server
gone, both workers fall back the same way and the next request still gets an answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from rag import Settings
from rag.llm.weights import MODELS, is_verified, model_path
from tests.reliability.conftest import REPO
from tests.support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ALIAS = "qwen2.5-coder-0.5b"
QUESTION = "郑州每天大约开机多少部短剧？"
PATIENT_S = 300.0  # two workers share one server on a 2-core machine: answers queue there


def _gguf() -> Path:
    path = model_path("local-small", Settings().model_cache_dir)
    if not is_verified(path, MODELS["local-small"]):
        pytest.skip("the 0.5B GGUF is not assembled: run `make install`")
    return path


@contextmanager
def _process(args: list[str], env: dict[str, str], ready: str, start_s: float) -> Iterator[str]:
    """A server process on a free loopback port; yields its URL once `ready` answers 200. Its
    output goes to a file (llama.cpp logs enough to fill a pipe nobody reads)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [a.replace("{port}", str(port)) for a in args]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            argv, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_ready(proc, url + ready, start_s, log)
            yield url
        finally:
            proc.terminate()  # our own process, by its PID
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_ready(proc: subprocess.Popen[bytes], url: str, start_s: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + start_s
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError(f"{proc.args!r} exited: {log.read().decode()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{proc.args!r} did not start within {start_s:.0f} s")
        time.sleep(0.5)


def _llama_server(gguf: Path) -> Any:
    args = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf)]
    args += ["--model_alias", ALIAS, "--host", "127.0.0.1", "--port", "{port}", "--n_ctx", "4096"]
    # By default the server cuts off the answer it is writing when another request arrives:
    # with two workers sending at once, one of them got an empty answer (a refusal).
    args += ["--interrupt_requests", "False"]
    return _process(args, {}, "/v1/models", start_s=120)


def _worker(index_dir: Path, llm_url: str, timeout_s: float) -> Any:
    env = {
        "RAG_INDEX_DIR": str(index_dir),
        "RAG_LLM_BACKEND": "openai",
        "RAG_OPENAI_BASE_URL": f"{llm_url}/v1",
        "RAG_OPENAI_MODEL": ALIAS,
        "RAG_LLM_TIMEOUT_S": str(timeout_s),
    }
    args = [sys.executable, "-m", "ui.cli.main", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    return _process(args, env, "/health", start_s=240)


def _ask(url: str) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": QUESTION}]}
    reply = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=PATIENT_S)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def _ask_streaming(url: str) -> tuple[list[str], dict[str, Any]]:
    """The content deltas and the last chunk (the checked answer, citations, backend)."""
    body = {"messages": [{"role": "user", "content": QUESTION}], "stream": True}
    deltas: list[str] = []
    last: dict[str, Any] = {}
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=PATIENT_S) as reply:
        assert reply.status_code == 200
        lines = [line for line in reply.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    for line in lines[:-1]:
        chunk = json.loads(line[len("data: ") :])
        deltas.append(chunk["choices"][0]["delta"].get("content", ""))
        last = chunk
    return deltas, last


def _codes(record: dict[str, Any]) -> list[str]:
    return [n["code"] for n in record.get("notices", [])]


def test_llama_server__two_workers_at_once_stream_and_cite_then_fall_back_when_it_is_gone(
    seeds_index,
):
    gguf = _gguf()
    with _llama_server(gguf) as llm:
        with _worker(seeds_index, llm, PATIENT_S) as a, _worker(seeds_index, llm, PATIENT_S) as b:
            with ThreadPoolExecutor(2) as pool:  # both workers send to the one server at once
                streamed = pool.submit(_ask_streaming, a)
                whole = pool.submit(_ask, b)
                deltas, last = streamed.result()
                answer = whole.result()
            for record in (last, answer):
                assert record["backend"] == "openai", _codes(record)  # the model answered
                assert "llm_failed" not in _codes(record)
                assert record["citations"] and not record["refused"], record
                assert {c["file"] for c in record["citations"]} == {"003_8bf040d26db51f69.txt"}
            streamed_text = "".join(deltas).strip()  # checked sentences, as they were released
            assert streamed_text and last["answer"].startswith(streamed_text)
            assert "百" in last["answer"] and "百" in answer["choices"][0]["message"]["content"]
        # a worker whose deadline the server cannot meet: the sources quoted, said, still up
        with _worker(seeds_index, llm, 0.05) as hurried:
            record = _ask(hurried)
            assert record["backend"] == "extractive (fallback from openai)"
            assert "llm_failed" in _codes(record) and record["citations"]
            assert httpx.get(f"{hurried}/health").json()["status"] == "ok"
        # the inference server itself is fine afterwards
        models = httpx.get(f"{llm}/v1/models", timeout=30).json()
        assert [m["id"] for m in models["data"]] == [ALIAS]
        dead_llm = llm
    # the inference server gone: a worker still answers, from the sources, and says why
    with _worker(seeds_index, dead_llm, PATIENT_S) as orphan:
        for _ in range(2):
            record = _ask(orphan)
            assert record["backend"] == "extractive (fallback from openai)"
            assert "llm_failed" in _codes(record) and record["citations"]
