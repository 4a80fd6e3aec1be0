"""The chat page's content as safe HTML: pure functions, so the page stays thin and all of this
is tested without a browser. Its labels are in `ui.labels`, the passage viewer in `ui.viewer`,
the collection's documents in `ui.shelf`."""

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
from ui.labels import LABELS as LABELS  # re-exported: the page's labels live in ui.labels
from ui.labels import labels
from ui.labels import page_language as page_language


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
    anchor = f' id="src-{n}" data-n="{n}" tabindex="0"' if n is not None else ""  # opens it
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
    publisher: str | None,
    published: datetime | None,
    file: str,
    refs: tuple[int, ...],
    lang: str,
    page: int | None = None,
    section: str | None = None,
) -> str:
    """`36Kr · 2025-09-24 · 001_x.txt ¶15,21`, or `report.pdf p. 2 · Market size` (第 2 页)."""
    parts = [p for p in (publisher, published.date().isoformat() if published else None) if p]
    where = file + (" " + labels(lang)["page"].format(n=page) if page else "")
    parts += [where, *([section] if section else [])]
    refs_text = f" ¶{','.join(map(str, refs))}" if refs else ""
    return " · ".join(parts) + refs_text


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
            _meta(c.publisher, c.published, c.file, c.refs, lang, c.page, c.section),
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


def sources_panel_html(
    answer: Answer, lang: str = "en", publishers: Publishers | None = None, limit: int = 3
) -> str:
    """The sources panel once the answer is final: a heading, the rewritten follow-up (if it was
    one), then the numbered citation cards; for a refusal, the first `limit` passages consulted
    (unnumbered: none is cited)."""
    count = labels(lang)["cited"].format(cited=len(answer.citations), n=len(answer.contexts))
    head = f'<div class="src-count">{html.escape(count)}</div>'
    searched = _searched_for(answer.question, answer.standalone_question, lang)
    consulted = ""
    if answer.refused and answer.contexts:
        label = html.escape(labels(lang)["consulted"])
        cards = _passage_cards(answer.contexts, lang, publishers or Publishers(), limit)
        consulted = f'<div class="src-consulted">{label}</div>{cards}'
    return head + searched + citation_cards_html(answer, lang) + consulted


def _passage_card(v: PassageView, lang: str) -> str:
    """A provisional, unnumbered card for one retrieved passage."""
    meta = _meta(v.publisher, v.published, v.file, v.refs, lang, v.page)
    return _card(None, v.title, meta, v.text, url=v.url)


def _passage_cards(
    contexts: Sequence[Retrieved], lang: str, publishers: Publishers, limit: int
) -> str:
    """Unnumbered cards for the first `limit` retrieved passages."""
    views = (passage_view(s, lang, publishers) for s in contexts[:limit])
    return "".join(_passage_card(v, lang) for v in views)


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
    cards = _passage_cards(contexts, lang, publishers, limit)
    return header + _searched_for(question, standalone, lang) + cards


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
