"""The chat page end to end: the real app on a loopback port, driven by headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from rag import Assistant, Settings

pytestmark = [pytest.mark.slow, pytest.mark.integration]

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def page_url(tmp_path_factory, seeds_dir_module):
    from ui.app import CSS, build_app

    index_dir = tmp_path_factory.mktemp("ui") / "idx"
    assistant = Assistant(Settings(index_dir=index_dir, llm_backend="extractive"))
    assistant.index([seeds_dir_module])
    demo = build_app(assistant, lang="zh")
    port = _free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        share=False,
        css=CSS,
        quiet=True,
    )
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def seeds_dir_module() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds"


def test_page__answers_with_source_cards_and_takes_a_follow_up(page_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.goto(page_url)
        box = page.locator("textarea").first
        box.fill("郑州每天大约开机多少部短剧？")
        box.press("Enter")
        page.wait_for_selector("#src-1", timeout=60_000)
        sources = page.inner_text("#sources")
        assert "记者实探郑州短剧基地" in sources or "郑州微短剧出海计划发布" in sources
        answer = page.locator(".message").last.inner_text()
        assert "[1]" in answer and page.locator("a.cite").count() >= 1

        box.fill("And how many crews shoot in Xi'an each day?")
        box.press("Enter")
        page.wait_for_function(
            "document.querySelectorAll('a.cite').length > 0 && "
            'document.body.innerText.includes("Xi\'an")',
            timeout=60_000,
        )
        page.wait_for_timeout(500)
        assert "Xi'an" in page.inner_text("#sources")
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        if os.environ.get("RAG_SAVE_SCREENSHOT"):
            target = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
            target.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(target), full_page=True)
        browser.close()


def test_page__escapes_html_in_questions(page_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="en-US")
        page.goto(page_url)
        page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
        box = page.locator("textarea").first
        box.fill('<img src=x onerror="window.pwned=1"> 郑州有多少家企业？')
        box.press("Enter")
        page.wait_for_selector("#src-1", timeout=60_000)
        assert page.evaluate("window.pwned === undefined")
        browser.close()
