"""Each collection's own title and examples in the page, end to end: a collection made from the
page shows its name and questions about its documents, never the micro-drama ones, which stay
with the seeds' collection. The real app over the hashing embedder, headless Chromium."""

from __future__ import annotations

import pytest

from rag import Assistant, Settings
from rag.corpus.profile import load_profile
from tests.library_support import fake_models
from tests.ui.test_app_e2e import _serve, browser  # noqa: F401  (a fixture)
from tests.ui.test_page_documents_e2e import _upload

pytestmark = [pytest.mark.slow, pytest.mark.integration]

NOTES = "Harbour notes\n\nPort Alder landed 4,200 tonnes of cod in 2024.\n"
MICRODRAMA = load_profile("microdrama").examples
ASKED = "What does “Harbour notes” report?"


@pytest.fixture
def page_url(tmp_path, monkeypatch):
    fake_models(monkeypatch)
    settings = Settings(index_dir=tmp_path / "idx", llm_backend="extractive")
    demo, url = _serve(Assistant(settings))
    yield url
    demo.close()


def _shows(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => document.querySelector(s)?.innerText.includes(t)",
        arg=[selector, text],
        timeout=30_000,
    )


def _pick(page, collection: str) -> None:
    box = page.locator("#collection input")
    box.fill(collection)
    box.press("Enter")


def test_page__a_new_collection_shows_its_own_title_and_examples(
    browser,  # noqa: F811
    page_url,
    tmp_path,
):
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    page.goto(page_url)
    _shows(page, "#header", "Micro-drama report assistant")  # the seeds' collection
    assert MICRODRAMA[0] in page.inner_text("#examples")  # (long ones are cut short there)

    _pick(page, "harbour")  # a new name: its own title, no examples before its documents
    _shows(page, "#header", "harbour · report assistant")
    page.wait_for_selector("#examples", state="hidden", timeout=10_000)
    _upload(page, "harbour", [notes])
    _shows(page, "#examples", ASKED)
    header, examples = page.inner_text("#header"), page.inner_text("#examples")
    assert "Micro-drama" not in header and "微短剧" not in header
    assert not any(q[:20] in examples for q in MICRODRAMA)
    page.locator("#examples button", has_text="Harbour notes").click()
    page.wait_for_function(
        "t => document.querySelector('#question textarea').value === t", arg=ASKED
    )
    page.screenshot(path=str(tmp_path / "new-collection.png"), full_page=True)

    page.get_by_label("中文").check()  # the toggle keeps the collection's own title
    _shows(page, "#header", "harbour · 资料问答")

    _pick(page, "reports")  # back to the seeds' collection: its own title and examples
    _shows(page, "#header", "微短剧报告问答")
    _shows(page, "#examples", MICRODRAMA[0])
    assert ASKED not in page.inner_text("#examples")
    page.close()
