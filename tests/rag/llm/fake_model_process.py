"""A stand-in for `rag.llm.model_process` in fast tests: the same command line and state file, an
OpenAI-compatible chat endpoint that streams "you said <question>" a word at a time (every
`--delay` seconds, taken from the model file's name: `fake-0.2.gguf`), and the same lease rule.
A model file named `broken*.gguf` makes it exit with code 3 before it listens, as a build that
cannot load the model would; `crashy*.gguf` makes it die of SIGILL before it listens unless it is
told to load the baseline build (`--isa baseline`), as a faster build the CPU cannot run would.
The state file's `isa` is "x86-64-v3" on the baseline, "fake-variant" otherwise. The last
request's body is kept beside the state file (`<state>.request`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rag.llm import model_process


def _delay(model: Path) -> float:
    try:
        return float(model.stem.split("-", 1)[1])
    except (IndexError, ValueError):
        return 0.0


def main() -> None:
    args = model_process._parser().parse_args()
    if args.model.name.startswith("broken"):
        print("error loading model: unknown model architecture", flush=True)
        sys.exit(3)
    build = "x86-64-v3" if args.isa == "baseline" else "fake-variant"
    if args.model.name.startswith("crashy") and build != "x86-64-v3":
        os.kill(os.getpid(), signal.SIGILL)
    delay = _delay(args.model)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self) -> None:
            body = json.dumps({"pid": os.getpid()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            args.state.with_suffix(".request").write_text(json.dumps(request))  # for the tests
            words = ["you", " said", " " + request["messages"][-1]["content"]]
            words = words[: max(1, int(request.get("max_tokens") or 99))]
            if not request.get("stream"):
                body = json.dumps(_completion("".join(words), stream=False)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for word in words:
                time.sleep(delay)
                self._chunk(f"data: {json.dumps(_completion(word, stream=True))}\n\n")
            self._chunk("data: [DONE]\n\n")
            self._chunk("")

        def _chunk(self, text: str) -> None:
            data = text.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def leases() -> None:
        idle_since = None
        while True:
            time.sleep(0.2)
            if model_process.live_leases(args.clients):
                idle_since = None
            elif (
                idle_since := idle_since or time.monotonic()
            ) and time.monotonic() - idle_since > 1:
                os._exit(0)

    threading.Thread(target=leases, daemon=True).start()
    state = {
        "pid": os.getpid(),
        "port": server.server_address[1],
        "model": str(args.model),
        "isa": build,
    }
    model_process._write_atomic(args.state, json.dumps(state))
    server.serve_forever()


def _completion(text: str, *, stream: bool) -> dict[str, object]:
    choice: dict[str, object] = {"index": 0, "finish_reason": None if stream else "stop"}
    if stream:
        choice["delta"] = {"role": "assistant", "content": text}
    else:
        choice["message"] = {"role": "assistant", "content": text}
    return {
        "id": "fake",
        "object": "chat.completion.chunk" if stream else "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [choice],
    }


if __name__ == "__main__":
    main()
