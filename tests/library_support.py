"""A library over a real embedded Chroma in tmp_path with the hashing fake embedder (fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import factory
from rag.library import Library
from rag.settings import Settings
from tests.fakes import HashEmbedding

FISH = b"Fisheries of Port Alder\n\nPort Alder landed 4,200 tonnes of cod in 2024.\n"
ORCHARD = b"Orchards of Vale\n\nApple orchards in Vale grew 12 percent, to 900 hectares.\n"
WIND = b"Wind in Norland\n\nNorland built 30 wind turbines on its northern coast.\n"


def fake_models(monkeypatch: pytest.MonkeyPatch) -> HashEmbedding:
    """The hashing embedder for every assistant, and for the second vector set."""
    embedder = HashEmbedding()
    monkeypatch.setattr(factory, "make_embedder", lambda settings: embedder)
    monkeypatch.setattr(factory, "make_second_embedder", lambda settings: HashEmbedding("f/2"))
    return embedder


def make_library(index_dir: Path, **overrides: object) -> Library:
    settings = Settings(index_dir=index_dir, llm_backend="extractive", **overrides)  # type: ignore[arg-type]
    return Library(settings)
