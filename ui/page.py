"""The chat page's content as safe HTML, and its labels in both languages: pure functions, so
the page stays thin and all of this is tested without a browser."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date, datetime

from rag.errors import is_user_error
from rag.notices import message
from rag.records import (
    MARKER,
    PassageView,
    Publishers,
    Retrieved,
    passage_view,
    sentences_citing,
)
from rag.types import Answer, Citation, Filters


def answer_html(text: str, known: set[int]) -> str:
    """The answer as safe HTML: everything escaped, then `[n]` of a known source made a link to
    its card (`#src-n`). Markers with no card stay plain text."""

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="cite" href="#src-{n}" title="source {n}">[{n}]</a>'

    escaped = html.escape(text)
    return MARKER.sub(link, escaped).replace("\n", "<br>")


# --- the chat page's pieces: pure HTML, every text escaped -----------------------------------
# The page (ui/app.py) only places these strings; tests check them without Gradio.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Micro-drama report assistant",
        "subtitle": "Answers drawn only from the reports, with sources you can check.",
        "welcome": "Ask in Chinese or English. Every answer cites the reports it comes from; "
        "the sources appear on the right.",
        "question": "Ask about the reports (Chinese or English)…",
        "send": "Ask",
        "clear": "Clear conversation",
        "sources": "Sources",
        "searching": "Searching the reports…",
        "retrieved": "Retrieved (answer being written…)",
        "cited": "{cited} cited · {n} passages retrieved",
        "searched_for": "Searched for",
        "settings": "Model & filters",
        "backend": "Model",
        "k": "Passages retrieved",
        "publishers": "Only these publishers",
        "date_from": "Published from (YYYY-MM-DD)",
        "date_to": "Published to (YYYY-MM-DD)",
        "examples": "Examples",
        "refused": "Not in the reports",
        "supports": "Supports",
        "notices": "Please note",
        "no_sources": "Sources appear here as soon as they are found.",
        "language": "Interface language",
        "error": "Could not answer",
        "internal": "Something went wrong on the server; its log has the details.",
        "bad_date": "{what}: “{value}” is not a date; write it as YYYY-MM-DD, e.g. 2025-09-24.",
        "date_order": "The start date {start} is after the end date {end}.",
        "seconds": "{s:.1f} s",
    },
    "zh": {
        "title": "微短剧报告问答",
        "subtitle": "答案只来自报告，并附可核对的出处。",
        "welcome": "可用中文或英文提问。每个回答都注明出自哪篇报告，出处显示在右侧。",
        "question": "输入关于报告的问题（中文或英文）…",
        "send": "提问",
        "clear": "清空对话",
        "sources": "出处",
        "searching": "正在检索报告…",
        "retrieved": "检索到的资料（正在生成回答…）",
        "cited": "引用 {cited} 条 · 共检索到 {n} 段资料",
        "searched_for": "检索用的问题",
        "settings": "模型与筛选",
        "backend": "模型",
        "k": "检索条数",
        "publishers": "只看这些媒体",
        "date_from": "发布日期起（YYYY-MM-DD）",
        "date_to": "发布日期止（YYYY-MM-DD）",
        "examples": "示例问题",
        "refused": "报告中没有答案",
        "supports": "支持的句子",
        "notices": "请注意",
        "no_sources": "找到资料后，出处会立即显示在这里。",
        "language": "界面语言",
        "error": "无法回答",
        "internal": "服务器出错了，详情见服务器日志。",
        "bad_date": "{what}：“{value}”不是日期，请写成 YYYY-MM-DD，例如 2025-09-24。",
        "date_order": "开始日期 {start} 晚于结束日期 {end}。",
        "seconds": "{s:.1f} 秒",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS["zh" if lang == "zh" else "en"]


def page_language(accept_language: str | None) -> str:
    """'zh' or 'en' from an Accept-Language header: the first of the two the browser prefers."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


def header_markdown(title: str, lang: str) -> str:
    """The page's heading: the corpus's title (from its profile) and the subtitle."""
    return f"# {title}\n{labels(lang)['subtitle']}"


def read_date(text: str | None, what: str, lang: str = "en") -> date | None:
    """A YYYY-MM-DD box: empty is None; anything else unreadable is a ValueError that says so."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(labels(lang)["bad_date"].format(what=what, value=text)) from None


def form_filters(
    publishers: list[str] | None, date_from: str | None, date_to: str | None, lang: str = "en"
) -> Filters:
    """The page's filter widgets as Filters; bad dates raise ValueError with a readable message."""
    lab = labels(lang)
    start = read_date(date_from, lab["date_from"], lang)
    end = read_date(date_to, lab["date_to"], lang)
    if start and end and start > end:
        raise ValueError(lab["date_order"].format(start=start, end=end))
    return Filters(publishers=tuple(publishers or ()), date_from=start, date_to=end)


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.I) else None


def _card(
    n: int | None,
    title: str,
    meta: str,
    quote: str,
    extra: str = "",
    url: str | None = None,
) -> str:
    badge = f'<span class="src-n">{n}</span>' if n is not None else ""
    anchor = f' id="src-{n}"' if n is not None else ""
    kind = "src-card" if n is not None else "src-card src-pending-card"
    shown = html.escape(title)
    if _safe_url(url):
        href = html.escape(url or "", quote=True)
        shown = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{shown}</a>'
    return (
        f'<div class="{kind}"{anchor}>{badge}<div class="src-title">{shown}</div>'
        f'<div class="src-meta">{html.escape(meta)}</div>'
        f'<blockquote class="src-quote">{html.escape(quote)}</blockquote>{extra}</div>'
    )


