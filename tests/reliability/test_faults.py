"""Faults: indexing killed with SIGKILL, a damaged or unwritable index, a Chroma server that goes
away and comes back, a slow or dead LLM endpoint, a truncated model file. Each ends in a correct
result or in one clear error that names the fix, within a bounded time."""

from __future__ import annotations

import importlib.util
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from index.errors import RagIndexError, StoreUnavailableError
from rag import Assistant, Settings
from rag.bench.chroma import chroma_server
from rag.factory import make_store
from rag.llm.weights import (
    MODELS,
    ModelSpec,
    ensure_model,
    is_verified,
    missing_parts,
    model_path,
)
from tests.reliability.conftest import QUESTIONS, REPO, llm_endpoint
from tests.support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

KILLS = 4
BATCH = Settings.model_fields["embed_batch_size"].default


def _rag(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli.main", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,  # type: ignore[call-overload]
    )


def _stored(index_dir: Path) -> list[tuple[str, str, str, str]]:
    store = make_store(Settings(index_dir=index_dir), create=False)
    rows = [(s.chunk.chunk_id, s.chunk.file, s.chunk.text, s.file_hash) for s in store.all_chunks()]
    assert store.count() == len(rows)
    return rows


def _rows_on_disk(index_dir: Path) -> int:
    """Vectors written so far, read with sqlite (no Chroma client cached in this process)."""
    db = index_dir / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as con:
        try:
            return int(con.execute("select count(*) from embeddings").fetchone()[0])
        except sqlite3.OperationalError:  # killed before the tables were made
            return 0


def _answers(index_dir: Path) -> list[tuple[str, list[tuple[int, str, str]]]]:
    assistant = Assistant(Settings(index_dir=index_dir, llm_backend="extractive"))
    out = []
    for q in QUESTIONS[:4]:
        a = assistant.ask(q)
        out.append((a.text, [(c.n, c.file, c.quote) for c in a.citations]))
    return out


