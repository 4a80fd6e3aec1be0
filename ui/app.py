"""The Gradio chat page. Thin: each callback maps widgets to one `Assistant` call; all HTML is
built (and escaped) by pure functions in `rag.present`."""

from __future__ import annotations

import html
import logging
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr  # this module is the Gradio app; gr.Request annotations must resolve

from index.errors import RagIndexError
from index.publishers import PUBLISHERS
from rag import AnswerEvent, Assistant, ContextsEvent, Filters, RagError, Settings, TokenEvent, Turn
from rag.present import (
    LABELS,
    answer_html,
    citation_cards_html,
    context_cards_html,
    notices_html,
)

log = logging.getLogger(__name__)

BACKENDS = ["local", "local-small", "openai", "extractive"]
EXAMPLES = [
    "郑州每天大约开机多少部短剧？",
    "How many micro-short drama users did China have by July, according to Cailian Press?",
    "西安和郑州发展微短剧各自面临什么挑战？",
    "What new forms of storytelling are companies exploring with AI?",
]
CSS = """
#sources { max-height: 78vh; overflow-y: auto; }
.src-card { border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 12px; margin: 0 0 10px;
  background: #fafafa; position: relative; }
.src-n { position: absolute; top: 10px; right: 12px; background: #2563eb; color: #fff;
  border-radius: 999px; padding: 0 8px; font-size: 12px; font-weight: 600; }
.src-title { font-weight: 600; margin-right: 36px; }
.src-meta { color: #6b7280; font-size: 12px; margin: 2px 0 6px; }
.src-quote { margin: 0; padding-left: 8px; border-left: 3px solid #93c5fd; font-size: 13px; }
.src-supports { font-size: 12px; color: #374151; margin-top: 6px; }
.src-pending { color: #6b7280; font-size: 12px; margin-bottom: 6px; }
.src-refused { padding: 10px; border-radius: 10px; background: #fef3c7; color: #92400e; }
.notices { background: #fff7ed; border: 1px solid #fdba74; border-radius: 8px; padding: 4px 10px;
  font-size: 13px; color: #9a3412; }
a.cite { text-decoration: none; font-weight: 600; color: #2563eb; }
"""


