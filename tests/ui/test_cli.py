"""The `rag` command's contract: exit codes and messages (0 ok, 2 bad input, 1 failure)."""

from __future__ import annotations

from ui.cli.main import main


def test_ask__empty_question_exits_2_with_a_reason(capsys):
    assert main(["ask", "   ", "--backend", "extractive"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag: ") and "empty" in err and len(err.strip().splitlines()) == 1


def test_ask__too_long_question_exits_2_naming_the_limit(capsys, monkeypatch):
    monkeypatch.setenv("RAG_MAX_QUESTION_CHARS", "50")
    assert main(["ask", "x" * 51, "--backend", "extractive"]) == 2
    assert "limit is 50" in capsys.readouterr().err


def test_ask__without_an_index_exits_1_saying_how_to_build_it(capsys):
    assert main(["ask", "郑州有多少家企业？", "--backend", "extractive"]) == 1
    assert "run `rag index` first" in capsys.readouterr().err


def test_ask__bad_date_filter_exits_2(capsys):
    assert main(["ask", "q", "--backend", "extractive", "--from", "2025-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_ask__an_option_out_of_range_exits_2_naming_the_setting(capsys):
    assert main(["ask", "q", "--backend", "extractive", "--k", "0"]) == 2
    err = capsys.readouterr().err
    assert "retrieve_k" in err and "greater than or equal to 1" in err and "got 0" in err


def test_ask__an_unknown_backend_is_refused_by_the_parser(capsys):
    try:
        main(["ask", "q", "--backend", "nonsense"])
    except SystemExit as exit:
        assert exit.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_ui__an_unknown_collection_exits_2_before_the_page_starts(capsys):
    assert main(["ui", "--collection", "nowhere", "--backend", "extractive"]) == 2
    assert "no collection 'nowhere'" in capsys.readouterr().err


def test_ui__opens_on_the_named_collection_of_the_environments_library(monkeypatch, tmp_path):
    from tests.library_support import FISH, fake_models, make_library
    from ui import app

    fake_models(monkeypatch)
    make_library(tmp_path / "index").add("harbour", [("fish.txt", FISH)])  # RAG_INDEX_DIR
    opened: dict = {}
    monkeypatch.setattr(app, "serve", lambda demo, *args: opened.update(demo=demo))
    monkeypatch.setattr(app.Assistant, "warm_up", lambda self: None)
    assert main(["ui", "--collection", "harbour", "--backend", "extractive"]) == 0
    config = opened["demo"].get_config_file()
    (picker,) = [c for c in config["components"] if c["props"].get("elem_id") == "collection"]
    assert picker["props"]["value"] == "harbour"
    assert [c[0] for c in picker["props"]["choices"]] == ["reports", "harbour"]  # default first


# --- eval: the ALCE figures from an independent judge, the answerer's own check as self-agreement
def _eval_fish(monkeypatch, tmp_path, *options: str) -> dict:
    import json

    from tests.library_support import FISH, fake_models, make_library

    fake_models(monkeypatch)
    make_library(tmp_path / "index").add("harbour", [("fish.txt", FISH)])
    question = {
        "id": "f1",
        "question": "How many tonnes of cod did Port Alder land in 2024?",
        "answerable": True,
        "expected_sources": [{"file": "fish.txt", "title": "Fisheries of Port Alder"}],
        "expected_facts": [["4,200"]],
    }
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps(question) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    args = ["eval", str(questions), "--out", str(out), "--collection", "harbour"]
    assert main([*args, "--backend", "extractive", *options]) == 0
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def test_eval__without_a_judge_self_agreement_is_labelled_and_alce_is_not_measured(
    monkeypatch, tmp_path, capsys
):
    metrics = _eval_fish(monkeypatch, tmp_path)
    assert metrics["fact_accuracy"] == 1.0 and metrics["statements_citing_expected"] == 1.0
    assert metrics["self_agreement_citation_recall"] == 1.0  # the injected SupportVerifier
    assert metrics["self_agreement_unsupported_figures_shown"] == 0
    assert metrics["alce_citation_recall"] is None and metrics["settings"]["judge"] == "none"
    printed = capsys.readouterr().out
    assert '"self_agreement_citation_recall": 1.0' in printed and "alce_citation" not in printed
    assert "not measured (no independent judge; add --judge openai)" in printed
    assert "self_agreement_*: the answerer's own verifier judging its answers (not ALCE)" in printed
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "ALCE citation recall and precision: not measured" in report


def test_eval__the_openai_judge_gives_the_alce_figures(monkeypatch, tmp_path, capsys):
    from tests.rag.evaluation.scripted import judge_server
    from tests.support import http_server

    requests: list = []
    with http_server(judge_server(requests)) as url:
        monkeypatch.setenv("RAG_OPENAI_BASE_URL", url)
        monkeypatch.setenv("RAG_OPENAI_MODEL", "judge-model")
        metrics = _eval_fish(monkeypatch, tmp_path, "--judge", "openai")
    assert requests and {r["model"] for r in requests} == {"judge-model"}
    assert (metrics["alce_citation_recall"], metrics["alce_citation_precision"]) == (1.0, 1.0)
    assert metrics["alce_statements"] == 1 and metrics["self_agreement_statements"] == 1
    assert '"alce_citation_recall": 1.0' in capsys.readouterr().out
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| alce_citation_recall | 1.000 |" in report and "not measured" not in report


def test_eval__the_answerers_verifier_is_no_judge_of_its_own(capsys):
    try:
        main(["eval", "q.jsonl", "--out", "run", "--judge", "verifier"])
    except SystemExit as exit:
        assert exit.code == 2
    assert "invalid choice: 'verifier'" in capsys.readouterr().err
