"""The local model's own process, started, watched and shared by the processes that ask it.

A native crash in llama.cpp (a SIGSEGV in `libggml-cpu`) ends the process it happens in. The page,
`rag serve` and `rag ask` therefore never load llama.cpp themselves: `ModelHost.endpoint()` returns
the loopback URL of a model process (`rag/llm/model_process.py`, llama.cpp's OpenAI-compatible
server on one GGUF), starting one when there is none. Every process on the machine that asks the
same model with the same context and threads finds the same one through a small state file in
`run_dir`, so several workers keep the model in memory once:

    <run_dir>/<key>.json      {"pid", "port", "model"}: written by the model process once it listens
    <run_dir>/<key>.lock      held (flock) while a process checks for, or starts, the model process
    <run_dir>/<key>.clients/  one lease file per ModelHost (`<pid>-<n>`); the model process exits
                              a few seconds after the last lease is released or its process is gone
    <run_dir>/<key>.log       the model process's output (the reason it would not start)
    <run_dir>/<key>.baseline  written when a model process on a faster llama.cpp build (isa.py)
                              died of a crash signal: from then on it loads the baseline build

The process that started the model process watches it: when it dies (a crash, a kill), it is
started again at once, and the next question is answered by the model. A question asked while it
is gone gets the extractive answer with an `llm_failed` notice (the answerer's fallback). When it
was running a faster build than the baseline and died of SIGILL, SIGSEGV, SIGBUS or SIGFPE (on
loading or later), it is started again on the baseline build, and stays on it on this machine
until `<key>.baseline` is removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import LLMUnavailableError
from rag.llm import isa

log = logging.getLogger(__name__)

_leases = itertools.count(1)


@dataclass(frozen=True)
class HostSpec:
    """What makes two model processes interchangeable: the GGUF, its context, threads,
    attention and the llama.cpp build asked for (`RAG_LLAMA_ISA`, read when the spec is made)."""

    model_path: Path
    n_ctx: int
    n_threads: int
    module: str = "rag.llm.model_process"  # what runs it (fast tests run a stand-in)
    flash_attn: bool = True
    build: str = field(default_factory=isa.asked)  # "auto", "baseline" or a variant's name

    @property
    def key(self) -> str:
        """`<model file stem>-<digest>`: one model process per spec on the machine."""
        what = f"{self.model_path.resolve()}|{self.n_ctx}|{self.n_threads}|{self.module}"
        what += "" if self.flash_attn else "|no-flash-attn"
        what += "" if self.build == isa.AUTO else f"|{self.build}"  # a baseline asked for apart
        return f"{self.model_path.stem}-{hashlib.sha256(what.encode()).hexdigest()[:10]}"

    def command(self, state: Path, clients: Path, port: int, build: str = "auto") -> list[str]:
        return [
            sys.executable,
            "-m",
            self.module,
            "--model",
            str(self.model_path),
            "--n-ctx",
            str(self.n_ctx),
            "--threads",
            str(self.n_threads),
            "--flash-attn" if self.flash_attn else "--no-flash-attn",
            "--isa",
            build,
            "--state",
            str(state),
            "--clients",
            str(clients),
            "--port",
            str(port),
        ]


CRASHES = {-signal.SIGILL, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGFPE}  # Popen's codes


def describe_exit(code: int | None) -> str:
    """'killed by SIGSEGV' / 'exit code 1' (Popen's negative codes are signals)."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class ModelHost:
    """The client side: a live model process's URL on demand, and a lease that keeps it alive.

    `endpoint()` is cheap when the process runs (a file read and a loopback connect); when none
    runs it starts one and waits until it listens (at most `start_timeout_s`). Thread-safe.
    """

    def __init__(
        self, spec: HostSpec, run_dir: Path, start_timeout_s: float = 180.0, restart: bool = True
    ) -> None:
        self.spec = spec
        self.restart = restart  # start a model process that died again at once
        self.run_dir = run_dir
        self.start_timeout_s = start_timeout_s
        key = spec.key
        self.state_file = run_dir / f"{key}.json"
        self.lock_file = run_dir / f"{key}.lock"
        self.clients = run_dir / f"{key}.clients"
        self.log_file = run_dir / f"{key}.log"
        self.baseline_file = run_dir / f"{key}.baseline"  # the faster build crashed here
        self._lease = self.clients / f"{os.getpid()}-{next(_leases)}"
        self._lock = threading.RLock()
        self._proc: subprocess.Popen[bytes] | None = None  # the model process, if we started it
        self._closed = False
        self.last_exit: str | None = None  # how the last model process we watched ended
        self.restarts = 0
        self.build: str | None = None  # the llama.cpp build the model process runs (isa.py)

    # --- asking -------------------------------------------------------------------------
    def endpoint(self) -> str:
        """`http://127.0.0.1:<port>/v1` of a live model process, started if needed."""
        with self._lock:
            if self._closed:
                raise LLMUnavailableError("the local model host was closed")
            self._take_lease()
            state = self._live_state()
            if state is None:
                state = self._start()
            return f"http://127.0.0.1:{state['port']}/v1"

    def pid(self) -> int | None:
        """The live model process's pid, or None."""
        state = self._live_state()
        return int(state["pid"]) if state else None

    def close(self) -> None:
        """Give up this lease (the model process ends a few seconds after the last one)."""
        with self._lock:
            self._closed = True
            self._lease.unlink(missing_ok=True)

    def stop(self) -> None:
        """End the model process now (tests, benchmarks, `rag.llm.check`), and close."""
        self.close()
        state = self._read_state()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
        elif state and _running(int(state["pid"])):
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(state["pid"]), signal.SIGTERM)

    # --- the model process --------------------------------------------------------------
    def _take_lease(self) -> None:
        if not self._lease.exists():
            self.clients.mkdir(parents=True, exist_ok=True)
            self._lease.write_text(str(os.getpid()))

    def _read_state(self) -> dict[str, Any] | None:
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and {"pid", "port"} <= state.keys() else None

    def _live_state(self) -> dict[str, Any] | None:
        state = self._read_state()
        if state and _running(int(state["pid"])) and _listening(int(state["port"])):
            return state
        return None

    def _start(self) -> dict[str, Any]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with self.lock_file.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one starter on the machine; the others wait here
            state = self._live_state()
            if state is not None:  # another process started it while we waited
                return state
            old = self._read_state()
            port = int(old["port"]) if old else 0  # the same port again when it is free
            started = time.monotonic()
            try:
                proc, state = self._launch(port)
            except _Crashed as crash:  # on loading: the faster build may be what crashed
                if not self._fall_back(crash.how):
                    raise
                proc, state = self._launch(port)  # on the baseline
            self.build = state.get("isa", self.build)
            log.info(
                "local model process %s (%s, llama.cpp %s) listening on %s after %.1f s",
                proc.pid,
                self.spec.model_path.name,
                self.build,
                state["port"],
                time.monotonic() - started,
            )
            threading.Thread(
                target=self._watch, args=(proc,), name="model-host-watch", daemon=True
            ).start()
            return state

    def _launch(self, port: int) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
        self.state_file.unlink(missing_ok=True)
        wanted = "baseline" if self.baseline_file.exists() else self.spec.build
        try:
            self.build = isa.library(wanted)[0]  # what the model process will load (same rule)
        except ValueError as err:  # RAG_LLAMA_ISA names no build
            raise LLMUnavailableError(f"RAG_LLAMA_ISA: {err}") from None
        with self.log_file.open("ab") as out:
            proc = subprocess.Popen(
                self.spec.command(self.state_file, self.clients, port, wanted),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # not ended by the terminal's Ctrl-C with the page
            )
        self._proc = proc
        return proc, self._wait_listening(proc)

    def _fall_back(self, how: str) -> bool:
        """After a crash on a build faster than the baseline: the baseline from now on (True);
        False when the baseline is what crashed."""
        if self.baseline_file.exists() or self.build in (None, isa.BASELINE):
            return False
        self.baseline_file.write_text(f"the model process {how} on llama.cpp's {self.build}\n")
        log.warning(
            "the local model process %s on llama.cpp's %s build: the baseline build from now on "
            "(remove %s to try it again)",
            how,
            self.build,
            self.baseline_file,
        )
        return True

    def _wait_listening(self, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            code = proc.poll()
            if code is not None:
                message = (
                    f"the local model process ({self.spec.model_path.name}) ended while "
                    f"starting: {describe_exit(code)}. {self._log_tail()}{FIX}"
                )
                if code in CRASHES:
                    raise _Crashed(message, describe_exit(code))
                raise LLMUnavailableError(message)
            state = self._read_state()
            if state and int(state["pid"]) == proc.pid and _listening(int(state["port"])):
                return state
            if time.monotonic() > deadline:
                proc.kill()
                raise LLMUnavailableError(
                    f"the local model process did not start within {self.start_timeout_s:g} s "
                    f"({self.log_file}){FIX}"
                )
            time.sleep(0.05)

    def _watch(self, proc: subprocess.Popen[bytes]) -> None:
        """Started it, watch it: a model process that dies while leased is started again."""
        code = proc.wait()
        self.last_exit = describe_exit(code)
        with self._lock:
            if self._closed or self._proc is not proc:
                return
            self._proc = None
            if code in CRASHES:
                self._fall_back(self.last_exit)
            if not self.restart:
                return
        log.warning(
            "the local model process %s ended (%s): starting it again", proc.pid, self.last_exit
        )
        self.restarts += 1
        try:
            self.endpoint()
        except LLMUnavailableError as err:  # the next question tries again, and reports it
            log.error("the local model process could not be started again: %s", err)

    def _log_tail(self, chars: int = 600) -> str:
        try:
            tail = self.log_file.read_bytes()[-chars:].decode("utf-8", "replace").strip()
        except OSError:
            return ""
        return f"Its last output: {tail!r}. " if tail else ""


class _Crashed(LLMUnavailableError):
    """The model process died of a crash signal while starting."""

    def __init__(self, message: str, how: str) -> None:
        super().__init__(message)
        self.how = how


FIX = (
    "Check the build with `.venv/bin/python -m rag.llm.check`; rebuild llama.cpp for the baseline "
    "with `RAG_LLAMA_REBUILD=1 scripts/llama_wheel.sh .venv/bin/python`; meanwhile "
    "RAG_LLM_BACKEND=extractive answers by quoting the sources."
)


def _running(pid: int) -> bool:
    """A process with this pid exists and is not a zombie (a dead child not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False
