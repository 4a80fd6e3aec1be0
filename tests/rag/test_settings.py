"""Settings: one tree, validated whichever way a value arrives, with a fixed precedence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rag import Assistant, Settings
from rag.settings import BACKENDS, RETRIEVAL_MODES


def test_with_overrides__validates_like_the_environment():
    with pytest.raises(ValidationError, match="retrieve_k"):
        Settings().with_overrides(retrieve_k=0)
    with pytest.raises(ValidationError, match="llm_backend"):
        Settings().with_overrides(llm_backend="nonsense")
    assert Settings().with_overrides(retrieve_k=7).retrieve_k == 7


def test_with_overrides__none_means_not_given(monkeypatch):
    monkeypatch.setenv("RAG_RETRIEVE_K", "12")
    assert Settings().with_overrides(retrieve_k=None).retrieve_k == 12


def test_from_settings__rejects_an_unknown_backend():
    with pytest.raises(ValidationError, match="llm_backend"):
        Assistant.from_settings(llm_backend="nonsense")


def test_precedence__arguments_then_environment_then_file_then_defaults(tmp_path, monkeypatch):
    config = tmp_path / "rag.toml"
    config.write_text("retrieve_k = 8\ntop_k = 3\nper_article = 5\n", encoding="utf-8")
    monkeypatch.setenv("RAG_CONFIG", str(config))
    monkeypatch.setenv("RAG_TOP_K", "6")
    monkeypatch.setenv("RAG_PER_ARTICLE", "4")
    settings = Settings(per_article=1)
    assert settings.retrieve_k == 8  # the file over the default
    assert settings.top_k == 6  # the environment over the file
    assert settings.per_article == 1  # an argument over the environment
    assert settings.candidates == 40  # the default


def test_api_token__is_a_secret_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("RAG_API_TOKEN", "s3cret-token")
    settings = Settings()
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == "s3cret-token"
    assert "s3cret-token" not in repr(settings) and "s3cret-token" not in str(settings)


def test_choices__are_the_literals():
    assert BACKENDS == ("local", "local-small", "openai", "extractive")
    assert RETRIEVAL_MODES == ("hybrid", "dense", "keyword")
