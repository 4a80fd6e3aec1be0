"""Two `rag serve` workers over one real `chroma run` (loopback), sharing the index folder as a
deployment over several hosts shares it: a document uploaded through one is cited by the other
within the staleness bound, and once deleted through the second it is no longer cited by the
first. Real embedder, extractive answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.bench.chroma import chroma_server, free_port
from tests.conftest import REPO
from tests.library_support import FISH, WIND

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CHECK_MS = 500
BOUND_S = 15.0  # the README's bound (check interval + reload) with room for a loaded machine
FISH_Q = "How many tonnes of cod did Port Alder land in 2024?"
WIND_Q = "How many wind turbines did Norland build?"


def _call(url: str, path: str, body: Any = None, method: str | None = None) -> Any:
    data, headers = None, {}
    if isinstance(body, bytes):  # a multipart upload, prepared by _upload
        data, headers = body, {"Content-Type": "multipart/form-data; boundary=xyzzy"}
    elif body is not None:
        data, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
    request = urllib.request.Request(url + path, data, headers, method=method)
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read())


def _upload(url: str, name: str, content: bytes) -> dict[str, Any]:
    body = (
        b'--xyzzy\r\nContent-Disposition: form-data; name="files"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + content
        + b"\r\n--xyzzy--\r\n"
    )
    (result,) = _call(url, "/v1/collections/fleet/documents", body)["files"]
    assert result["status"] == "indexed", result
    return result


def _cited(url: str, question: str) -> set[str]:
    chat = {"messages": [{"role": "user", "content": question}], "collection": "fleet"}
    return {c["file"] for c in _call(url, "/v1/chat/completions", chat)["citations"]}


def _retrieved(url: str, question: str) -> set[str]:
    """Files of every context retrieved (a chunk only the keyword side still holds too)."""
    body = {"question": question, "k": 10, "collection": "fleet"}
    return {c["file"] for c in _call(url, "/v1/retrieve", body)["contexts"]}


def _generation(url: str) -> str:
    return str(_call(url, "/health")["generation"])


def _within(bound_s: float, check: Any) -> float:
    """Seconds until `check()` holds, failing after bound_s."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < bound_s, f"not seen within {bound_s} s"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with chroma_server(tmp_path / "chroma") as chroma_url:
        env = {
            **os.environ,
            "RAG_CHROMA_URL": chroma_url,
            "RAG_INDEX_DIR": str(tmp_path / "shared"),  # uploads and saved keyword indexes
            "RAG_LLM_BACKEND": "extractive",
            "RAG_SECOND_EMBEDDER": "none",
            "RAG_GENERATION_CHECK_MS": str(CHECK_MS),
            "RAG_COLLECTION": "fleet",  # the default: /health reports its generation
        }
        ports = [free_port(), free_port()]
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "ui.cli.main", "serve", "--port", str(port)],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in ports
        ]
        try:
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            for url, proc in zip(urls, procs, strict=True):
                _within(120, lambda u=url, p=proc: _up(u, p))
            yield urls[0], urls[1]
        finally:
            for proc in procs:  # ours, by PID
                proc.terminate()
                proc.wait(timeout=30)


def _up(url: str, proc: subprocess.Popen[bytes]) -> bool:
    assert proc.poll() is None, "a worker exited at start"
    try:
        urllib.request.urlopen(url + "/openapi.json", timeout=2)
    except OSError:
        return False
    return True


def test_workers__an_upload_through_one_is_cited_by_the_other_and_a_delete_too(workers):
    first, second = workers
    _upload(first, "wind.txt", WIND)
    assert "wind.txt" in _cited(second, WIND_Q)  # the second holds the collection now
    fish = _upload(first, "fish.txt", FISH)
    _within(BOUND_S, lambda: "fish.txt" in _cited(second, FISH_Q))
    # reloaded: a worker checks the generation before a question (never on /health), and the
    # dense side may cite the new file before the check interval has passed
    _within(
        BOUND_S, lambda: bool(_cited(second, FISH_Q)) and _generation(second) == _generation(first)
    )
    assert "fish.txt" in _cited(first, FISH_Q)  # the first holds it too, before the delete
    _call(second, f"/v1/collections/fleet/documents/{fish['id']}", method="DELETE")
    _within(BOUND_S, lambda: "fish.txt" not in _retrieved(first, FISH_Q) | _cited(first, FISH_Q))
    assert "wind.txt" in _cited(first, WIND_Q)
    generations = {_generation(url) for url in workers}
    assert len(generations) == 1 and generations.pop().startswith("3-")  # wind, fish, delete