def _meta(
    publisher: str | None, published: datetime | None, file: str, refs: tuple[int, ...]
) -> str:
    parts = [p for p in (publisher, published.date().isoformat() if published else None) if p]
    parts.append(file + (f" ¶{','.join(map(str, refs))}" if refs else ""))
    return " · ".join(parts)


def _plain(text: str) -> str:
    """For comparing a sentence with a quote: no bullet, no spaces, no final stop."""
    return re.sub(r"\s+", "", text.lstrip("-•·* ")).rstrip("。.!！?？")


def _supports(answer: Answer, c: Citation, lang: str) -> str:
    supported = [s.lstrip("-•·* ").strip() for s in sentences_citing(answer.text, c.n)]
    supported = [s for s in supported if s]
    if not supported or [_plain(s) for s in supported] == [_plain(c.quote)]:
        return ""  # nothing to add: the sentence is the quote itself
    items = "".join(f"<li>{html.escape(s)}</li>" for s in supported)
    label = html.escape(labels(lang)["supports"])
    return f'<div class="src-supports">{label}:<ul>{items}</ul></div>'


def citation_cards_html(answer: Answer, lang: str = "en") -> str:
    """Numbered cards for the cited sources, each with the answer sentences it supports."""
    lab = labels(lang)
    if answer.refused:
        return f'<div class="src-refused">{html.escape(lab["refused"])}</div>'
    cards = [
        _card(
            c.n,
            c.title,
            _meta(c.publisher, c.published, c.file, c.refs),
            c.quote,
            _supports(answer, c, lang),
            c.url,
        )
        for c in answer.citations
    ]
    return "".join(cards)


def _searched_for(question: str | None, standalone: str | None, lang: str) -> str:
    if not standalone or " ".join((question or "").split()) == standalone:
        return ""
    label = html.escape(labels(lang)["searched_for"])
    return f'<div class="src-searched">{label}: {html.escape(standalone)}</div>'


def sources_panel_html(answer: Answer, lang: str = "en") -> str:
    """The sources panel once the answer is final: a heading, the rewritten follow-up (if it was
    one), then the numbered citation cards."""
    count = labels(lang)["cited"].format(cited=len(answer.citations), n=len(answer.contexts))
    head = f'<div class="src-count">{html.escape(count)}</div>'
    searched = _searched_for(answer.question, answer.standalone_question, lang)
    return head + searched + citation_cards_html(answer, lang)


def _passage_card(v: PassageView) -> str:
    """A provisional, unnumbered card for one retrieved passage."""
    return _card(None, v.title, _meta(v.publisher, v.published, v.file, v.refs), v.text, url=v.url)


def context_cards_html(
    contexts: Sequence[Retrieved],
    lang: str,
    publishers: Publishers,
    limit: int = 5,
    question: str | None = None,
    standalone: str | None = None,
) -> str:
    """Provisional cards for what retrieval found (`ContextsEvent.contexts`), shown before the
    answer is written."""
    header = f'<div class="src-pending">{html.escape(labels(lang)["retrieved"])}</div>'
    cards = [_passage_card(passage_view(s, lang, publishers)) for s in contexts[:limit]]
    return header + _searched_for(question, standalone, lang) + "".join(cards)


def status_html(key: str, lang: str = "en") -> str:
    """A one-line message of the sources panel: `no_sources`, `searching`."""
    return f'<div class="src-status">{html.escape(labels(lang)[key])}</div>'


def notices_html(notices: Sequence[str], lang: str = "en") -> str:
    if not notices:
        return ""
    items = "".join(f"<li>{html.escape(message(n, lang))}</li>" for n in notices)
    title = html.escape(labels(lang)["notices"])
    return f'<div class="notices" role="status"><b>⚠ {title}</b><ul>{items}</ul></div>'


def answer_message_html(answer: Answer, lang: str = "en") -> str:
    """The chat bubble of a final answer: a refusal badge if refused, the answer with its `[n]`
    linked to the cards, its notices, and which model answered how fast."""
    lab = labels(lang)
    badge = (
        f'<div class="refused-badge">{html.escape(lab["refused"])}</div>' if answer.refused else ""
    )
    body = answer_html(answer.text, {c.n for c in answer.citations})
    total = answer.timings_ms.get("total")
    meta = answer.backend + (" · " + lab["seconds"].format(s=total / 1000) if total else "")
    kind = "answer refused" if answer.refused else "answer"
    return (
        f'<div class="{kind}">{badge}<div class="answer-text">{body}</div>'
        f"{notices_html(answer.notices, lang)}"
        f'<div class="answer-meta">{html.escape(meta)}</div></div>'
    )


def error_message(err: BaseException, lang: str = "en") -> str:
    """What a reader is told: a domain error's own message (it names the fix), or a generic line
    for anything unexpected (whose details belong in the server log, never in the page)."""
    return str(err) if is_user_error(err) else labels(lang)["internal"]


def error_html(err: BaseException, lang: str = "en") -> str:
    title = html.escape(labels(lang)["error"])
    return (
        f'<div class="notice-error" role="alert"><b>{title}:</b> '
        f"{html.escape(error_message(err, lang))}</div>"
    )
