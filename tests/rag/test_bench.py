"""`rag bench` end to end on a small plan: real embedder, real stores (embedded and a `chroma run`
it starts and stops), one seed file. Figures are not asserted, only that each part measured what
it says it measured."""

from __future__ import annotations

import json

import pytest

from rag import Assistant, Settings
from rag.bench import BenchPlan, run_bench
from rag.bench.common import store_settings
from rag.evaluation.questions import Question
from tests.conftest import SEEDS

ONE_FILE = SEEDS / "002_c22822ce1c7e6321.txt"
QUESTIONS = ["How many micro-drama users are there?", "微短剧用户规模有多大？", "短剧 市场"]


def test_store_settings__a_validated_copy_pointed_at_the_benchmarks_own_store(tmp_path):
    base = Settings(index_dir=tmp_path / "idx", chroma_url="http://127.0.0.1:9", retrieve_k=7)
    embedded = store_settings(base, index_dir=tmp_path / "n300", collection="scale-300")
    assert (embedded.index_dir, embedded.chroma_url) == (tmp_path / "n300", None)
    assert (embedded.collection, embedded.retrieve_k) == ("scale-300", 7)
    server = store_settings(base, url="http://127.0.0.1:8", collection="scale-300")
    assert (server.chroma_url, server.index_dir) == ("http://127.0.0.1:8", tmp_path / "idx")
    assert (base.chroma_url, base.collection) == ("http://127.0.0.1:9", "reports")  # untouched


@pytest.mark.slow
@pytest.mark.integration
def test_bench__a_small_plan_writes_every_part(tmp_path):
    assistant = Assistant(
        Settings(index_dir=tmp_path / "idx", corpus=[ONE_FILE], llm_backend="extractive")
    )
    assistant.index()
    article = assistant.retrieve("micro-drama users", k=1)[0].item
    questions = [
        Question(f"q{i}", text, expected_sources=((article.file, article.title),))
        for i, text in enumerate(QUESTIONS)
    ]
    plan = BenchPlan(
        backends=["extractive"],
        n_llm=2,
        memory=False,
        scale=[300, 600],
        scale_server=True,
        workers_s=2,
    )
    report = run_bench(assistant, questions, tmp_path / "out", plan)

    saved = json.loads((tmp_path / "out" / "bench.json").read_text())
    assert saved["indexing"] == report["indexing"]
    ix = report["indexing"]
    assert ix["cold"]["embedded"] == ix["cold"]["chunks"] > 0
    assert ix["warm"]["embedded"] == 0
    assert ix["one_file_changed"] | {"s": 0} == {
        "file": ONE_FILE.name, "embedded": 1, "removed": 1, "s": 0,
    }  # fmt: skip
    assert set(report["retrieval"]) == {"keyword", "dense", "hybrid"}
    assert all(m["scored_questions"] == 3 for m in report["retrieval"].values())
    assert report["answers"]["extractive"]["total_ms"]["n"] == 2
    stages = report["answers"]["extractive"]["stages_ms_p50"]
    assert set(stages) == {"rewrite", "retrieve", "first_token", "generate", "verify"}
    rows = report["scale"]["rows"]
    assert [(r["chunks"], r["store"]) for r in rows] == [
        (300, "embedded"), (300, "server"), (600, "embedded"), (600, "server"),
    ]  # fmt: skip
    assert all(r["queries"] == 3 * len(questions) and r["p95_ms"] > 0 for r in rows)
    assert all(r["fill_s"] is not None and r["start_s"] >= 0 for r in rows)
    assert {g["store"] for g in report["scale"]["growth"]} == {"embedded", "server"}
    workers = report["scale"]["workers"]
    assert workers["chunks"] == 600 and [w["workers"] for w in workers["rows"]] == [1, 2]
    assert all(w["answered"] > 0 and w["refused"] == 0 for w in workers["rows"])
    assert not (tmp_path / "out" / "work").exists()  # the synthetic stores are removed

    md = (tmp_path / "out" / "bench.md").read_text()
    for heading in (
        "indexing the seeds",
        "retrieval mode",
        "backend",
        "chunks | store",
        "`rag serve` workers",
        "verify ms",
    ):
        assert heading in md
