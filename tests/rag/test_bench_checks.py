"""`python -m rag.bench.checks`: every answered result of a run checked again, timed on first
sight and warm; refusals skipped."""

from __future__ import annotations

import json

import rag.factory
from rag import Assistant, Settings
from rag.bench.checks import bench_checks, render_md
from tests.conftest import REPO
from tests.fakes import HashEmbedding

SEED = REPO / "seeds" / "002_c22822ce1c7e6321.txt"


def test_bench_checks__answered_results_timed_twice_refusals_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(rag.factory, "make_embedder", lambda settings: HashEmbedding())
    settings = Settings(index_dir=tmp_path / "idx", llm_backend="extractive")
    Assistant(settings).index([SEED])
    run = tmp_path / "run"
    run.mkdir()
    results = [
        {"id": "a1", "question": "How many micro-short drama users by July?", "language": "en",
         "answer": "China had 696 million users by July 2025 [1].\nThe sources give ...",
         "refused": False},
        {"id": "r1", "question": "ReelShort revenue?", "language": "en",
         "answer": "The reports do not contain the answer to this question.", "refused": True},
    ]  # fmt: skip
    lines = "\n".join(json.dumps(r) for r in results)
    (run / "results.jsonl").write_text(lines, encoding="utf-8")
    figures = bench_checks([run], settings)
    assert figures["first_sight_ms"]["n"] == figures["warm_ms"]["n"] == 1
    assert figures["slowest_first_sight"]["id"] == "a1" and figures["max_first_sight_ms"] > 0
    assert "| first sight | 1 |" in render_md(figures)
