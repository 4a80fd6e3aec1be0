"""The page as a new user meets it: the default local model answers the page's own example
questions, each with its key fact and a citation card, in headless Chromium."""

from __future__ import annotations

import json
import os

import pytest

from rag import Assistant, Settings
from rag.corpus.profile import load_profile
from rag.evaluation.metrics import facts_met
from tests.conftest import REPO
from tests.ui.test_app_e2e import _ask, _serve, browser  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.integration]

# What each example must say, as the project's dev set states it (any one form of each group).
KEY_FACTS = {
    "郑州每天大约开机多少部短剧？": [["近百部", "nearly 100", "近100"]],
    "How many micro-short drama users did China have by July, according to Cailian Press?": [
        ["696 million", "6.96亿"]
    ],
    "西安和郑州发展微短剧各自面临什么挑战？": [["cost", "成本"], ["chain", "产业链"]],
    "What new forms of storytelling are companies exploring with AI?": [
        ["manga", "漫剧"],
        ["interactive", "互动"],
    ],
}


@pytest.fixture(scope="module")
def local_page(tmp_path_factory):
    assistant = Assistant(
        Settings(index_dir=tmp_path_factory.mktemp("local") / "idx", llm_backend="local")
    )
    assistant.index([REPO / "seeds"])
    assistant.warm_up()
    demo, url = _serve(assistant)
    yield url
    demo.close()


def test_page__the_local_model_answers_every_example_with_its_fact_and_a_citation(
    browser,  # noqa: F811
    local_page,
    tmp_path,
):
    examples = load_profile("microdrama").examples
    assert sorted(examples) == sorted(KEY_FACTS), "the page's examples are the ones checked here"
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.goto(local_page)
    page.wait_for_function("document.body.innerText.includes('出处')", timeout=30_000)
    seen = []
    for turn, question in enumerate(examples, start=1):
        page.get_by_role("button", name="清空对话").last.click()
        page.wait_for_function("document.querySelectorAll('#chat .answer').length === 0")
        _ask(page, question)
        page.wait_for_function(
            "document.querySelectorAll('#chat .answer').length >= 1", timeout=180_000
        )
        answer = page.locator("#chat .answer").last.inner_text()
        sources = page.inner_text("#sources")
        seen.append({"question": question, "answer": answer, "sources": sources[:400]})
        assert facts_met(answer, KEY_FACTS[question]), (question, answer)
        assert page.locator("#chat .answer a.cite").count() >= 1, (question, answer)
        assert "#src-1" in page.locator("#chat .answer a.cite").first.get_attribute("href")
        if os.environ.get("RAG_SAVE_SCREENSHOT") and turn == 1:
            page.screenshot(path=str(REPO / "docs" / "screenshot-local.png"), full_page=False)
    (tmp_path / "answers.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1))
