"""The Gradio chat page. Thin: each callback maps widgets to one `Library` or `Assistant` call;
every piece of HTML is built (and escaped) by pure functions in `ui.page`, `ui.shelf` and
`ui.viewer`. The collection callbacks (pick, add files, remove, open a passage) are in
`ui.documents`; the routes that serve a collection's files in `ui.files`.

Private by default: loopback, no share link, no analytics, no run history, one answer at a time
(the others wait in a queue whose position the page shows).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, cast

import gradio as gr  # gr.Request annotations must resolve at import
from fastapi import FastAPI

from rag import AnswerEvent, Assistant, ContextsEvent, Settings, TokenEvent, Turn
from rag.errors import is_user_error
from rag.http.security import is_loopback, parse_auth
from rag.library import Library
from rag.settings import Backend
from ui import documents
from ui import page as p
from ui.files import file_routes
from ui.heading import browser_title, heading
from ui.layout import Widgets, layout
from ui.style import CSS, HEAD, theme

log = logging.getLogger(__name__)

QUEUE_SIZE = 64


# --- callbacks: plain functions of the widgets' values ------------------------------------------
def respond(
    library: Library,
    text: str,
    chat: list[dict[str, Any]],
    history: list[Turn],
    collection: str,
    lang_now: str,
    backend_name: str,
    k_value: float,
    pubs: list[str] | None,
    d_from: str,
    d_to: str,
) -> Iterator[tuple[Any, ...]]:
    """Answer `text` from `collection` as the page shows it. Yields (chat, turns, sources panel,
    notices, question box, last answer): sources as soon as retrieval found them, then the
    answer token by token."""
    chat = list(chat or [])
    try:
        filters = p.form_filters(pubs, d_from, d_to, lang_now)
        assistant = library.assistant(collection)  # an unknown one is said in the page
        events = assistant.stream(  # checks the question now; answers as it is read
            text,
            history=history,
            filters=filters,
            backend=cast(Backend, backend_name),
            k=int(k_value),
        )
    except Exception as err:  # bad input (a QuestionError, an unknown collection): said in the page
        if not is_user_error(err):
            raise
        yield chat, history, gr.skip(), p.error_html(err, lang_now), text, gr.skip()
        return
    chat += [
        {"role": "user", "content": p.answer_html(text, set())},
        {"role": "assistant", "content": "…"},
    ]
    yield chat, history, p.status_html("searching", lang_now), "", "", gr.skip()
    partial_text = ""
    try:
        for event in events:
            if isinstance(event, ContextsEvent):
                standalone = event.standalone_question
                cards = p.context_cards_html(
                    event.contexts,
                    lang_now,
                    assistant.profile.publishers,
                    question=text,
                    standalone=standalone,
                )
                yield chat, history, cards, "", "", gr.skip()
            elif isinstance(event, TokenEvent):
                partial_text += event.text
                chat[-1] = {"role": "assistant", "content": p.answer_html(partial_text, set())}
                yield chat, history, gr.skip(), "", "", gr.skip()
            elif isinstance(event, AnswerEvent):
                answer = event.answer
                chat[-1] = {"role": "assistant", "content": p.answer_message_html(answer, lang_now)}
                history = [*history, Turn("user", text), Turn("assistant", answer.text)]
                panel = p.sources_panel_html(answer, lang_now, assistant.profile.publishers)
                yield chat, history, panel, "", "", answer
    except Exception as err:  # never a stack trace in the page; the log has it
        if not is_user_error(err):
            log.exception("answering %r failed", text)
        empty = p.status_html("no_sources", lang_now)
        yield chat[:-2], history, empty, p.error_html(err, lang_now), text, gr.skip()


def reset(lang_now: str) -> tuple[Any, ...]:
    """A cleared conversation: (chat, turns, sources panel, notices, last answer)."""
    return [], [], p.status_html("no_sources", lang_now), "", None


def relabel(library: Library, collection: str, new: str, answer: Any) -> tuple[Any, ...]:
    """Every label in language `new`, in the order of `RELABEL_OUT`: the collection's title,
    examples and publishers among them; the sources panel re-rendered from the last answer
    (of `collection`: a new one starts a new conversation)."""
    lab = p.labels(new)
    panel = (
        p.sources_panel_html(answer, new, library.assistant(collection).profile.publishers)
        if answer
        else p.status_html("no_sources", new)
    )
    header, examples, publishers = documents.heading_updates(library, collection, new)
    return (
        header,
        gr.update(label=lab["language"]),
        gr.update(placeholder=lab["welcome"]),
        gr.update(placeholder=lab["question"]),
        gr.update(value=lab["send"]),
        gr.update(value=lab["clear"]),
        examples | gr.update(label=lab["examples"]),
        gr.update(label=lab["settings"]),
        gr.update(label=lab["backend"]),
        gr.update(label=lab["k"]),
        publishers | gr.update(label=lab["publishers"]),
        gr.update(label=lab["date_from"]),
        gr.update(label=lab["date_to"]),
        f"### {lab['sources']}",
        panel,
    )


def browser_language(request: gr.Request) -> str:
    return p.page_language(request.headers.get("accept-language"))


# --- wiring: which callback reads and writes which widgets (by their names in `ui.layout`) -----
# In the order of each callback's parameters (after the library) and of its values.
RESPOND_IN = (
    "question chatbot turns collection language backend k publishers date_from date_to"
).split()
RESPOND_OUT = "chatbot turns sources notices question last".split()
RESET_OUT = "chatbot turns sources notices last".split()
RELABEL_IN = "collection language last".split()
RELABEL_OUT = (
    "header language chatbot question send clear examples accordion backend k publishers "
    "date_from date_to sources_title sources"
).split()


def _named(fn: Callable[..., Any], library: Library) -> Callable[..., Any]:
    """`fn` with its library bound, keeping its name (Gradio names the event after it)."""
    bound = partial(fn, library)
    bound.__name__ = fn.__name__  # type: ignore[attr-defined]
    return bound


def _wire(demo: gr.Blocks, w: Widgets, library: Library) -> None:
    def pick(names: list[str]) -> list[Any]:
        return [w[name] for name in names]

    gr.on(
        [w["send"].click, w["question"].submit],
        _named(respond, library),
        pick(RESPOND_IN),
        pick(RESPOND_OUT),
        api_name="respond",
        concurrency_limit=1,
        concurrency_id="answer",  # one model run at a time, whichever button started it
        show_progress_on=[w["chatbot"]],  # the queue position shows on the chat
    )
    for trigger in (w["clear"].click, w["chatbot"].clear):
        trigger(reset, [w["language"]], pick(RESET_OUT), queue=False)
    w["language"].change(
        _named(relabel, library),
        pick(RELABEL_IN),
        pick(RELABEL_OUT),
        queue=False,
    )
    loaded = demo.load(browser_language, None, [w["language"]], queue=False)
    documents.wire(w, library, loaded)


def build_app(
    assistant: Assistant,
    lang: str = "zh",
    *,
    library: Library | None = None,
    collection: str | None = None,
) -> gr.Blocks:
    """The page for `assistant`'s collections (`library`: by default one over its settings that
    shares its models), open on `collection` (default: the assistant's). `lang` is the first
    interface language; the browser's Accept-Language then picks zh or en, and the toggle
    switches at any time. `serve` and `mount` add the page's file routes (`ui.files`)."""
    library = library or Library(assistant.settings, assistant)
    chosen = collection or library.default  # its title, examples and publishers: `ui.heading`
    shown = heading(library, chosen, lang)
    with gr.Blocks(title=browser_title(library, chosen), analytics_enabled=False) as demo:
        _wire(demo, layout(assistant.settings, shown, lang, library.names(), chosen), library)
    demo.queue(default_concurrency_limit=1, max_size=QUEUE_SIZE)
    demo.serving = {  # type: ignore[attr-defined]  # what `serve` and `mount` add
        "app_kwargs": {"routes": file_routes(library)},
        "max_file_size": assistant.settings.max_upload_bytes,
    }
    return demo


# --- serving -------------------------------------------------------------------------------------
def _page_options(demo: gr.Blocks) -> dict[str, Any]:
    """The page's look and privacy settings and its file routes, the same whether it runs alone
    or mounted."""
    return {
        **getattr(demo, "serving", {}),
        "auth_message": str(demo.title),
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
        **_page_options(demo),
    )
    return demo


def mount(
    api: FastAPI,
    assistant: Assistant,
    path: str = "/ui",
    auth: list[tuple[str, str]] | None = None,
    library: Library | None = None,
) -> FastAPI:
    """Mount the page on an existing FastAPI app (`rag serve --ui`), sharing its assistant
    (and `library`, the API's collections, when given)."""
    demo = build_app(assistant, library=library)
    return gr.mount_gradio_app(api, demo, path=path, auth=auth, **_page_options(demo))


def launch(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    lang: str = "zh",
    block: bool = True,
    collection: str | None = None,
) -> gr.Blocks:
    """Start the page, open on `collection` (default: the settings'). Binds loopback unless
    told otherwise; never makes a share link."""
    credentials = parse_auth(auth)
    if not is_loopback(host) and not credentials:
        print(
            f"warning: serving on {host} without --auth: anyone who can reach it can use it",
            file=sys.stderr,
        )
    assistant = Assistant(settings)
    library = Library(settings, assistant)
    if collection and collection != library.default and not library.exists(collection):
        library.assistant(collection)  # UnknownCollectionError, naming the fix
    demo = build_app(assistant, lang=lang, library=library, collection=collection)
    threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()
    return serve(demo, host, port, credentials, block)
