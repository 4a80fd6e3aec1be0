"""`rag index|ask --collection`, `rag collections` and `rag docs`, with --json (hashing fake
embedder, real embedded Chroma under tmp_path)."""

from __future__ import annotations

import json

import pytest

from tests.library_support import FISH, ORCHARD, fake_models
from ui.cli.main import main


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fake_models(monkeypatch)
    monkeypatch.setenv("RAG_SECOND_EMBEDDER", "none")


def _json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_cli__index_in_place_into_a_collection_then_list_ask_and_remove(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "fish.txt").write_bytes(FISH)
    assert _json(capsys, ["index", str(folder), "--collection", "fish"])["files"] == 1
    (folder / "fish.txt").unlink()
    (folder / "orchard.txt").write_bytes(ORCHARD)
    synced = _json(capsys, ["index", "--collection", "fish"])  # the recorded folder, again
    assert (synced["files"], synced["removed_files"]) == (1, 1)
    [doc] = _json(capsys, ["docs", "list", "--collection", "fish"])
    assert (doc["file"], doc["source"], doc["status"]) == ("orchard.txt", "folder", "indexed")
    listed = _json(capsys, ["collections", "list"])
    assert [(c["name"], c["documents"], c["default"]) for c in listed] == [
        ("reports", 0, True),
        ("fish", 1, False),
    ]
    answer = _json(
        capsys,
        [
            "ask",
            "How many hectares of orchards?",
            "--collection",
            "fish",
            "--backend",
            "extractive",
        ],
    )
    assert {c["file"] for c in answer["citations"]} == {"orchard.txt"}
    removed = _json(capsys, ["docs", "remove", doc["id"], "--collection", "fish"])
    assert removed["removed"]["file"] == "orchard.txt"
    assert (folder / "orchard.txt").exists()  # indexed in place: the file itself stays
    assert _json(capsys, ["collections", "remove", "fish"]) == {"removed": "fish"}
    assert [c["name"] for c in _json(capsys, ["collections", "list"])] == ["reports"]


def test_cli__docs_add_copies_files_into_the_collection(tmp_path, capsys):
    source = tmp_path / "年报.txt"
    source.write_bytes(FISH)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    results = _json(capsys, ["docs", "add", str(source), str(empty), "--collection", "行业"])
    assert [(r["file"], r["status"]) for r in results] == [
        ("年报.txt", "indexed"),
        (None, "skipped"),
    ]
    assert main(["docs", "list", "--collection", "行业"]) == 0
    assert "年报.txt" in capsys.readouterr().out


def test_cli__unknown_and_bad_collections_exit_2_and_the_default_needs_force(tmp_path, capsys):
    assert main(["docs", "list", "--collection", "nope"]) == 2
    assert "no collection 'nope'" in capsys.readouterr().err
    assert main(["ask", "q", "--collection", "a/b", "--backend", "extractive"]) == 2
    assert "bad collection name" in capsys.readouterr().err
    # asking in a collection that is not there: bad input, naming the ones there are
    (tmp_path / "年报.txt").write_bytes(FISH)
    assert main(["docs", "add", str(tmp_path / "年报.txt"), "--collection", "行业"]) == 0
    capsys.readouterr()
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "鱼？"}\n', encoding="utf-8")
    for command in (["ask", "q"], ["chat"], ["eval", str(questions), "--out", str(tmp_path / "o")]):
        assert main([*command, "--collection", "nosuch", "--backend", "extractive"]) == 2
        err = capsys.readouterr().err
        assert "no collection 'nosuch'" in err and "the collections are reports, 行业" in err
    assert main(["collections", "remove", "reports"]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["collections", "remove", "reports", "--force"]) == 0


def test_cli__collections_create_with_a_profile_file(tmp_path, capsys):
    profile = tmp_path / "p.toml"
    profile.write_text('name = "mine"\n[page]\ntitle = { en = "Mine" }\n', encoding="utf-8")
    assert _json(capsys, ["collections", "create", "mine", "--profile", str(profile)]) == {
        "name": "mine", "documents": 0, "chunks": 0, "default": False
    }  # fmt: skip
    assert main(["collections", "create", "mine"]) == 2
    assert "exists" in capsys.readouterr().err
    (tmp_path / "bad.toml").write_text("name = [", encoding="utf-8")
    assert main(["collections", "create", "other", "--profile", str(tmp_path / "bad.toml")]) == 2
    assert "not valid TOML" in capsys.readouterr().err