def _date(text: str, what: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def build_app(assistant: Assistant, lang: str = "zh") -> Any:
    labels = LABELS[lang]
    settings = assistant.settings
    with gr.Blocks(title="微短剧报告问答 · Report QA", analytics_enabled=False) as demo:
        turns = gr.State([])
        ui_lang = gr.State(lang)
        title = gr.Markdown(f"## {labels['title']}\n{labels['subtitle']}")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(height=520, label=labels["title"], sanitize_html=True)
                with gr.Row():
                    question = gr.Textbox(
                        placeholder=labels["question"], show_label=False, scale=8, max_lines=4
                    )
                    send = gr.Button(labels["send"], variant="primary", scale=1)
                notices = gr.HTML()
                gr.Examples(EXAMPLES, inputs=question, label=labels["examples"])
            with gr.Column(scale=2):
                sources_title = gr.Markdown(f"### {labels['sources']}")
                sources = gr.HTML(f"<p>{labels['no_sources']}</p>", elem_id="sources")
                with gr.Accordion(labels["settings"], open=False) as accordion:
                    language = gr.Radio(
                        ["中文", "English"],
                        value="中文" if lang == "zh" else "English",
                        label=labels["language"],
                    )
                    backend = gr.Dropdown(
                        BACKENDS, value=settings.llm_backend, label=labels["backend"]
                    )
                    k = gr.Slider(3, 20, value=settings.retrieve_k, step=1, label=labels["k"])
                    publishers = gr.Dropdown(
                        [p.en for p in PUBLISHERS], multiselect=True, label=labels["publishers"]
                    )
                    date_from = gr.Textbox(label=labels["date_from"])
                    date_to = gr.Textbox(label=labels["date_to"])
                    clear = gr.Button(labels["clear"])

        def respond(
            text: str,
            chat: list[dict[str, str]],
            history: list[Turn],
            lang_now: str,
            backend_name: str,
            k_value: float,
            pubs: list[str] | None,
            d_from: str,
            d_to: str,
        ) -> Iterator[tuple[Any, ...]]:
            chat = list(chat or [])
            try:
                filters = Filters(
                    publishers=tuple(pubs or ()),
                    date_from=_date(d_from, LABELS[lang_now]["date_from"]),
                    date_to=_date(d_to, LABELS[lang_now]["date_to"]),
                )
                events = assistant.stream(
                    text, history=history, filters=filters, backend=backend_name, k=int(k_value)
                )
                chat.append({"role": "user", "content": html.escape(text)})
                chat.append({"role": "assistant", "content": "…"})
                partial = ""
                for event in events:
                    if isinstance(event, ContextsEvent):
                        yield chat, history, context_cards_html(event.contexts, lang_now), "", ""
                    elif isinstance(event, TokenEvent):
                        partial += event.text
                        chat[-1] = {"role": "assistant", "content": html.escape(partial)}
                        yield chat, history, gr.skip(), "", ""
                    elif isinstance(event, AnswerEvent):
                        answer = event.answer
                        known = {c.n for c in answer.citations}
                        chat[-1] = {"role": "assistant", "content": answer_html(answer.text, known)}
                        history = [*history, Turn("user", text), Turn("assistant", answer.text)]
                        yield (
                            chat,
                            history,
                            citation_cards_html(answer, lang_now),
                            notices_html(answer.notices),
                            "",
                        )
            except (ValueError, RagError, RagIndexError) as err:
                if chat and chat[-1].get("content") == "…":
                    chat = chat[:-2]
                yield chat, history, gr.skip(), notices_html([str(err)]), text

        outputs = [chatbot, turns, sources, notices, question]
        inputs = [question, chatbot, turns, ui_lang, backend, k, publishers, date_from, date_to]
        send.click(respond, inputs, outputs, concurrency_limit=1)
        question.submit(respond, inputs, outputs, concurrency_limit=1)
        clear.click(
            lambda lang_now: ([], [], f"<p>{LABELS[lang_now]['no_sources']}</p>", ""),
            [ui_lang],
            [chatbot, turns, sources, notices],
            queue=False,
        )

        def relabel(choice: str) -> tuple[Any, ...]:
            new = "zh" if choice == "中文" else "en"
            lab = LABELS[new]
            return (
                new,
                gr.update(value=f"## {lab['title']}\n{lab['subtitle']}"),
                gr.update(label=lab["title"]),
                gr.update(placeholder=lab["question"]),
                gr.update(value=lab["send"]),
                gr.update(value=f"### {lab['sources']}"),
                gr.update(label=lab["settings"]),
                gr.update(label=lab["backend"]),
                gr.update(label=lab["k"]),
                gr.update(label=lab["publishers"]),
                gr.update(label=lab["date_from"]),
                gr.update(label=lab["date_to"]),
                gr.update(value=lab["clear"]),
                gr.update(label=lab["language"]),
            )

        language.change(
            relabel,
            [language],
            [
                ui_lang,
                title,
                chatbot,
                question,
                send,
                sources_title,
                accordion,
                backend,
                k,
                publishers,
                date_from,
                date_to,
                clear,
                language,
            ],
            queue=False,
        )

        def browser_language(request: gr.Request) -> str:
            return (
                "中文"
                if page_language(request.headers.get("accept-language")) == "zh"
                else "English"
            )

        demo.load(browser_language, None, [language], queue=False)
    demo.queue(default_concurrency_limit=1, max_size=64)
    return demo


def page_language(accept_language: str | None) -> str:
    """'zh' or 'en' from an Accept-Language header: the first of the two the browser prefers."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """`user:password`, or a file with one `user:password` per line."""
    if not value:
        return None
    path = Path(value)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else [value]
    pairs = [tuple(line.strip().split(":", 1)) for line in lines if ":" in line]
    if not pairs:
        raise ValueError("--auth wants user:password or a file of such lines")
    return [(u, p) for u, p in pairs]


def launch(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    lang: str = "zh",
    block: bool = True,
) -> Any:
    """Start the page. Binds loopback unless told otherwise; never makes a share link."""
    credentials = parse_auth(auth)
    if host not in ("127.0.0.1", "localhost", "::1") and not credentials:
        print(
            f"warning: serving on {host} without --auth: anyone who can reach it can use it",
            file=sys.stderr,
        )
    assistant = Assistant(settings)
    threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()
    demo = build_app(assistant, lang=lang)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=credentials,
        prevent_thread_lock=not block,
        css=CSS,
        show_error=False,
        quiet=not block,
    )
    return demo
