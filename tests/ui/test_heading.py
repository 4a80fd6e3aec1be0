"""What the page shows of a collection (its title, examples and publishers), without Gradio:
the seeds' collection its micro-drama profile's, any other its own."""

from __future__ import annotations

import pytest

from index.storage.collections import CollectionNameError
from rag.corpus.profile import load_profile
from tests.library_support import FISH, ORCHARD, fake_models, make_library
from ui.heading import browser_title, heading

MICRODRAMA = load_profile("microdrama")


@pytest.fixture
def library(tmp_path, monkeypatch):
    fake_models(monkeypatch)
    return make_library(tmp_path / "idx")


def test_heading__the_seeds_collection_shows_the_micro_drama_profile(library):
    assert library.default == "reports"
    shown = heading(library, "reports", "zh")
    assert shown.title == "微短剧报告问答"
    assert shown.examples == MICRODRAMA.examples
    assert shown.publishers.choices("en")[0][0].startswith("36Kr · ")
    assert heading(library, "reports", "en").title == "Micro-drama report assistant"


def test_heading__a_new_name_shows_the_neutral_title_made_from_it_and_creates_nothing(library):
    shown = heading(library, " 渔业 ", "en")
    assert shown.title == "渔业 · report assistant"
    assert shown.examples == () and shown.publishers.choices("en") == []
    assert heading(library, "渔业", "zh").title == "渔业 · 资料问答"
    assert not library.exists("渔业") and library.names() == ["reports"]


def test_heading__a_collection_made_from_files_shows_questions_about_them(library):
    library.add("渔业", [("fish.txt", FISH), ("orchard.md", ORCHARD)])
    shown = heading(library, "渔业", "zh")
    assert shown.title == "渔业 · 资料问答" and "微短剧" not in shown.title
    assert sorted(shown.examples) == [
        "What does “Fisheries of Port Alder” report?",
        "What does “Orchards of Vale” report?",
    ]
    assert not set(shown.examples) & set(MICRODRAMA.examples)
    assert shown.publishers.choices("zh") == []


def test_heading__a_collection_created_empty_has_no_examples_yet(library):
    library.create("空的")
    shown = heading(library, "空的", "en")
    assert shown.title == "空的 · report assistant" and shown.examples == ()


def test_heading__a_name_that_cannot_be_a_collection_is_an_error(library):
    with pytest.raises(CollectionNameError):
        heading(library, "a/b", "en")


def test_browser_title__the_collection_title_in_both_languages(library):
    assert browser_title(library, "reports") == "微短剧报告问答 · Micro-drama report assistant"
    assert browser_title(library, "渔业") == "渔业 · 资料问答 · 渔业 · report assistant"
