"""The Gradio chat page. Thin: each callback maps widgets to one `Assistant` call; every piece of
HTML is built (and escaped) by pure functions in `ui.page`.

Private by default: loopback, no share link, no analytics, no run history, one answer at a time
(the others wait in a queue whose position the page shows).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: it reads it then

import gradio as gr  # noqa: E402  (gr.Request annotations must resolve at import)

from rag import AnswerEvent, Assistant, ContextsEvent, Settings, TokenEvent, Turn  # noqa: E402
from rag.http.security import is_loopback, parse_auth  # noqa: E402
from rag.settings import BACKENDS  # noqa: E402
from ui import page as p  # noqa: E402
from ui.style import CSS, HEAD, theme  # noqa: E402

log = logging.getLogger(__name__)


EXAMPLES = [
    "郑州每天大约开机多少部短剧？",
    "How many micro-short drama users did China have by July, according to Cailian Press?",
    "西安和郑州发展微短剧各自面临什么挑战？",
    "What new forms of storytelling are companies exploring with AI?",
]
QUEUE_SIZE = 64
LANG_CHOICES = [("中文", "zh"), ("English", "en")]


def _header(lang: str) -> str:
    lab = p.labels(lang)
    return f"# {lab['title']}\n{lab['subtitle']}"


def build_app(assistant: Assistant, lang: str = "zh") -> gr.Blocks:
    """The page for `assistant`. `lang` is the first interface language; the browser's
    Accept-Language then picks zh or en, and the toggle switches at any time."""
    lab = p.labels(lang)
    settings = assistant.settings
    with gr.Blocks(title="微短剧报告问答 · Report QA", analytics_enabled=False) as demo:
        turns = gr.State([])  # list[Turn]: what the assistant sees as history
        last = gr.State(None)  # the last Answer, re-rendered when the language changes
        with gr.Row(elem_id="header"):
            header = gr.Markdown(_header(lang), scale=5)
            language = gr.Radio(
                LANG_CHOICES,
                value=lang,
                label=lab["language"],
                show_label=False,
                container=False,
                elem_id="lang-toggle",
                scale=0,
                min_width=180,
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    height=600,
                    show_label=False,
                    placeholder=lab["welcome"],
                    buttons=["copy"],
                    feedback_options=None,
                    sanitize_html=True,
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder=lab["question"],
                        show_label=False,
                        scale=8,
                        lines=1,
                        max_lines=4,
                        autofocus=True,
                        elem_id="question",
                    )
                    send = gr.Button(lab["send"], variant="primary", scale=0, min_width=96)
                    clear = gr.Button(lab["clear"], variant="secondary", scale=0, min_width=128)
                notices = gr.HTML(elem_id="notices")
                examples = gr.Examples(EXAMPLES, inputs=question, label=lab["examples"])
            with gr.Column(scale=2, elem_id="sources-col"):
                with gr.Accordion(lab["settings"], open=False) as accordion:
                    backend = gr.Dropdown(
                        BACKENDS, value=settings.llm_backend, label=lab["backend"]
                    )
                    k = gr.Slider(3, 20, value=settings.retrieve_k, step=1, label=lab["k"])
                    publishers = gr.Dropdown(
                        p.publisher_choices(lang), multiselect=True, label=lab["publishers"]
                    )
                    with gr.Row():
                        date_from = gr.Textbox(label=lab["date_from"], placeholder="2025-01-01")
                        date_to = gr.Textbox(label=lab["date_to"], placeholder="2025-12-31")
                sources_title = gr.Markdown(f"### {lab['sources']}")
                sources = gr.HTML(p.status_html("no_sources", lang), elem_id="sources")

        def respond(
            text: str,
            chat: list[dict[str, Any]],
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
                assistant.check_question(text)
                filters = p.form_filters(pubs, d_from, d_to, lang_now)
            except ValueError as err:  # QuestionError is one: bad input, said in the page
                yield chat, history, gr.skip(), p.error_html(err, lang_now), text, gr.skip()
                return
            chat += [
                {"role": "user", "content": p.answer_html(text, set())},
                {"role": "assistant", "content": "…"},
            ]
            yield chat, history, p.status_html("searching", lang_now), "", "", gr.skip()
            partial = ""
            try:
                events = assistant.stream(
                    text, history=history, filters=filters, backend=backend_name, k=int(k_value)
                )
                for event in events:
                    if isinstance(event, ContextsEvent):
                        cards = p.context_cards_html(
                            event.contexts, lang_now, question=text,
                            standalone=event.standalone_question,
                        )  # fmt: skip
                        yield chat, history, cards, "", "", gr.skip()
                    elif isinstance(event, TokenEvent):
                        partial += event.text
                        chat[-1] = {"role": "assistant", "content": p.answer_html(partial, set())}
                        yield chat, history, gr.skip(), "", "", gr.skip()
                    elif isinstance(event, AnswerEvent):
                        answer = event.answer
                        chat[-1] = {
                            "role": "assistant",
                            "content": p.answer_message_html(answer, lang_now),
                        }
                        history = [*history, Turn("user", text), Turn("assistant", answer.text)]
                        panel = p.sources_panel_html(answer, lang_now)
                        yield chat, history, panel, "", "", answer
            except Exception as err:  # never a stack trace in the page; the log has it
                if not p.is_user_error(err):
                    log.exception("answering %r failed", text)
                chat = chat[:-2]
                empty = p.status_html("no_sources", lang_now)
                yield chat, history, empty, p.error_html(err, lang_now), text, gr.skip()

        gr.on(
            [send.click, question.submit],
            respond,
            [question, chatbot, turns, language, backend, k, publishers, date_from, date_to],
            [chatbot, turns, sources, notices, question, last],
            concurrency_limit=1,
            concurrency_id="answer",  # one model run at a time, whichever button started it
            show_progress_on=[chatbot],  # the queue position shows on the chat
        )

        def reset(lang_now: str) -> tuple[Any, ...]:
            return [], [], p.status_html("no_sources", lang_now), "", None

        for trigger in (clear.click, chatbot.clear):
            trigger(reset, [language], [chatbot, turns, sources, notices, last], queue=False)

        def relabel(new: str, answer: Any) -> tuple[Any, ...]:
            lab = p.labels(new)
            panel = (
                p.sources_panel_html(answer, new) if answer else p.status_html("no_sources", new)
            )
            return (
                _header(new),
                gr.update(label=lab["language"]),
                gr.update(placeholder=lab["welcome"]),
                gr.update(placeholder=lab["question"]),
                gr.update(value=lab["send"]),
                gr.update(value=lab["clear"]),
                gr.update(label=lab["examples"]),
                gr.update(label=lab["settings"]),
                gr.update(label=lab["backend"]),
                gr.update(label=lab["k"]),
                gr.update(label=lab["publishers"], choices=p.publisher_choices(new)),
                gr.update(label=lab["date_from"]),
                gr.update(label=lab["date_to"]),
                f"### {lab['sources']}",
                panel,
            )

        language.change(
            relabel,
            [language, last],
            [
                header,
                language,
                chatbot,
                question,
                send,
                clear,
                examples.dataset,
                accordion,
                backend,
                k,
                publishers,
                date_from,
                date_to,
                sources_title,
                sources,
            ],
            queue=False,
        )

        def browser_language(request: gr.Request) -> str:
            return page_language(request.headers.get("accept-language"))

        demo.load(browser_language, None, [language], queue=False)
    demo.queue(default_concurrency_limit=1, max_size=QUEUE_SIZE)
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


def _page_options() -> dict[str, Any]:
    """The page's look and privacy settings, the same whether it runs alone or mounted."""
    return {
        "auth_message": "微短剧报告问答 · Micro-drama report assistant",
        "show_error": False,
        "footer_links": [],
        "run_history": False,
        "enable_monitoring": False,
        "mcp_server": False,
        "ssr_mode": False,
        "theme": theme(),
        "css": CSS,
        "head": HEAD,
    }


def serve(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: list[tuple[str, str]] | None = None,
    block: bool = True,
) -> gr.Blocks:
    """Start `demo` with the page's look and its privacy settings."""
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth,
        prevent_thread_lock=not block,
        quiet=not block,
        **_page_options(),
    )
    return demo


def mount(
    api: FastAPI, assistant: Assistant, path: str = "/ui", auth: list[tuple[str, str]] | None = None
) -> FastAPI:
    """Mount the page on an existing FastAPI app (`rag serve --ui`), sharing its assistant."""
    return gr.mount_gradio_app(api, build_app(assistant), path=path, auth=auth, **_page_options())


def launch(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    lang: str = "zh",
    block: bool = True,
) -> gr.Blocks:
    """Start the page. Binds loopback unless told otherwise; never makes a share link."""
    credentials = parse_auth(auth)
    if not is_loopback(host) and not credentials:
        print(
            f"warning: serving on {host} without --auth: anyone who can reach it can use it",
            file=sys.stderr,
        )
    assistant = Assistant(settings)
    threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()
    return serve(build_app(assistant, lang=lang), host, port, credentials, block)
