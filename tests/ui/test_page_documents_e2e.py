"""Your own reports in the page, end to end: files dropped into a new collection, a question
answered from them, the citation opened in context with its PDF page highlighted. The real app,
the real models (extractive answers), headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag import Assistant, Settings
from tests.docs_factory import make_pdf
from tests.ui.test_app_e2e import _ask, _serve, browser  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.integration]

NOTES = "Harbour notes\n\nPort Alder landed 4,200 tonnes of cod in 2024.\n"


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("docs") / "idx"
    demo, url = _serve(Assistant(Settings(index_dir=index_dir, llm_backend="extractive")))
    yield url
    demo.close()


def _upload(page, collection: str, files: list[Path]) -> None:
    box = page.locator("#collection input")
    box.fill(collection)
    box.press("Enter")
    page.locator("#docs-panel > button").first.click()  # open the documents panel
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_selector(".upload-results", timeout=300_000)


def test_page__files_dropped_into_a_new_collection_answer_and_open_in_context(
    browser,  # noqa: F811
    page_url,
    tmp_path,
):
    pdf = make_pdf(tmp_path / "行业报告.pdf")
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 1100}, locale="zh-CN")
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('出处')", timeout=30_000)
    _upload(page, "年报", [pdf, notes])
    status = page.inner_text("#upload-status")
    assert "行业报告.pdf: 已索引" in status and "notes.txt: 已索引" in status
    docs = page.inner_text("#documents")
    assert "行业报告.pdf" in docs and "notes.txt" in docs

    _ask(page, "协会会员单位共有多少家？")
    page.wait_for_selector("#src-1", timeout=120_000)
    assert "行业报告.pdf" in page.inner_text("#src-1")
    page.locator("#chat .answer a.cite").first.click()  # the [1] marker opens it too
    page.wait_for_selector("#viewer mark", timeout=30_000)
    assert "356" in page.inner_text("#viewer mark")
    assert "第 2 页" in page.inner_text("#viewer")
    image = page.locator("#viewer img.viewer-page")
    page.wait_for_function(
        "document.querySelector('#viewer img.viewer-page')?.naturalWidth > 0", timeout=60_000
    )
    assert "/page/2.png?chunk=" in (image.get_attribute("src") or "")
    download = page.locator("#viewer a.viewer-download")
    with page.expect_download() as got:
        download.click()
    assert got.value.suggested_filename == "行业报告.pdf"
    page.screenshot(path=str(tmp_path / "viewer.png"), full_page=True)
    if os.environ.get("RAG_SAVE_SCREENSHOT") == "1":
        page.screenshot(path=str(Path("/tmp/ui-shots") / "e2e-viewer.png"), full_page=True)

    page.get_by_role("button", name="关闭").click()
    page.wait_for_selector("#viewer-col", state="hidden", timeout=10_000)
    page.locator("#documents button[data-doc]").first.click()  # arms it
    page.locator("#documents button.armed").click()
    page.wait_for_selector(".upload-removed", timeout=30_000)
    assert "notes.txt" not in page.inner_text("#documents")
    page.close()


def test_page__switching_collection_starts_a_new_conversation(browser, page_url, tmp_path):  # noqa: F811
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    page = browser.new_page(locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    page.goto(page_url)
    page.wait_for_function("document.body.innerText.includes('Sources')", timeout=30_000)
    _upload(page, "harbour", [notes])
    _ask(page, "How much cod did Port Alder land?")
    page.wait_for_selector("#src-1", timeout=120_000)
    assert "4,200" in page.locator("#chat .answer").last.inner_text()
    box = page.locator("#collection input")
    box.fill("reports")
    box.press("Enter")
    page.wait_for_function(
        "document.querySelectorAll('#chat .answer').length === 0", timeout=10_000
    )
    assert "Sources appear here" in page.inner_text("#sources")
    page.close()