# --- indexing killed --------------------------------------------------------------------------
class _Progress:
    """Follows `rag index`'s progress bar on stderr: chunks embedded and stored so far."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.done = 0
        self.total: int | None = None  # chunks this run has to embed
        self.bar_at: float | None = None  # when the bar appeared (imports and planning done)
        self._began = time.monotonic()
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        while block := os.read(proc.stderr.fileno(), 4096):
            if self.bar_at is None and b"embedding" in block:
                self.bar_at = time.monotonic() - self._began
            for m in re.finditer(rb"\| *(\d+)/(\d+) \[", block):
                self.done, self.total = int(m.group(1)), int(m.group(2))

    def wait(self, proc: subprocess.Popen[bytes], chunks: int) -> None:
        while self.done < chunks and proc.poll() is None:
            time.sleep(0.05)

    def wait_mid_run(self, proc: subprocess.Popen[bytes], batches: int) -> float:
        """Wait until `batches` batches are stored, but never so late that fewer than two
        remain; return the seconds one batch takes here (the kill then comes within half of
        one, whatever the speed of the machine)."""
        while self.total is None and proc.poll() is None:
            time.sleep(0.05)
        self.wait(proc, min(BATCH * batches, max(BATCH, (self.total or 0) - 2 * BATCH)))
        elapsed = time.monotonic() - self._began - (self.bar_at or 0.0)
        return elapsed / max(1, self.done // BATCH)


def test_faults__index_killed_repeatedly_then_completes_like_a_clean_build(
    seeds_index: Path, tmp_path: Path, tally
) -> None:
    seeds = shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    index_dir = tmp_path / "idx"
    clean = _stored(seeds_index)
    rng = random.Random(7)
    killed_alive, stored = 0, []
    bar_at = 4.0  # start-up before embedding begins, measured by the first run
    for run in range(KILLS):
        proc = _rag("index", str(seeds), "--index-dir", str(index_dir))
        progress = _Progress(proc)
        if run == 2:  # during start-up: imports, opening the index, planning
            time.sleep(rng.uniform(0.3, 1.0) * bar_at)
        else:  # while embedding: one or two batches stored, then part of the next
            batch_s = progress.wait_mid_run(proc, rng.randint(1, 2))
            time.sleep(rng.uniform(0.0, 0.5) * batch_s)
            bar_at = progress.bar_at or bar_at
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_alive += 1
        proc.communicate(timeout=30)
        stored.append(_rows_on_disk(index_dir))
    tally.add("faults", killed_alive)
    # Every kill landed mid-work: the index grew, but no run finished it.
    assert killed_alive == KILLS
    assert 0 < stored[-1] < len(clean), stored

    done = _rag("index", str(seeds), "--index-dir", str(index_dir))
    out, err = done.communicate(timeout=600)
    tally.add("requests", KILLS + 1)
    assert done.returncode == 0, err.decode()[-2000:]
    after = _stored(index_dir)
    assert len({row[0] for row in after}) == len(after)  # no duplicate
    assert after == clean  # no missing or extra chunk, same text and file hashes
    assert _answers(index_dir) == _answers(seeds_index)
    tally.add("inputs", 4)


# --- a damaged or unwritable index ------------------------------------------------------------
def _garbage(db: Path) -> None:
    db.write_bytes(random.Random(1).randbytes(db.stat().st_size))


def _truncated(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage", "truncated"])
def test_faults__damaged_index_gives_one_clear_error_and_rebuild_starts_afresh(
    damage, seeds_index: Path, tmp_path: Path, tally
) -> None:
    index_dir = shutil.copytree(seeds_index, tmp_path / "idx")
    damage(index_dir / "chroma" / "chroma.sqlite3")
    tally.add("faults", 1)

    with pytest.raises(RagIndexError, match=r"is damaged .* Run `rag index --rebuild`"):
        Assistant(Settings(index_dir=index_dir, llm_backend="extractive")).ask(QUESTIONS[0])

    cli = _rag("ask", QUESTIONS[0], "--index-dir", str(index_dir), "--backend", "extractive")
    out, err = cli.communicate(timeout=120)
    tally.add("requests", 2)
    lines = err.decode().strip().splitlines()
    assert cli.returncode == 1 and out == b""
    assert len(lines) == 1 and "Traceback" not in err.decode(), lines
    assert lines[0].startswith(f"rag: the index at {index_dir} is damaged")
    assert "rag index --rebuild" in lines[0]

    # What the message says works, in this same process (chromadb cached the broken client).
    store = make_store(Settings(index_dir=index_dir), create=True, rebuild=True)
    assert store.count() == 0


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """chmod for a normal user; root writes through that, so for root the immutable attribute
    (chattr +i), or a skip where the file system or the container does not allow it."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root (chmod has no effect) and chattr is not installed")
    if subprocess.run(["chattr", "-R", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("running as root (chmod has no effect) and chattr +i is not allowed here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)


@pytest.mark.parametrize("command", ["index", "ask"])
def test_faults__unwritable_index_names_the_folder_and_the_fix(
    command: str, seeds_index: Path, tmp_path: Path, tally
) -> None:
    index_dir = shutil.copytree(seeds_index, tmp_path / "idx")
    args = {
        "index": ["index", str(REPO / "seeds"), "--rebuild"],
        "ask": ["ask", QUESTIONS[0], "--backend", "extractive"],
    }[command]
    with _read_only(index_dir):
        cli = _rag(*args, "--index-dir", str(index_dir))
        out, err = cli.communicate(timeout=300)
        with pytest.raises(StoreUnavailableError, match="Make it writable"):
            Assistant(Settings(index_dir=index_dir)).index([REPO / "seeds"])
    tally.add("faults", 1)
    tally.add("requests", 2)
    lines = err.decode().strip().splitlines()
    assert cli.returncode == 1 and out == b"" and "Traceback" not in err.decode()
    assert len(lines) == 1 and "Make it writable" in lines[0], lines
    assert lines[0].startswith(f"rag: cannot write the index at {index_dir}")


# --- the Chroma server goes away and comes back -----------------------------------------------
def test_faults__chroma_server_down_mid_session_clear_error_then_recovers(
    seeds_index: Path, tmp_path: Path, tally
) -> None:
    data = shutil.copytree(seeds_index / "chroma", tmp_path / "server")  # same on-disk format
    port = free_port()
    question = QUESTIONS[1]
    with chroma_server(data, port) as url:
        assistant = Assistant(
            Settings(index_dir=tmp_path / "local", chroma_url=url, llm_backend="extractive")
        )
        before = assistant.ask(question)
        assert before.citations
    # stopped by its PID (SIGTERM, then waited for)
    began = time.monotonic()
    with pytest.raises(StoreUnavailableError, match=f"Chroma server at {url}"):
        assistant.ask(question)
    assert time.monotonic() - began < 10  # no hang
    with chroma_server(data, port):
        again = assistant.ask(question)  # the same Assistant: nothing rebuilt
    tally.add("faults", 1)
    tally.add("requests", 3)
    assert (again.text, again.citations) == (before.text, before.citations)


# --- a slow or dead LLM endpoint --------------------------------------------------------------
@pytest.mark.parametrize("mode", ["silent", "trickle", "nothing listening"])
def test_faults__slow_or_dead_llm_falls_back_to_extractive_within_the_timeout(
    mode: str, seeds_index: Path, tally
) -> None:
    timeout_s = 3.0

    @contextmanager
    def dead() -> Iterator[str]:
        yield f"http://127.0.0.1:{free_port()}/v1"

    with dead() if mode == "nothing listening" else llm_endpoint(mode) as base_url:
        assistant = Assistant(
            Settings(
                index_dir=seeds_index,
                llm_backend="openai",
                openai_base_url=base_url,
                llm_timeout_s=timeout_s,
            )
        )
        expected = assistant.ask(QUESTIONS[0], backend="extractive")  # also warms retrieval
        began = time.monotonic()
        answer = assistant.ask(QUESTIONS[0])
        elapsed = time.monotonic() - began
    tally.add("faults", 1)
    tally.add("requests", 2)
    assert elapsed <= timeout_s + 2.0, elapsed
    assert answer.backend == "extractive (fallback from openai)"
    assert answer.notices and (answer.text, answer.citations) == (
        expected.text,
        expected.citations,
    )


# --- a truncated model file -------------------------------------------------------------------
def _parts_from_the_cached_file(spec: ModelSpec, tmp_path: Path, monkeypatch) -> ModelSpec:
    """Where `make install` found the model assembled and installed no parts: part packages cut
    from the verified file, so the real re-assembly and checksum run on the real bytes."""
    whole = model_path(spec.name, Settings().model_cache_dir)
    if not is_verified(whole, spec):
        pytest.skip(f"neither the parts nor a verified {whole.name} are installed")
    site, prefix, cut = tmp_path / "site", f"cutpart_{abs(hash(str(tmp_path)))}_", spec.size // 3
    with whole.open("rb") as f:
        for n in (1, 2, 3):
            pkg = site / f"{prefix}{n}"
            pkg.mkdir(parents=True)
            (pkg / "part.bin").write_bytes(f.read(cut if n < 3 else -1))
            (pkg / "__init__.py").write_text(
                "import os\n"
                "def get_part_path():\n"
                "    return os.path.join(os.path.dirname(__file__), 'part.bin')\n"
            )
    monkeypatch.syspath_prepend(str(site))
    cut_spec = replace(spec, module=prefix + "{n}", parts=3)
    monkeypatch.setitem(MODELS, spec.name, cut_spec)
    return cut_spec


def test_faults__truncated_gguf_is_detected_and_reassembled(
    tmp_path: Path, tally, monkeypatch
) -> None:
    spec = MODELS["local-small"]
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed")
    if missing_parts(spec):
        spec = _parts_from_the_cached_file(spec, tmp_path, monkeypatch)
    cache = tmp_path / "models"
    cache.mkdir()
    target = model_path("local-small", cache)
    with ensure_model("local-small", Settings().model_cache_dir).open("rb") as whole:
        target.write_bytes(whole.read(spec.size // 3))  # a copy or an assembly cut short
    tally.add("faults", 1)

    assert not is_verified(target, spec)
    assistant = Assistant(Settings(model_cache_dir=cache, llm_backend="local-small"))
    llm = assistant.answerer().llm  # checks the file, reassembles it from the parts
    assert target.stat().st_size == spec.size and is_verified(target, spec)
    assert llm.host.spec.model_path == target
    try:  # and llama.cpp, in the model process, reads it and answers
        assert llm.complete("1+1=", max_tokens=4).text.strip()
    finally:
        llm.host.stop()
