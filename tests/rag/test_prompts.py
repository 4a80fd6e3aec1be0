"""Prompts: shipped as package data, read by name, overridable file by file."""

from __future__ import annotations

import pytest

from rag.prompts import PromptNotFoundError, Prompts


def test_text__reads_the_shipped_template_by_name():
    assert "{question}" in Prompts().text("answer_user")
    assert not Prompts().text("refusal_en").endswith("\n")


def test_text__an_override_folder_wins_for_the_files_it_has(tmp_path):
    (tmp_path / "refusal_en.txt").write_text("Not in these reports.\n", encoding="utf-8")
    prompts = Prompts(tmp_path)
    assert prompts.text("refusal_en") == "Not in these reports."
    assert prompts.text("refusal_zh") == Prompts().text("refusal_zh")  # the rest stay shipped


def test_render__fills_the_fields(tmp_path):
    (tmp_path / "condense.txt").write_text("H: {history} Q: {question}", encoding="utf-8")
    assert Prompts(tmp_path).render("condense", history="a", question="b") == "H: a Q: b"


def test_text__an_unknown_name_says_where_it_looked(tmp_path):
    with pytest.raises(PromptNotFoundError, match="no prompt named 'nope'"):
        Prompts(tmp_path).text("nope")
