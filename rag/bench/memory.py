"""Memory: what a job needs, the model's own process included.

Each job is started fresh, with a model run folder of its own (so it starts its own model process
and the figures are that job's alone):

- `rag ask` per backend: the peak resident set (VmHWM) of the command and, separately, of the
  model process it started, until it exits;
- the chat page (`rag ui`) at rest: VmRSS/VmHWM of the page and of the model process once the page
  has started, warmed up its model and settled;
- N `rag serve` workers over one model process: each worker's and the model process's VmRSS
  after one answer each, and their sum.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from rag.bench.common import RAG_COMMAND
from rag.settings import Backend

RAG = [str(RAG_COMMAND)]


def _status_mb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024)
    return 0


def _model_pids(run_dir: Path) -> list[int]:
    pids = []
    for state in run_dir.glob("*.json"):
        try:
            pids.append(int(json.loads(state.read_text())["pid"]))
        except (OSError, ValueError, KeyError):
            continue
    return pids


def _mb(pids: list[int], key: str) -> int:
    total = 0
    for pid in pids:
        try:
            total += _status_mb(pid, key)
        except OSError:
            continue
    return total


@contextmanager
def _run_dir() -> Iterator[tuple[Path, dict[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="rag-bench-run-") as tmp:
        yield Path(tmp), {**os.environ, "RAG_MODEL_RUN_DIR": tmp}


def peak_rss_ask(question: str, backend: Backend, index_dir: Path) -> dict[str, Any]:
    """The command's VmHWM and its model process's, read until it exits. (wait4's ru_maxrss would
    not do: Linux carries the high-water mark of the forking parent across exec.)"""
    started = time.perf_counter()
    with _run_dir() as (run_dir, env):
        proc = subprocess.Popen(
            [*RAG, "ask", question, "--backend", backend, "--index-dir", str(index_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        peak = model_peak = 0
        while proc.poll() is None:
            try:
                peak = max(peak, _status_mb(proc.pid, "VmHWM"))
            except OSError:  # gone between poll() and the read
                break
            model_peak = max(model_peak, _mb(_model_pids(run_dir), "VmHWM"))
            time.sleep(0.05)
    return {
        "peak_rss_mb": peak,
        "model_peak_rss_mb": model_peak,
        "wall_s": round(time.perf_counter() - started, 1),
        "exit": proc.wait(),
    }


def _up(url: str, proc: subprocess.Popen[bytes], limit_s: float) -> bool:
    started = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            if proc.poll() is not None or time.monotonic() - started > limit_s:
                return False
            time.sleep(0.5)


def _settle(pids: list[int], settle_s: float, limit_s: float) -> None:
    started, steady, last = time.monotonic(), 0.0, _mb(pids, "VmRSS")
    while steady < settle_s and time.monotonic() - started < limit_s:
        time.sleep(1)
        now = _mb(pids, "VmRSS")
        steady = steady + 1 if abs(now - last) <= max(2, last // 100) else 0
        last = now


@contextmanager
def _started(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)  # the process started here, by its PID
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ui_at_rest(
    backend: Backend, index_dir: Path, port: int, settle_s: float = 5, limit_s: float = 300
) -> dict[str, Any]:
    """Start `rag ui`, wait until the page answers and its memory (and its model process's)
    stops growing, read them, stop."""
    args = [*RAG, "ui", "--port", str(port), "--backend", backend, "--index-dir", str(index_dir)]
    with _run_dir() as (run_dir, env), _started(args, env) as proc:
        started = time.monotonic()
        if not _up(f"http://127.0.0.1:{port}/", proc, limit_s):
            return {"error": f"the page did not start (exit {proc.poll()})"}
        up_s = time.monotonic() - started
        _settle([proc.pid], settle_s, limit_s)
        if backend.startswith("local"):  # the warm-up starts the model process
            while not _model_pids(run_dir) and time.monotonic() - started < limit_s:
                time.sleep(0.5)
        _settle([proc.pid, *_model_pids(run_dir)], settle_s, limit_s)
        models = _model_pids(run_dir)
        return {
            "rss_mb": _status_mb(proc.pid, "VmRSS"),
            "peak_rss_mb": _status_mb(proc.pid, "VmHWM"),
            "model_rss_mb": _mb(models, "VmRSS"),
            "page_up_s": round(up_s, 1),
        }


def workers_at_rest(
    n: int,
    backend: Backend,
    index_dir: Path,
    ports: list[int],
    question: str,
    limit_s: float = 600,
) -> dict[str, Any]:
    """N `rag serve` workers sharing one model process: each answers one question, then the
    resident memory of every worker and of the model process(es)."""
    body = json.dumps({"messages": [{"role": "user", "content": question}]}).encode()
    with _run_dir() as (run_dir, env), ExitStack() as stack:
        env = {**env, "RAG_LLM_BACKEND": backend, "RAG_INDEX_DIR": str(index_dir)}
        procs = [
            stack.enter_context(_started([*RAG, "serve", "--port", str(port)], env))
            for port in ports[:n]
        ]
        for port, proc in zip(ports, procs, strict=False):
            if not _up(f"http://127.0.0.1:{port}/health", proc, limit_s):
                return {"error": f"a worker did not start (exit {proc.poll()})"}
        for port in ports[:n]:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/v1/chat/completions",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            urllib.request.urlopen(request, timeout=limit_s).read()
        models = _model_pids(run_dir)
        _settle([p.pid for p in procs] + models, 5, limit_s)
        workers = [_status_mb(p.pid, "VmRSS") for p in procs]
        model = _mb(models, "VmRSS")
        return {
            "workers_rss_mb": workers,
            "model_processes": len(models),
            "model_rss_mb": model,
            "total_mb": sum(workers) + model,
        }
