"""The page's HTML and labels, without Gradio: citation links, cards, escaping, forms."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from index.errors import IndexNotBuiltError
from index.types import Chunk, Scored
from rag.errors import QuestionError
from rag.types import Answer, Citation, Filters
from tests.support import PUBLISHERS
from ui.page import (
    answer_html,
    answer_message_html,
    citation_cards_html,
    context_cards_html,
    error_html,
    form_filters,
    header_markdown,
    notices_html,
    page_language,
    sources_panel_html,
    status_html,
)

EVIL = '<script>alert("x")</script>'


def _answer(text: str, refused: bool = False) -> Answer:
    cite = Citation(
        n=1,
        file="001.txt",
        title=f"Title {EVIL}",
        publisher="36Kr",
        published=datetime(2025, 9, 24, 7, 46),
        quote=f"quote {EVIL}",
        refs=(15, 21),
        chunk_id="c1",
    )
    chunk = Chunk(
        chunk_id="c1",
        article_id="a",
        text=f"quote {EVIL}",
        embed_text="",
        file="001.txt",
        title=f"Title {EVIL}",
        publisher="3 6 Ke",
    )
    return Answer(
        text=text,
        citations=[] if refused else [cite],
        contexts=[Scored(chunk, 0.9)],
        refused=refused,
        language="en",
        backend="local",
        timings_ms={"retrieve": 1.0, "generate": 2.0, "total": 3.0},
    )


def test_answer_html__links_known_markers_and_escapes_the_rest():
    out = answer_html(f"It grew [1]. {EVIL} [7]", known={1})
    assert '<a class="cite" href="#src-1"' in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "[7]" in out and 'href="#src-7"' not in out


def test_citation_cards__escaped_numbered_with_refs_and_supported_sentences():
    html = citation_cards_html(_answer("It grew 10% [1]. Other."), "en")
    assert 'id="src-1"' in html and "<script>" not in html
    assert "36Kr · 2025-09-24 · 001.txt ¶15,21" in html
    assert "It grew 10%." in html


def test_citation_cards__a_refusal_says_so():
    assert "Not in the reports" in citation_cards_html(_answer("x", refused=True), "en")
    assert "报告中没有答案" in citation_cards_html(_answer("x", refused=True), "zh")


def test_context_cards__show_the_usual_publisher_name_escaped():
    html = context_cards_html(_answer("x").contexts, "zh", PUBLISHERS)
    assert "36氪 · 001.txt" in html and "3 6 Ke" not in html and "<script>" not in html
    assert "36Kr · 001.txt" in context_cards_html(_answer("x").contexts, "en", PUBLISHERS)


def test_context_cards__at_most_the_first_few():
    contexts = _answer("x").contexts * 7
    assert context_cards_html(contexts, "en", PUBLISHERS).count("src-pending-card") == 5
    assert context_cards_html(contexts, "en", PUBLISHERS, limit=2).count("src-pending-card") == 2


def test_notices_html__escaped_and_empty_when_none():
    assert notices_html([]) == ""
    assert "&lt;b&gt;" in notices_html(["<b>fallback</b>"])


# --- the chat page's pieces --------------------------------------------------------------------
def test_answer_html__escapes_a_script_in_the_answer_and_keeps_line_breaks():
    out = answer_html(f"line one\n{EVIL}", known=set())
    assert "<script" not in out and out.count("<br>") == 1


def test_citation_cards__title_links_only_to_web_urls():
    def cite(url):
        return Citation(1, "001.txt", "T", None, None, "q", (), "c1", url=url)

    web = replace(_answer("A [1]."), citations=[cite("https://example.com/a?x=1&y=2")])
    assert 'href="https://example.com/a?x=1&amp;y=2"' in citation_cards_html(web)
    evil = replace(_answer("A [1]."), citations=[cite("javascript:alert(1)")])
    assert "javascript:" not in citation_cards_html(evil)


def test_citation_cards__a_quote_that_is_the_sentence_is_not_repeated():
    answer = _answer('- quote <script>alert("x")</script> [1]')
    assert "Supports" not in citation_cards_html(answer, "en")


def test_sources_panel__counts_and_shows_the_rewritten_follow_up_escaped():
    answer = replace(
        _answer("It grew [1]."), question="And there?", standalone_question=f"Growth in {EVIL}?"
    )
    html = sources_panel_html(answer, "en")
    assert "1 cited · 1 passages retrieved" in html
    assert "Searched for" in html and "<script>" not in html and "&lt;script&gt;" in html
    answer = replace(answer, standalone_question="And there?")
    assert "Searched for" not in sources_panel_html(answer, "en")


def test_sources_panel__a_refusal_still_shows_the_passages_consulted_unnumbered():
    answer = replace(_answer("报告中没有关于这个问题的信息。"), refused=True, citations=[])
    html = sources_panel_html(answer, "zh", PUBLISHERS)
    assert "报告中没有答案" in html and "检索过的资料（都没有回答这个问题）" in html
    assert html.count("src-pending-card") == len(answer.contexts) >= 1
    assert 'id="src-' not in html  # nothing is numbered: nothing was cited
    assert "src-consulted" not in sources_panel_html(_answer("It grew [1]."), "zh", PUBLISHERS)


def test_answer_message__links_markers_and_shows_notices_and_model():
    notice = f"The local model could not answer {EVIL}; an extractive answer is shown."
    answer = replace(_answer("It grew 10% [1]."), notices=[notice])
    out = answer_message_html(answer, "en")
    assert 'href="#src-1"' in out and "refused-badge" not in out
    assert "Please note" in out and "extractive answer is shown" in out
    assert "<script>" not in out
    assert "local · 0.0 s" in out


def test_answer_message__a_refusal_is_marked_not_in_the_reports():
    refused = _answer("报告中没有关于这个问题的信息。", refused=True)
    out = answer_message_html(refused, "zh")
    assert "refused-badge" in out and "报告中没有答案" in out
    assert "Not in the reports" in answer_message_html(refused, "en")


def test_context_cards__are_provisional_unnumbered_and_escaped():
    html = context_cards_html(_answer("x").contexts, "en", PUBLISHERS)
    assert "src-pending-card" in html and 'id="src-' not in html
    assert "Retrieved" in html and "<script>" not in html


def test_notices_html__titled_in_the_page_language():
    assert "请注意" in notices_html(["x"], "zh") and "Please note" in notices_html(["x"], "en")


def test_page_language__follows_the_browser():
    assert page_language("en-US,en;q=0.9,zh-CN;q=0.8") == "en"
    assert page_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert page_language("fr-FR,fr;q=0.9") == "zh"
    assert page_language(None) == "zh"


def test_header_markdown__title_and_subtitle_in_the_page_language():
    assert header_markdown("微短剧报告问答", "zh").startswith("# 微短剧报告问答\n")
    assert "Answers drawn only from the reports" in header_markdown(
        "Micro-drama report assistant", "en"
    )


def test_form_filters__reads_dates_and_publishers():
    filters = form_filters(["36Kr"], " 2025-01-01 ", "", "en")
    assert filters == Filters(publishers=("36Kr",), date_from=date(2025, 1, 1))
    assert form_filters(None, None, None).is_empty()


@pytest.mark.parametrize(
    ("start", "end", "lang", "message"),
    [
        ("2025-13-45", "", "en", "“2025-13-45” is not a date; write it as YYYY-MM-DD"),
        ("", "yesterday", "zh", "发布日期止（YYYY-MM-DD）：“yesterday”不是日期"),
        ("2025-09-01", "2025-01-01", "en", "start date 2025-09-01 is after the end date"),
    ],
)
def test_form_filters__a_bad_date_says_what_to_write(start, end, lang, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        form_filters([], start, end, lang)


def test_error_html__domain_errors_say_the_fix_others_stay_in_the_log():
    missing = IndexNotBuiltError("no index at .rag/ - run `rag index` first")
    assert "run `rag index` first" in error_html(missing, "en")
    assert "the question is empty" in error_html(QuestionError("the question is empty"), "en")
    secret = error_html(RuntimeError("/home/x/secret.py line 3"), "en")
    assert "secret" not in secret and "server" in secret
    assert "<script>" not in error_html(QuestionError(EVIL), "en")


def test_status_html__escaped_label():
    assert "正在检索报告" in status_html("searching", "zh")
    assert "Sources appear here" in status_html("no_sources", "en")
