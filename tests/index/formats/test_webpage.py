"""Saved web pages: the main text only, with title, site and date, headings as sections."""

from __future__ import annotations

from datetime import datetime

from index.formats.webpage import parse_html
from tests.docs_factory import web_page

BOILERPLATE = ("首页", "关于我们", "版权所有", "热门推荐", "明星八卦", "UA-0000", "tracker")


def test_parse_html__main_text_with_metadata_and_no_boilerplate():
    (article,) = parse_html(web_page(), "news.html")
    assert (article.title, article.publisher, article.published, article.lang) == (
        "微短剧出海报告",
        "Example Media",
        datetime(2025, 9, 24),
        "zh",
    )
    texts = [p.text for p in article.paragraphs]
    assert texts[0] == "2025年中国微短剧出海应用收入达到23亿美元，同比增长超过两倍。"
    assert len(texts) == 3
    body = " ".join(texts)
    assert not [b for b in BOILERPLATE if b in body]
    assert [p.section for p in article.paragraphs] == [None, "市场格局", "市场格局"]


def test_parse_html__a_page_without_main_text_gives_no_article():
    assert parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", "x.html") == []
