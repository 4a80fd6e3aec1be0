"""Memory: peak resident set of a `rag ask` process per backend, and of the chat page at rest.

Each is a fresh process, so the figure is what a user's machine needs for that job: for `rag ask`
its VmHWM until it exits; for the page, VmHWM and VmRSS once it has started, warmed up its model
and settled.
"""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from rag.bench.common import RAG_COMMAND
from rag.settings import Backend

RAG = [str(RAG_COMMAND)]


def peak_rss_ask(question: str, backend: Backend, index_dir: Path) -> dict[str, Any]:
    """The child's VmHWM, read until it exits. (wait4's ru_maxrss would not do: Linux carries the
    high-water mark of the forking parent, here a benchmark holding models, across exec.)"""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*RAG, "ask", question, "--backend", backend, "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, _status_mb(proc.pid, "VmHWM"))
        except OSError:  # gone between poll() and the read
            break
        time.sleep(0.05)
    return {
        "peak_rss_mb": peak,
        "wall_s": round(time.perf_counter() - started, 1),
        "exit": proc.wait(),
    }


def _status_mb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024)
    return 0


def ui_at_rest(
    backend: Backend, index_dir: Path, port: int, settle_s: float = 5, limit_s: float = 300
) -> dict[str, Any]:
    """Start `rag ui`, wait until the page answers and its memory stops growing, read it, stop."""
    proc = subprocess.Popen(
        [*RAG, "ui", "--port", str(port), "--backend", backend, "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() - started > limit_s:
                    return {"error": f"the page did not start (exit {proc.poll()})"}
                time.sleep(0.5)
        up_s = time.monotonic() - started
        steady, last = 0.0, _status_mb(proc.pid, "VmRSS")
        while steady < settle_s and time.monotonic() - started < limit_s:
            time.sleep(1)
            now = _status_mb(proc.pid, "VmRSS")
            steady = steady + 1 if abs(now - last) <= max(2, last // 100) else 0
            last = now
        return {
            "rss_mb": _status_mb(proc.pid, "VmRSS"),
            "peak_rss_mb": _status_mb(proc.pid, "VmHWM"),
            "page_up_s": round(up_s, 1),
        }
    finally:
        proc.send_signal(signal.SIGTERM)  # the process started here, by its PID
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
