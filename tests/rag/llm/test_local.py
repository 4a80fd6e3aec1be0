"""The local backend: the model in a supervised process of its own (rag/llm/host.py).

Fast tests run `fake_model_process.py` (the model process's command line, state file and lease
rule, with an OpenAI-compatible endpoint that echoes); the slow ones the packaged GGUF models in
`rag.llm.model_process`, llama.cpp's own server.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_index.core.llms import ChatMessage

from rag.errors import LLMTimeoutError, LLMUnavailableError
from rag.llm import build, isa
from rag.llm.build import make_llm
from rag.llm.deadline import within
from rag.llm.host import HostSpec, ModelHost, describe_exit
from rag.llm.local import LocalModel
from rag.settings import Settings

FAKE = "tests.rag.llm.fake_model_process"


def _ask(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="system", content="Be brief."), ChatMessage(role="user", content=text)]


def _spec(tmp_path: Path, name: str = "fake-0.gguf") -> HostSpec:
    model = tmp_path / name
    model.write_bytes(b"GGUF")
    return HostSpec(model, 2048, 2, module=FAKE)


@pytest.fixture
def hosts(tmp_path: Path) -> Iterator[list[ModelHost]]:
    made: list[ModelHost] = []
    yield made
    for host in made:
        host.stop()


def _host(hosts: list[ModelHost], spec: HostSpec, run_dir: Path) -> ModelHost:
    host = ModelHost(spec, run_dir, start_timeout_s=30)
    hosts.append(host)
    return host


def _gone(pid: int, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z":
            return True
        time.sleep(0.1)
    return False


def test_local__answers_through_the_model_process_not_in_this_one(hosts, tmp_path: Path) -> None:
    host = _host(hosts, _spec(tmp_path), tmp_path / "run")
    llm = LocalModel(host, max_tokens=50, timeout=10)

    assert llm.chat(_ask("hi")).message.content == "you said hi"
    assert [c.delta for c in llm.stream_chat(_ask("x"))] == ["you", " said", " x"]
    assert llm.complete("q").text == "you said q"

    pid = host.pid()
    assert pid is not None and pid != os.getpid()
    assert llm.api_base == host.endpoint()


def test_local__two_workers_share_one_model_process_and_it_ends_after_the_last(
    hosts, tmp_path: Path
) -> None:
    spec, run = _spec(tmp_path), tmp_path / "run"
    first, second = _host(hosts, spec, run), _host(hosts, spec, run)

    assert first.endpoint() == second.endpoint()
    pid = first.pid()
    assert pid is not None and second.pid() == pid

    first.close()
    time.sleep(1.5)
    assert second.pid() == pid, "a lease is left: the model process stays"
    second.close()
    assert _gone(pid), "no lease is left: the model process ends"


def test_local__a_model_process_killed_mid_answer_fails_that_answer_and_is_started_again(
    hosts, tmp_path: Path
) -> None:
    host = _host(hosts, _spec(tmp_path, "fake-0.3.gguf"), tmp_path / "run")
    llm = LocalModel(host, max_tokens=50, timeout=10)
    first_pid = host.pid() or (host.endpoint() and host.pid())
    assert first_pid

    stream = llm.stream_chat(_ask("crash"))
    assert next(stream).delta == "you"
    os.kill(first_pid, signal.SIGSEGV)
    with pytest.raises(LLMUnavailableError, match="SIGSEGV.*started again"):
        list(stream)

    deadline = time.monotonic() + 10
    while host.restarts == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert host.restarts == 1
    assert host.last_exit == "killed by SIGSEGV"
    assert llm.chat(_ask("again")).message.content == "you said again"
    assert host.pid() not in (None, first_pid)


def test_local__a_model_process_that_cannot_start_says_how_it_ended_and_what_to_do(
    hosts, tmp_path: Path
) -> None:
    host = _host(hosts, _spec(tmp_path, "broken.gguf"), tmp_path / "run")

    with pytest.raises(LLMUnavailableError) as err:
        LocalModel(host, timeout=10).chat(_ask("hi"))

    message = str(err.value)
    assert "exit code 3" in message
    assert "unknown model architecture" in message  # its own output
    assert "scripts/llama_wheel.sh" in message and "RAG_LLM_BACKEND=extractive" in message


def test_local__a_stream_past_the_deadline_is_closed_and_the_model_takes_the_next_question(
    hosts, tmp_path: Path
) -> None:
    host = _host(hosts, _spec(tmp_path, "fake-0.4.gguf"), tmp_path / "run")
    llm = LocalModel(host, max_tokens=50, timeout=10)
    host.endpoint()

    started = time.monotonic()
    with pytest.raises(LLMTimeoutError, match="llm_timeout_s=0.5"):
        list(within(llm, _ask("slow"), 0.5))
    assert time.monotonic() - started < 1.0
    assert llm.chat(_ask("next")).message.content == "you said next"


def test_local__concurrent_questions_from_threads_all_get_their_answer(
    hosts, tmp_path: Path
) -> None:
    llm = LocalModel(_host(hosts, _spec(tmp_path, "fake-0.02.gguf"), tmp_path / "run"), timeout=10)
    answers: list[str] = []
    threads = [
        threading.Thread(
            target=lambda i=i: answers.append(str(llm.chat(_ask(str(i))).message.content))
        )
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(answers) == [f"you said {i}" for i in range(4)]


def test_local__built_from_settings_with_its_context_threads_and_run_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(build, "ensure_model", lambda name, cache_dir: tmp_path / f"{name}.gguf")
    settings = Settings(
        llm_threads=3, llm_context=2048, max_answer_tokens=50, model_run_dir=tmp_path / "run"
    )

    llm = make_llm(settings, "local-small")

    assert isinstance(llm, LocalModel)
    assert llm.host.spec == HostSpec(tmp_path / "local-small.gguf", 2048, 3)
    assert llm.host.run_dir == tmp_path / "run"
    assert (llm.max_tokens, llm.temperature) == (50, 0.0)


def test_local__missing_llama_cpp_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real(name, *a),
    )
    with pytest.raises(
        LLMUnavailableError, match=r"llama-cpp-python\[server\]==0\.3\.36.*llama_wheel"
    ):
        make_llm(Settings(), "local")


def _on_a_variant(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """This machine as one whose CPU runs a faster llama.cpp build than the baseline."""
    monkeypatch.setattr(
        isa,
        "library",
        lambda wanted="auto": (
            (isa.BASELINE, None) if wanted == "baseline" else ("fake-variant", tmp_path)
        ),
    )


def test_local__a_faster_build_that_crashes_on_loading_gives_way_to_the_baseline(
    hosts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_variant(monkeypatch, tmp_path)
    host = _host(hosts, _spec(tmp_path, "crashy-0.gguf"), tmp_path / "run")

    assert LocalModel(host, timeout=10).chat(_ask("hi")).message.content == "you said hi"

    assert host.build == isa.BASELINE
    assert "killed by SIGILL on llama.cpp's fake-variant" in host.baseline_file.read_text()
    host.stop()
    later = _host(hosts, host.spec, tmp_path / "run")  # the next start: the baseline at once
    later.endpoint()
    assert later.build == isa.BASELINE and later.restarts == 0
    assert json.loads(later.state_file.read_text())["isa"] == isa.BASELINE


def test_local__a_faster_build_that_crashes_mid_answer_is_started_again_on_the_baseline(
    hosts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_variant(monkeypatch, tmp_path)
    host = _host(hosts, _spec(tmp_path, "fake-0.3.gguf"), tmp_path / "run")
    llm = LocalModel(host, max_tokens=50, timeout=10)
    host.endpoint()
    first_pid = host.pid()
    assert host.build == "fake-variant" and not host.baseline_file.exists()

    stream = llm.stream_chat(_ask("crash"))
    assert next(stream).delta == "you"
    os.kill(first_pid or 0, signal.SIGSEGV)
    with pytest.raises(LLMUnavailableError, match="SIGSEGV"):
        list(stream)

    deadline = time.monotonic() + 10
    while host.restarts == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert llm.chat(_ask("again")).message.content == "you said again"
    assert host.build == isa.BASELINE and host.baseline_file.exists()


def test_local__a_baseline_that_crashes_on_loading_says_so_and_writes_no_fallback(
    hosts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isa, "library", lambda wanted="auto": (isa.BASELINE, None))
    monkeypatch.setattr(HostSpec, "command", _told_auto(HostSpec.command))
    host = _host(hosts, _spec(tmp_path, "crashy-0.gguf"), tmp_path / "run")

    with pytest.raises(LLMUnavailableError, match="killed by SIGILL"):
        LocalModel(host, timeout=10).chat(_ask("hi"))
    assert not host.baseline_file.exists()


def _told_auto(command):  # the fake crashes unless told "baseline": as a baseline that crashes
    return lambda self, state, clients, port, build="auto": command(self, state, clients, port)


def test_local__a_baseline_asked_for_beside_a_variant_gets_its_own_model_process(
    hosts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_variant(monkeypatch, tmp_path)
    run = tmp_path / "run"
    monkeypatch.delenv("RAG_LLAMA_ISA", raising=False)
    variant = _host(hosts, _spec(tmp_path), run)
    monkeypatch.setenv("RAG_LLAMA_ISA", "baseline")
    baseline = _host(hosts, _spec(tmp_path), run)

    assert variant.spec.key != baseline.spec.key
    assert variant.endpoint() != baseline.endpoint()
    assert variant.build == "fake-variant" and baseline.build == isa.BASELINE
    assert json.loads(baseline.state_file.read_text())["isa"] == isa.BASELINE


def test_local__an_unknown_build_asked_for_is_a_clear_error(
    hosts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_LLAMA_ISA", "avx1024")
    host = _host(hosts, _spec(tmp_path), tmp_path / "run")

    with pytest.raises(LLMUnavailableError, match="RAG_LLAMA_ISA.*avx1024"):
        LocalModel(host, timeout=10).chat(_ask("hi"))


def test_describe_exit__names_signals_and_codes() -> None:
    assert describe_exit(-11) == "killed by SIGSEGV"
    assert describe_exit(-4) == "killed by SIGILL"
    assert describe_exit(1) == "exit code 1"


# --- the real models -----------------------------------------------------------------------


def _no_native_code_here() -> None:
    maps = Path("/proc/self/maps").read_text()
    assert "libggml" not in maps and "libllama" not in maps, "llama.cpp loaded in this process"


@pytest.mark.slow
@pytest.mark.integration
def test_local_small__real_model_streams_an_answer_from_its_own_process() -> None:
    llm = make_llm(Settings(max_answer_tokens=24), "local-small")

    chunks = list(llm.stream_chat(_ask("What colour is the sky on a clear day?")))

    assert len(chunks) > 1
    assert chunks[-1].message.content and chunks[-1].message.content.strip()
    _no_native_code_here()


@pytest.mark.slow
@pytest.mark.integration
def test_local__real_model_replies_ok() -> None:
    llm = make_llm(Settings(max_answer_tokens=16), "local")

    reply = llm.chat([ChatMessage(role="user", content="Reply with the word OK")])

    assert "OK" in str(reply.message.content).upper()
    _no_native_code_here()


def test_local__asks_with_llama_cpps_own_sampling_defaults(hosts, tmp_path: Path) -> None:
    # llama.cpp's server defaults to repeat_penalty 1.1; the in-process Llama to 1.0
    host = _host(hosts, _spec(tmp_path), tmp_path / "run")
    LocalModel(host, timeout=10, temperature=0.0).chat(_ask("hi"))
    sent = json.loads(host.state_file.with_suffix(".request").read_text())
    assert (sent["repeat_penalty"], sent["top_k"], sent["temperature"]) == (1.0, 40, 0.0)
