"""A crash in the local model is a notice, not an outage: the real GGUF model in its own process
(rag/llm/host.py), killed with SIGSEGV in the middle of a streamed answer.

- API: two real `rag serve` workers share one model process; the answer being streamed when it
  dies comes back quoted from the sources with an `llm_failed` notice, both workers stay up, the
  model process is started again, and the next question is answered by the model.
- Page: the same in headless Chromium, through the chat page.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag import Assistant, Settings
from tests.reliability.conftest import REPO
from tests.support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "郑州每天大约开机多少部短剧？"
NEXT = "How many micro-short drama users did China have by July, according to Cailian Press?"
PATIENT_S = 240.0


def _state(run_dir: Path) -> dict[str, Any]:
    [state] = [json.loads(p.read_text()) for p in run_dir.glob("*.json")]
    return dict(state)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def kill_while_generating(run_dir: Path, started: threading.Event, within_s: float = 60) -> int:
    """Once a question is on its way (`started`), wait until the model process works on it
    (its CPU time grows), then SIGSEGV it; returns its pid."""
    assert started.wait(within_s)
    pid = int(_state(run_dir)["pid"])
    base, deadline = _cpu_ticks(pid), time.monotonic() + within_s
    while _cpu_ticks(pid) - base < 20:  # 0.2 s of CPU: reading the prompt or decoding
        assert time.monotonic() < deadline, "the model process never started on the question"
        time.sleep(0.02)
    os.kill(pid, signal.SIGSEGV)
    return pid


def _restarted(run_dir: Path, old_pid: int, within_s: float = 120) -> int:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            pid = int(_state(run_dir)["pid"])
        except (ValueError, OSError):
            pid = old_pid
        if pid != old_pid:
            return pid
        time.sleep(0.2)
    raise AssertionError("the model process was not started again")


def _model_processes(run_dir: Path) -> list[int]:
    out = subprocess.run(["pgrep", "-f", f"rag.llm.model_process.*{run_dir}"], capture_output=True)
    return [int(p) for p in out.stdout.split()]


@contextmanager
def _worker(index_dir: Path, run_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "RAG_INDEX_DIR": str(index_dir),
        "RAG_LLM_BACKEND": "local",
        "RAG_MODEL_RUN_DIR": str(run_dir),
        "RAG_LLM_TIMEOUT_S": str(PATIENT_S),
    }
    args = [
        sys.executable,
        "-m",
        "ui.cli.main",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 240
            while True:
                assert proc.poll() is None, log.seek(0) or log.read().decode()[-2000:]
                try:
                    if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "rag serve did not start"
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()  # our own process, by its PID
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _stream(url: str, question: str, started: threading.Event | None = None) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": question}], "stream": True}
    last: dict[str, Any] = {}
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=PATIENT_S) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if started is not None:
                started.set()
            if line.startswith("data: {"):
                last = json.loads(line[len("data: ") :])
    return last


def _codes(record: dict[str, Any]) -> list[str]:
    return [n["code"] for n in record.get("notices", [])]


def test_api__a_model_crash_mid_answer_is_a_notice_and_the_next_answer_is_the_models(
    seeds_index, tmp_path
):
    run = tmp_path / "run"
    with _worker(seeds_index, run) as a, _worker(seeds_index, run) as b:
        first = _stream(a, QUESTION)  # the model process starts (or is found) here
        assert first["backend"] == "local", _codes(first)
        assert _stream(b, QUESTION)["backend"] == "local"
        assert len(_model_processes(run)) == 1, "two workers, one model in memory"

        started = threading.Event()
        result: dict[str, Any] = {}
        asking = threading.Thread(target=lambda: result.update(_stream(a, NEXT, started)))
        asking.start()
        killed = kill_while_generating(run, started)
        asking.join(PATIENT_S)

        assert result["backend"] == "extractive (fallback from local)", result
        assert "llm_failed" in _codes(result)
        failed = next(n for n in result["notices"] if n["code"] == "llm_failed")
        assert "SIGSEGV" in failed["message"], failed
        assert result["citations"] and not result["refused"]
        for url in (a, b):
            assert httpx.get(f"{url}/health", timeout=10).json()["status"] == "ok"

        _restarted(run, killed)
        for url in (a, b):
            record = _stream(url, NEXT)
            assert record["backend"] == "local", _codes(record)
            assert "llm_failed" not in _codes(record) and record["citations"]
        assert len(_model_processes(run)) == 1


def test_page__a_model_crash_mid_answer_shows_the_quoted_answer_and_the_next_is_the_models(
    tmp_path,
):
    from playwright.sync_api import sync_playwright

    from tests.ui.test_app_e2e import ARGS, CHROMIUM, _ask, _serve

    run = tmp_path / "run"
    assistant = Assistant(
        Settings(index_dir=tmp_path / "idx", llm_backend="local", model_run_dir=run)
    )
    assistant.index([REPO / "seeds"])
    assistant.warm_up()
    demo, url = _serve(assistant)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page.goto(url)
            page.wait_for_function("document.body.innerText.includes('出处')", timeout=30_000)

            started = threading.Event()
            started.set()  # the page sends the question at once
            _ask(page, QUESTION)
            killed = kill_while_generating(run, started)
            page.wait_for_selector("#chat .answer", timeout=int(PATIENT_S * 1000))
            page.wait_for_selector("#chat .notices", timeout=60_000)
            answer = page.locator("#chat .answer").last.inner_text()
            assert "模型未能作答" in answer and "SIGSEGV" in answer, answer
            assert page.locator("#chat .answer a.cite").count() >= 1, answer
            page.screenshot(path=str(tmp_path / "crash.png"))

            _restarted(run, killed)
            _ask(page, NEXT)
            page.wait_for_function(
                "document.querySelectorAll('#chat .answer').length >= 2",
                timeout=int(PATIENT_S * 1000),
            )
            page.wait_for_function(
                "!document.querySelector('#chat .answer:last-of-type .pending')", timeout=60_000
            )
            second = page.locator("#chat .answer").last.inner_text()
            assert "模型未能作答" not in second, second
            assert "696" in second, second
            browser.close()
    finally:
        demo.close()
        assistant_llm = assistant.answerer().llm
        if assistant_llm is not None:
            assistant_llm.host.stop()
