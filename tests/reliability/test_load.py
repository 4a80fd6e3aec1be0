"""Load: 20 concurrent clients against `rag serve` and the chat page on loopback, for a bounded
time. No request fails except those turned away with a clear 429 when every place is taken, no
server dies, and every answer is the one the same question gets when asked alone. Throughput and
p95 latency go to `.reliability/load.json`."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from rag import Assistant, Settings
from rag.evaluation.metrics import percentile
from rag.http.admission import Admission
from rag.http.api import build_api
from rag.llm.weights import MODELS, is_verified, missing_parts, model_path
from tests.reliability.conftest import QUESTIONS, REPO, llm_endpoint
from tests.support import free_port, running

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CLIENTS = 20
TIMING = re.compile(r" · [\d.]+ (s|秒)")
SECONDS = 12.0


def _record(name: str, figures: dict[str, Any]) -> None:
    out = REPO / ".reliability"
    out.mkdir(exist_ok=True)
    path = out / "load.json"
    runs = json.loads(path.read_text()) if path.exists() else {}
    runs[name] = figures
    path.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{name}: {figures}")


def _hammer(
    call: Callable[[str], tuple[int, Any]], questions: list[str], seconds: float, once: bool = False
) -> list[tuple[int, str, Any, float]]:
    """CLIENTS threads asking round-robin until `seconds` pass (or once each, all at one go);
    returns (status, question, answer, seconds) per request."""
    results: list[tuple[int, str, Any, float]] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(i: int) -> None:
        start.wait()
        stop = time.monotonic() + seconds
        n = i
        while True:
            q = questions[n % len(questions)]
            began = time.perf_counter()
            status, answer = call(q)
            with lock:
                results.append((status, q, answer, time.perf_counter() - began))
            n += 1
            if once or time.monotonic() > stop:
                return

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return results


def _figures(results: list[tuple[int, str, Any, float]], elapsed: float) -> dict[str, Any]:
    ok = [r for r in results if r[0] == 200]
    return {
        "clients": CLIENTS,
        "requests": len(results),
        "answered": len(ok),
        "turned_away_429": sum(r[0] == 429 for r in results),
        "throughput_per_s": round(len(ok) / elapsed, 2),
        "p50_ms": percentile([r[3] * 1000 for r in ok], 50),
        "p95_ms": percentile([r[3] * 1000 for r in ok], 95),
    }


# --- the HTTP API ----------------------------------------------------------------------------
def _chat(base_url: str, backend: str) -> Callable[[str], tuple[int, Any]]:
    http = httpx.Client(timeout=300)

    def call(question: str) -> tuple[int, Any]:
        reply = http.post(
            f"{base_url}/v1/chat/completions",
            json={"messages": [{"role": "user", "content": question}], "backend": backend},
        )
        if reply.status_code != 200:
            return reply.status_code, (reply.json(), reply.headers.get("retry-after"))
        body = reply.json()
        files = [(c["n"], c["file"], c["quote"]) for c in body["citations"]]
        return 200, (body["choices"][0]["message"]["content"], files, body["backend"])

    return call


def _alone(assistant: Assistant, questions: list[str], backend: str) -> dict[str, Any]:
    out = {}
    for q in questions:
        a = assistant.ask(q, backend=backend)  # type: ignore[arg-type]
        out[q] = (a.text, [(c.n, c.file, c.quote) for c in a.citations], a.backend)
    return out


def test_load__api_20_clients_extractive_all_answered_and_identical(seeds_index, tally):
    assistant = Assistant(Settings(index_dir=seeds_index, llm_backend="extractive"))
    alone = _alone(assistant, QUESTIONS, "extractive")
    with running(build_api(assistant)) as url:  # defaults: 4 running, 32 waiting
        began = time.monotonic()
        results = _hammer(_chat(url, "extractive"), QUESTIONS, SECONDS)
        elapsed = time.monotonic() - began
        assert httpx.get(f"{url}/health").json()["requests_inside"] == 0  # every slot given back
    tally.add("requests", len(results))
    failed = [r for r in results if r[0] != 200]
    tally.add("failures", len(failed))
    assert not failed, failed[:3]
    differing = [r for r in results if r[2] != alone[r[1]]]
    assert not differing, differing[:2]
    _record("api, extractive, 20 clients", _figures(results, elapsed))


def test_load__api_full_queue_turns_requests_away_with_429(seeds_index, tally):
    assistant = Assistant(Settings(index_dir=seeds_index, llm_backend="extractive"))
    alone = _alone(assistant, QUESTIONS, "extractive")
    with running(build_api(assistant, admission=Admission(running=1, waiting=2))) as url:
        results = _hammer(_chat(url, "extractive"), QUESTIONS, 0, once=True)
        assert httpx.get(f"{url}/health").json()["status"] == "ok"  # the server lives on
    tally.add("requests", len(results))
    turned_away = [r for r in results if r[0] == 429]
    tally.add("failures", len(turned_away))
    assert {r[0] for r in results} <= {200, 429}
    assert 0 < len(turned_away) < CLIENTS
    detail, retry_after = turned_away[0][2]
    assert "busy" in detail["detail"] and retry_after == "2"
    assert all(r[2] == alone[r[1]] for r in results if r[0] == 200)


def _local_small_available() -> bool:
    spec = MODELS["local-small"]
    assembled = is_verified(model_path("local-small", Settings().model_cache_dir), spec)
    return importlib.util.find_spec("llama_cpp") is not None and (
        assembled or not missing_parts(spec)
    )


def test_load__api_20_clients_local_model_short_run(seeds_index, tally):
    if not _local_small_available():
        pytest.skip("llama-cpp-python or the local-small model (file or parts) is missing")
    # Two contexts in the prompt and short answers: the model's time per question bounds the run.
    settings = Settings(
        index_dir=seeds_index, llm_backend="local-small", top_k=2, max_answer_tokens=96
    )
    assistant = Assistant(settings)
    questions = QUESTIONS[:2]
    alone = _alone(assistant, questions, "local-small")
    assert all(a[2] == "local-small" for a in alone.values())  # answered by the model itself
    # One running and 3 waiting (for their turn, not for the model's lock, which gives up after
    # llm_timeout_s): 4 answers at 4-10 s each on two cores; the other 16 are turned away at once.
    with running(build_api(assistant, admission=Admission(running=1, waiting=3))) as url:
        began = time.monotonic()
        results = _hammer(_chat(url, "local-small"), questions, 0, once=True)
        elapsed = time.monotonic() - began
        assert httpx.get(f"{url}/health").json()["requests_inside"] == 0
    tally.add("requests", len(results))
    answered = [r for r in results if r[0] == 200]
    turned_away = [r for r in results if r[0] != 200]
    tally.add("failures", len(turned_away))
    assert len(answered) >= 4 and {r[0] for r in turned_away} <= {429}, turned_away[:3]
    differing = [r for r in answered if r[2] != alone[r[1]]]
    assert not differing, differing[:2]
    _record(
        "api, local-small, 20 clients at once (1 running, 3 waiting)", _figures(results, elapsed)
    )


# --- the chat page ---------------------------------------------------------------------------
def _page(base_url: str, backend: str = "extractive") -> Callable[[str], tuple[int, Any]]:
    from gradio_client import Client

    local = threading.local()

    def call(question: str) -> tuple[int, Any]:
        if not hasattr(local, "client"):
            local.client = Client(f"{base_url}/", verbose=False)
        try:
            chat, sources, notices, _ = local.client.predict(
                text=question,
                chat=[],
                lang_now="en",
                backend_name=backend,
                k_value=4,
                pubs=[],
                d_from="",
                d_to="",
                api_name="/respond",
            )
        except Exception as err:  # a failed request, reported with its reason
            return 500, f"{type(err).__name__}: {err}"
        answer = TIMING.sub("", chat[-1]["content"][0]["text"])  # "extractive · 0.1 s"
        return 200, (answer, sources, notices)

    return call


def test_load__page_20_clients_all_answered_and_identical(seeds_index, tally):
    from ui.app import build_app, serve

    assistant = Assistant(Settings(index_dir=seeds_index, llm_backend="extractive"))
    demo = serve(build_app(assistant, lang="en"), port=free_port(), block=False)
    try:
        ask = _page(demo.local_url.rstrip("/"))
        alone = {q: ask(q)[1] for q in QUESTIONS}
        began = time.monotonic()
        results = _hammer(ask, QUESTIONS, SECONDS)
        elapsed = time.monotonic() - began
        assert ask(QUESTIONS[0]) == (200, alone[QUESTIONS[0]])  # still up, still the same
    finally:
        demo.close()
    tally.add("requests", len(results) + len(QUESTIONS) + 1)
    failed = [r for r in results if r[0] != 200]
    tally.add("failures", len(failed))
    assert not failed, failed[:3]
    differing = [r for r in results if r[2] != alone[r[1]]]
    assert not differing, [(r[1], r[2][0][:200]) for r in differing[:2]]
    _record("page, extractive, 20 clients", _figures(results, elapsed))


def test_load__page_full_queue_gives_the_queue_full_error_and_lives_on(
    seeds_index, tally, monkeypatch
):
    import ui.app
    from ui.app import build_app, serve

    monkeypatch.setattr(ui.app, "QUEUE_SIZE", 2)
    with llm_endpoint("silent") as base_url:  # every answer waits out the 2 s LLM timeout
        assistant = Assistant(
            Settings(
                index_dir=seeds_index,
                llm_backend="openai",
                openai_base_url=base_url,
                llm_timeout_s=2,
            )
        )
        assistant.warm_up("extractive")
        demo = serve(build_app(assistant, lang="en"), port=free_port(), block=False)
        try:
            ask = _page(demo.local_url.rstrip("/"), backend="openai")
            results = _hammer(ask, QUESTIONS, 0, once=True)
            after = ask(QUESTIONS[0])  # the page still answers
        finally:
            demo.close()
    tally.add("requests", len(results) + 1)
    full = [r for r in results if r[0] != 200]
    tally.add("failures", len(full))
    assert 0 < len(full) < CLIENTS
    assert all("queue is full" in r[2].lower() for r in full), full[:2]
    assert after[0] == 200 and "fallback" in after[1][0]


def test_load__long_queue_holds_no_threads_health_answers_at_once(seeds_index, tally):
    """50 requests queued behind a slow LLM: more than the server's 40 worker threads, yet
    `/health` (which needs one) answers at once, and every queued request is answered."""
    endpoint = llm_endpoint("silent")
    base_url = endpoint.__enter__()
    try:
        settings = Settings(
            index_dir=seeds_index, llm_backend="openai", openai_base_url=base_url, llm_timeout_s=60
        )
        assistant = Assistant(settings)
        assistant.warm_up("extractive")
        with (
            running(build_api(assistant, admission=Admission(running=1, waiting=60))) as url,
            ThreadPoolExecutor(50) as pool,
        ):
            futures = [pool.submit(_chat(url, "openai"), QUESTIONS[n % 2]) for n in range(50)]
            try:
                deadline = time.monotonic() + 60
                while httpx.get(f"{url}/health").json()["requests_inside"] < 50:
                    assert time.monotonic() < deadline
                    time.sleep(0.2)
                began = time.monotonic()
                health = httpx.get(f"{url}/health", timeout=10)
                waited = time.monotonic() - began
            finally:
                endpoint.__exit__(None, None, None)  # the LLM goes away: the rest fall back
            results = [f.result() for f in futures]
    finally:
        endpoint.__exit__(None, None, None)
    tally.add("requests", len(results) + 1)
    assert health.status_code == 200 and waited < 2.0, waited
    assert [r[0] for r in results] == [200] * 50
