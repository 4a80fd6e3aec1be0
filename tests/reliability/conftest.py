"""The reliability suite's tally: what each test tried, printed at the end of the run.

Tests record what they did with the `tally` fixture (`tally.add("inputs", 7)`); the kinds are
inputs tried, faults injected, requests made and failures seen (unexpected ones fail the test, so
a green run shows `failures` only where a failure was the expected outcome, e.g. a 429). The table
is printed in pytest's summary and written to `.reliability/summary.json` and `summary.md`.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support import http_server

KINDS = ("inputs", "faults", "requests", "failures")
REPO = Path(__file__).resolve().parents[2]
# Questions with answers in the seeds, in both languages (from the dev set).
QUESTIONS = [
    "How many micro-short drama users did China have by July, according to Cailian Press?",
    "郑州每天大约开机多少部短剧？",
    "Which platform launched the 'Guo Ran Plan'?",
    "爱奇艺整合了多少部小说IP？",
    "How much was invested in 'Lion City Heat'?",
    "西安每天有多少个剧组在拍摄？",
]
_TALLY: dict[str, Counter[str]] = defaultdict(Counter)


class Tally:
    def __init__(self, area: str) -> None:
        self.area = area

    def add(self, kind: str, n: int = 1) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown tally kind {kind!r}; use one of {KINDS}")
        _TALLY[self.area][kind] += n


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds indexed once for the suite, with the real embedder and embedded Chroma.
    Tests that change an index copy this one."""
    from rag import Assistant, Settings

    index_dir = tmp_path_factory.mktemp("reliability") / "idx"
    Assistant(Settings(index_dir=index_dir)).index([REPO / "seeds"])
    return index_dir


@contextmanager
def llm_endpoint(mode: str) -> Iterator[str]:
    """An OpenAI-like endpoint on loopback that never answers in time: `silent` accepts and
    says nothing, `trickle` streams a token every half second, for a minute."""
    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            if mode == "silent":
                release.wait(60)
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            for _ in range(120):
                if release.wait(0.5):
                    return
                chunk = '{"id":"x","object":"chat.completion.chunk","created":0,"model":"m",'
                chunk += '"choices":[{"index":0,"delta":{"content":"slow "},"finish_reason":null}]}'
                try:
                    self.wfile.write(f"data: {chunk}\n\n".encode())
                    self.wfile.flush()
                except OSError:
                    return

        def log_message(self, *args: object) -> None:
            pass

    with http_server(Handler) as url:
        try:
            yield url
        finally:
            release.set()


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Tally:
    """Counts for the area named after the test module (test_faults.py -> faults)."""
    return Tally(request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"))


def render() -> str:
    lines = ["| area | " + " | ".join(KINDS) + " |", "|---" * (len(KINDS) + 1) + "|"]
    total: Counter[str] = Counter()
    for area in sorted(_TALLY):
        total.update(_TALLY[area])
        lines.append(f"| {area} | " + " | ".join(str(_TALLY[area][k]) for k in KINDS) + " |")
    lines.append("| **all** | " + " | ".join(str(total[k]) for k in KINDS) + " |")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _TALLY:
        return
    terminalreporter.section("reliability summary")
    terminalreporter.write_line(render())
    out = Path(terminalreporter.config.rootpath) / ".reliability"
    out.mkdir(exist_ok=True)
    (out / "summary.json").write_text(json.dumps(_TALLY, indent=2, sort_keys=True) + "\n")
    (out / "summary.md").write_text(render() + "\n")
