"""The chat page end to end: the real app on a loopback port, driven by headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.types import Chunk, Scored
from rag import Answer, AnswerEvent, Assistant, ContextsEvent, Settings, TokenEvent
from rag.corpus.profile import load_profile
from tests.support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _serve(assistant):
    from ui.app import build_app, serve

    port = free_port()
    demo = serve(build_app(assistant, lang="zh"), "127.0.0.1", port, block=False)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("ui") / "idx"
    assistant = Assistant(Settings(index_dir=index_dir, llm_backend="extractive"))
    assistant.index([REPO / "seeds"])
    demo, url = _serve(assistant)
    yield url
    demo.close()


def _ask(page, text: str) -> None:
    box = page.locator("#question textarea")
    box.fill(text)
    box.press("Enter")


def test_page__answers_with_source_cards_and_takes_a_follow_up(browser, page_url, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('出处')", timeout=30_000)
    _ask(page, "郑州每天大约开机多少部短剧？")
    page.wait_for_selector("#src-1", timeout=60_000)
    sources = page.inner_text("#sources")
    assert "记者实探郑州短剧基地" in sources or "郑州微短剧出海计划发布" in sources
    first = page.locator("#chat .answer").last
    assert "[1]" in first.inner_text()
    link = first.locator("a.cite").first
    assert link.get_attribute("href") == "#src-1"
    link.click()  # scrolls to its card and flashes it; the page stays where it is
    page.wait_for_selector("#src-1.flash", timeout=5_000)
    assert page.url == page_url

    _ask(page, "And how many crews shoot in Xi'an each day?")
    page.wait_for_function("document.querySelectorAll('#chat .answer').length >= 2", timeout=60_000)
    page.wait_for_selector("#src-1", timeout=10_000)
    page.wait_for_timeout(500)
    second = page.locator("#chat .answer").last.inner_text()
    assert "Xi'an" in second or "西安" in second
    assert "Xi'an" in page.inner_text("#sources") or "西安" in page.inner_text("#sources")

    page.screenshot(path=str(tmp_path / "chat.png"))
    if os.environ.get("RAG_SAVE_SCREENSHOT") == "1":
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / "screenshot.png"))
    page.close()


def test_page__labels_follow_the_browser_language_and_the_toggle(browser, page_url):
    page = browser.new_page(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en"})
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
    assert "Micro-drama report assistant" in page.inner_text("body")
    page.get_by_label("中文").check()
    page.wait_for_function("document.body.innerText.includes('出处')", timeout=10_000)
    assert "微短剧报告问答" in page.inner_text("body")
    page.close()


def test_page__escapes_html_in_questions(browser, page_url):
    page = browser.new_page(locale="en-US")
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
    _ask(page, '<img src=x onerror="window.pwned=1"> 郑州有多少家企业？')
    page.wait_for_selector("#chat .answer", timeout=60_000)  # answered or refused: either way
    assert page.evaluate("window.pwned === undefined")
    assert "<img src=x" in page.locator("#chat").inner_text()  # shown as text
    page.close()


def test_page__bad_input_is_said_in_the_page(browser, page_url):
    page = browser.new_page(locale="en-US")
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
    _ask(page, "   ")
    page.wait_for_selector(".notice-error", timeout=10_000)
    assert "the question is empty" in page.inner_text("#notices")

    page.get_by_text("Model & filters").click()
    page.get_by_label("Published from (YYYY-MM-DD)").fill("2025-13-45")
    _ask(page, "郑州有多少家企业？")
    page.wait_for_function(
        "document.querySelector('#notices').innerText.includes('2025-13-45')", timeout=10_000
    )
    assert "YYYY-MM-DD" in page.inner_text("#notices")
    assert "Traceback" not in page.inner_text("body")
    page.close()


def test_page__a_missing_index_says_to_build_it(browser, tmp_path):
    assistant = Assistant(Settings(index_dir=tmp_path / "none", llm_backend="extractive"))
    demo, url = _serve(assistant)
    try:
        page = browser.new_page(locale="en-US")
        page.goto(url)
        page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
        _ask(page, "郑州有多少家企业？")
        page.wait_for_selector(".notice-error", timeout=30_000)
        assert "rag index" in page.inner_text("#notices")
        page.close()
    finally:
        demo.close()


class _SlowAssistant:
    """Sources at once, then a slow answer: shows the page's order of events and its queue."""

    settings = Settings(llm_backend="extractive")
    profile = load_profile("microdrama")

    def in_collection(self, name: str) -> _SlowAssistant:
        return self

    def page_title(self, lang: str) -> str:
        return self.profile.title(lang)

    def page_examples(self) -> list[str]:
        return list(self.profile.examples)

    def check_question(self, question: str) -> str:
        return question

    def stream(self, question, history=None, filters=None, backend=None, k=None) -> Iterator:
        chunk = Chunk(
            chunk_id="c1",
            article_id="a1",
            text="Zhengzhou shoots about 100 dramas a day.",
            embed_text="",
            file="002.txt",
            title="Provisional <b>card</b>",
        )
        contexts = [Scored(chunk, 0.9)]
        yield ContextsEvent(contexts, question)
        time.sleep(3)
        yield TokenEvent("About 100 a day [1].")
        answer = Answer("About 100 a day [1].", [], contexts, False, "en", "slow")
        yield AnswerEvent(answer)


def test_page__sources_come_before_the_answer_and_a_second_user_sees_the_queue(browser):
    demo, url = _serve(_SlowAssistant())
    try:
        first, second = browser.new_page(locale="en-US"), browser.new_page(locale="en-US")
        for page in (first, second):
            page.goto(url)
            page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
        _ask(first, "How many a day?")
        first.wait_for_selector(".src-pending-card", timeout=10_000)
        assert "About 100" not in first.locator("#chat").inner_text()  # no token yet
        assert "Provisional <b>card</b>" in first.inner_text("#sources")  # escaped

        _ask(second, "And in Xi'an?")
        second.wait_for_function(
            "/queue: \\d+\\/\\d+/.test(document.querySelector('#chat').innerText)",
            timeout=10_000,
        )
        assert re.search(r"queue: 1/1", second.locator("#chat").inner_text())
        second.wait_for_function(
            "document.querySelector('#chat').innerText.includes('About 100')", timeout=20_000
        )
        first.close()
        second.close()
    finally:
        demo.close()
