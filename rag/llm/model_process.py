"""The local model's process: llama.cpp's OpenAI-compatible server on one GGUF, on loopback.

Started by `rag.llm.host.ModelHost` (never by hand), as

    python -m rag.llm.model_process --model GGUF --n-ctx N --threads T [--no-flash-attn] \
        [--isa auto|baseline] --state FILE --clients DIR [--port P]

It loads llama.cpp's build for this CPU (`rag/llm/isa.py`) and the model, listens on 127.0.0.1
(port P when free, else any), writes `{"pid", "port", "model", "isa"}` to FILE, and serves until
no lease in DIR belongs to a live process (then it exits, so a model process never outlives the
pages and workers that use it). Only this process loads llama.cpp's native libraries: a crash in
them ends it, not the page.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import threading
import time
from pathlib import Path

from rag.llm import isa

IDLE_S = 3.0  # how long without a live lease before the process exits


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    build, folder = isa.library(args.isa)
    if folder is not None:  # read by llama_cpp when it is imported, just below
        os.environ["LLAMA_CPP_LIB_PATH"] = str(folder)
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    app = create_app(
        server_settings=ServerSettings(host="127.0.0.1", port=0, interrupt_requests=False),
        model_settings=[
            ModelSettings(
                model=str(args.model),
                model_alias="local",
                n_ctx=args.n_ctx,
                n_threads=args.threads,
                n_threads_batch=args.threads,
                logits_all=False,  # the server's default (True) costs prompt speed and memory
                flash_attn=args.flash_attn,  # the same answers, a little sooner (README)
                verbose=False,
            )
        ],
    )  # loads the model: a broken build dies here, before the state file says it listens

    @app.get("/rag/health")
    def health() -> dict[str, object]:  # answers while the model generates (no model lock)
        return {"pid": os.getpid(), "model": Path(args.model).name, "isa": build}

    sock = _listen(args.port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_keep_alive=30))
    threading.Thread(
        target=_exit_when_unleased, args=(args.clients, server), name="leases", daemon=True
    ).start()
    state = {
        "pid": os.getpid(),
        "port": sock.getsockname()[1],
        "model": str(args.model),
        "isa": build,
    }
    _write_atomic(args.state, json.dumps(state))
    try:
        server.run(sockets=[sock])
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(args.state.read_text()).get("pid") == os.getpid():
                args.state.unlink()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rag.llm.model_process")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--flash-attn", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--isa", default=isa.AUTO, help="auto (this CPU's best), or baseline")
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--clients", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    return parser


def _listen(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:  # the previous port is taken: any free one (the state file tells)
        sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text)
    tmp.replace(path)


def live_leases(clients: Path) -> int:
    """Leases whose process still runs; the others are removed."""
    live = 0
    for lease in clients.glob("*-*"):
        try:
            pid = int(lease.name.split("-", 1)[0])
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            lease.unlink(missing_ok=True)
            continue
        except PermissionError:
            pass
        live += 1
    return live


def _exit_when_unleased(clients: Path, server: object) -> None:
    idle_since: float | None = None
    while True:
        time.sleep(1.0)
        if live_leases(clients):
            idle_since = None
            continue
        idle_since = idle_since or time.monotonic()
        if time.monotonic() - idle_since >= IDLE_S:
            server.should_exit = True  # type: ignore[attr-defined]
            return


if __name__ == "__main__":
    main()
