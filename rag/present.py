"""Answers as records and as text: pure functions shared by the CLI, the UI and evaluation."""

from __future__ import annotations

import html
import re
from typing import Any

from rag.types import Answer, Citation


def citation_record(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        "file": c.file,
        "title": c.title,
        "publisher": c.publisher,
        "published": c.published.isoformat() if c.published else None,
        "quote": c.quote,
        "refs": list(c.refs),
    }


def answer_record(answer: Answer, id: str | None = None) -> dict[str, Any]:
    """One line of a results file (DESIGN.md: "Results file")."""
    return {
        "id": id,
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [citation_record(c) for c in answer.citations],
        "retrieved": [
            {
                "rank": rank,
                "file": s.item.file,
                "title": s.item.title,
                "chunk_id": s.item.chunk_id,
                "score": s.score,
                "text": s.item.text,
            }
            for rank, s in enumerate(answer.contexts, start=1)
        ],
        "timings_ms": {
            key: answer.timings_ms.get(key, 0.0) for key in ("retrieve", "generate", "total")
        },
        "backend": answer.backend,
        "language": answer.language,
        "standalone_question": answer.standalone_question,
        "notices": list(answer.notices),
    }


def source_line(c: Citation) -> str:
    """`[1] 标题 — 36Kr, 2025-09-24 · 001_x.txt ¶15,21`"""
    meta = ", ".join(
        x for x in (c.publisher, c.published.date().isoformat() if c.published else None) if x
    )
    refs = f" ¶{','.join(map(str, c.refs))}" if c.refs else ""
    return f"[{c.n}] {c.title}" + (f" — {meta}" if meta else "") + f" · {c.file}{refs}"


def format_sources(answer: Answer) -> str:
    lines = [source_line(c) + f"\n    “{c.quote}”" for c in answer.citations]
    lines += [f"! {n}" for n in answer.notices]
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    """The terminal rendering: the answer, then its sources and notices."""
    tail = format_sources(answer)
    return answer.text + ("\n\n" + tail if tail else "")


_MARKER = re.compile(r"\[(\d+)\]")


def answer_html(text: str, known: set[int]) -> str:
    """The answer as safe HTML: everything escaped, then `[n]` of a known source made a link to
    its card (`#src-n`). Markers with no card stay plain text."""

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="cite" href="#src-{n}" title="source {n}">[{n}]</a>'

    escaped = html.escape(text)
    return _MARKER.sub(link, escaped).replace("\n", "<br>")


def sentences_citing(text: str, n: int) -> list[str]:
    """The sentences of an answer that carry marker `[n]` (what each source supports)."""
    from rag.citations import split_sentences, strip_markers

    return [strip_markers(s) for s in split_sentences(text) if f"[{n}]" in s]


# --- the chat page's pieces (pure HTML, everything escaped) ----------------------------------
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Micro-drama report assistant",
        "subtitle": "Answers drawn only from the reports, with sources you can check.",
        "question": "Ask about the reports (Chinese or English)…",
        "send": "Ask",
        "clear": "Clear conversation",
        "sources": "Sources",
        "retrieved": "Retrieved (answer being written…)",
        "settings": "Settings",
        "backend": "Model",
        "k": "Sources retrieved",
        "publishers": "Only these publishers",
        "date_from": "Published from (YYYY-MM-DD)",
        "date_to": "Published to (YYYY-MM-DD)",
        "examples": "Examples",
        "refused": "Not in the reports",
        "supports": "Supports",
        "no_sources": "Sources appear here as soon as they are found.",
        "language": "Interface language",
    },
    "zh": {
        "title": "微短剧报告问答",
        "subtitle": "答案只来自报告，并附可核对的出处。",
        "question": "输入关于报告的问题（中文或英文）…",
        "send": "提问",
        "clear": "清空对话",
        "sources": "出处",
        "retrieved": "检索到的资料（正在生成回答…）",
        "settings": "设置",
        "backend": "模型",
        "k": "检索条数",
        "publishers": "只看这些媒体",
        "date_from": "发布日期起（YYYY-MM-DD）",
        "date_to": "发布日期止（YYYY-MM-DD）",
        "examples": "示例问题",
        "refused": "报告中没有答案",
        "supports": "支持的句子",
        "no_sources": "找到资料后，出处会立即显示在这里。",
        "language": "界面语言",
    },
}


def _card(n: int | None, title: str, meta: str, quote: str, extra: str = "") -> str:
    badge = f'<span class="src-n">{n}</span>' if n is not None else ""
    anchor = f' id="src-{n}"' if n is not None else ""
    return (
        f'<div class="src-card"{anchor}>{badge}<div class="src-title">{html.escape(title)}</div>'
        f'<div class="src-meta">{html.escape(meta)}</div>'
        f'<blockquote class="src-quote">{html.escape(quote)}</blockquote>{extra}</div>'
    )


def _meta(publisher: str | None, published: Any, file: str, refs: tuple[int, ...]) -> str:
    parts = [p for p in (publisher, published.date().isoformat() if published else None) if p]
    parts.append(file + (f" ¶{','.join(map(str, refs))}" if refs else ""))
    return " · ".join(parts)


def citation_cards_html(answer: Answer, lang: str = "en") -> str:
    """Numbered cards for the cited sources, each with the answer sentences it supports."""
    labels = LABELS[lang]
    if answer.refused:
        return f'<div class="src-refused">{html.escape(labels["refused"])}</div>'
    cards = []
    for c in answer.citations:
        supported = sentences_citing(answer.text, c.n)
        extra = ""
        if supported:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in supported)
            label = html.escape(labels["supports"])
            extra = f'<div class="src-supports">{label}:<ul>{items}</ul></div>'
        cards.append(
            _card(c.n, c.title, _meta(c.publisher, c.published, c.file, c.refs), c.quote, extra)
        )
    return "".join(cards)


def context_cards_html(contexts: list[Any], lang: str = "en", limit: int = 5) -> str:
    """Provisional cards for what retrieval found, shown before the answer is written."""
    from index.publishers import display_name

    header = f'<div class="src-pending">{html.escape(LABELS[lang]["retrieved"])}</div>'
    cards = [
        _card(
            None,
            s.item.title,
            _meta(
                display_name(s.item.publisher, lang, s.item.url),
                s.item.published,
                s.item.file,
                s.item.refs,
            ),
            s.item.text,
        )
        for s in contexts[:limit]
    ]
    return header + "".join(cards)


def notices_html(notices: list[str]) -> str:
    if not notices:
        return ""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notices)
    return f'<div class="notices"><ul>{items}</ul></div>'
