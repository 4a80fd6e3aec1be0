"""trafilatura vs readability-lxml on realistic pages made here: how much of the main text each
keeps (recall of its paragraphs), how many boilerplate strings leak through, ms per page.

    .venv/bin/pip install readability-lxml==0.9   # not a project dependency: pip's resolver
    .venv/bin/python scripts/measure_html_extractors.py   # trips over it beside trafilatura
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.docs_factory import FOOTER, NAV, SCRIPT, web_page  # noqa: E402

EN = [
    "The micro-drama market reached 50.4 billion yuan in 2024, overtaking the box office.",
    "Paid users grew to 662 million, according to the China Netcasting Services Association.",
    "Analysts expect advertising-funded free dramas to take half of revenue by 2026.",
    "Platforms are investing in higher production values, with budgets per series rising.",
]
ZH = [
    "2025年中国微短剧出海应用收入达到23亿美元，同比增长超过两倍。",
    "ReelShort与DramaBox在美国市场的下载量位居前列，北美用户贡献了一半以上的收入。",
    "业内人士认为，本地化演员与题材是下一阶段竞争的关键。",
    "监管部门发布新规，要求平台加强内容审核与未成年人保护。",
]
BOILERPLATE = [
    "首页", "关于我们", "版权所有", "热门推荐", "明星八卦合集", "UA-0000", "Cookie settings",
    "Subscribe to our newsletter", "Related stories", "Leave a comment", "Share on Weibo",
]  # fmt: skip
LONG_COMMENT = (
    "<p>Leave a comment: I think the figures in this review are too optimistic, because most "
    "users never pay for a second episode.</p><p>Share on Weibo and tell your friends.</p>"
)
LONG_SIDEBAR = (
    "<li><p>热门推荐：明星八卦合集，今日股市行情大涨，多只个股涨停，投资者情绪高涨。</p></li>"
)


def blog(paragraphs: list[str], comments: str = "<p>Great post!</p><p>Share on Weibo</p>") -> str:
    """A blog post with a cookie banner, related stories, a newsletter box and comments."""
    related = "".join(
        f"<li><a href='/{i}'>Story {i} about something else</a></li>" for i in range(8)
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Market review</title><meta name='author' content='Jane Doe'>"
        f"{SCRIPT}</head><body><div id='cookie'>We use cookies. Cookie settings</div>"
        f"<header>{NAV}</header><div class='post'><h1>Market review</h1><div>{body}</div>"
        "<div class='newsletter'>Subscribe to our newsletter</div></div>"
        f"<div class='related'><h3>Related stories</h3><ul>{related}</ul></div>"
        f"<section class='comments'><h3>Leave a comment</h3>{comments}</section>{FOOTER}"
        "</body></html>"
    )


PAGES = {
    "zh news": (web_page(paragraphs=ZH[:3]), ZH[:3]),
    "zh news (4 paragraphs)": (web_page(title="监管新规", paragraphs=ZH), ZH),
    "en blog": (blog(EN), EN),
    "zh blog": (blog(ZH), ZH),
    "en short (2 paragraphs)": (blog(EN[:2]), EN[:2]),
    "en, long comments": (blog(EN, LONG_COMMENT), EN),
    "zh, long sidebar": (
        web_page(paragraphs=ZH[:3]).replace("</ul>", LONG_SIDEBAR + "</ul>"),
        ZH[:3],
    ),
}


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, deduplicate=False) or ""


def readability_text(html: str) -> str:
    import lxml.html
    from readability import Document

    return lxml.html.fromstring(Document(html).summary()).text_content()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def measure(extract: Callable[[str], str], repeats: int = 20) -> dict[str, float]:
    recall, leaked, ms = [], 0, []
    for html, main in PAGES.values():
        extract(html)  # warm
        started = time.perf_counter()
        for _ in range(repeats):
            out = _flat(extract(html))
        ms.append((time.perf_counter() - started) / repeats * 1000)
        recall.append(sum(_flat(p) in out for p in main) / len(main))
        leaked += sum(_flat(b) in out for b in BOILERPLATE)
    n = len(PAGES)
    return {"recall": sum(recall) / n, "leaked": leaked, "ms_per_page": sum(ms) / n}


if __name__ == "__main__":
    for name, extract in (("trafilatura", trafilatura_text), ("readability", readability_text)):
        m = measure(extract)
        print(
            f"{name}: main-text recall {m['recall']:.2f}, boilerplate strings leaked "
            f"{m['leaked']:.0f} over {len(PAGES)} pages, {m['ms_per_page']:.1f} ms/page"
        )
