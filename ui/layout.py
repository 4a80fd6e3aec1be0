"""The page's widgets: what it shows and where, in one language. No behaviour: `ui.app` wires
the callbacks to these widgets by name; every text comes from `ui.page`, and what is shown of
the collection (title, examples, publishers) from `ui.heading`."""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import Settings
from rag.settings import BACKENDS
from ui import page as p
from ui.heading import Heading
from ui.style import OPEN_PASSAGE_JS, REMOVE_DOCUMENT_JS

Widgets = dict[str, Any]
LANG_CHOICES = [("中文", "zh"), ("English", "en")]


def _header_row(shown: Heading, lang: str, collections: list[str], chosen: str) -> Widgets:
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Row(elem_id="header"):
        w["header"] = gr.Markdown(p.header_markdown(shown.title, lang), scale=5)
        w["collection"] = gr.Dropdown(
            collections if chosen in collections else [*collections, chosen],
            value=chosen,
            allow_custom_value=True,  # a new name: adding files creates it
            label=lab["collection"],
            info=lab["collection_info"],
            elem_id="collection",
            scale=2,
            min_width=260,
        )
        w["language"] = gr.Radio(
            LANG_CHOICES,
            value=lang,
            label=p.labels(lang)["language"],
            show_label=False,
            container=False,
            elem_id="lang-toggle",
            scale=0,
            min_width=180,
        )
    return w


def _chat_column(lang: str, examples: list[str]) -> Widgets:
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Column(scale=3):
        w["chatbot"] = gr.Chatbot(
            elem_id="chat",
            height=600,
            show_label=False,
            placeholder=lab["welcome"],
            buttons=["copy"],
            feedback_options=None,
            sanitize_html=True,
        )
        with gr.Row():
            w["question"] = gr.Textbox(
                placeholder=lab["question"],
                show_label=False,
                scale=8,
                lines=1,
                max_lines=4,
                autofocus=True,
                elem_id="question",
            )
            w["send"] = gr.Button(lab["send"], variant="primary", scale=0, min_width=96)
            w["clear"] = gr.Button(lab["clear"], variant="secondary", scale=0, min_width=128)
        w["notices"] = gr.HTML(elem_id="notices")
        shown = gr.Examples(
            [[q] for q in examples],
            inputs=w["question"],
            label=lab["examples"],
            visible=bool(examples),  # a collection with no documents yet has none
            elem_id="examples",
        )
        w["examples"] = shown.dataset  # the widget the collection callbacks and the toggle update
    return w


def _documents(lang: str) -> Widgets:
    """The collection's documents, and the box to drop files into."""
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Accordion(lab["documents"], open=False, elem_id="docs-panel") as w["docs_accordion"]:
        w["upload"] = gr.File(
            file_count="multiple",  # several at once, dragged and dropped or picked
            type="filepath",
            label=lab["upload"],
            elem_id="upload",
            height=120,
        )
        w["upload_status"] = gr.HTML(elem_id="upload-status")
        w["documents"] = gr.HTML(elem_id="documents", js_on_load=REMOVE_DOCUMENT_JS)
    return w


def _viewer(lang: str) -> Widgets:
    """The passage viewer, shown when a source card is clicked."""
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Column(visible=False, elem_id="viewer-col") as w["viewer_col"]:
        with gr.Row(elem_id="viewer-bar"):
            w["viewer_title"] = gr.Markdown(f"### {lab['viewer']}")
            w["close"] = gr.Button(lab["close"], size="sm", scale=0, min_width=80)
        w["viewer"] = gr.HTML(elem_id="viewer")
    return w


def _sources_column(settings: Settings, shown: Heading, lang: str) -> Widgets:
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Column(scale=2, elem_id="sources-col"):
        w |= _documents(lang) | _viewer(lang)
        with gr.Accordion(lab["settings"], open=False) as w["accordion"]:
            w["backend"] = gr.Dropdown(BACKENDS, value=settings.llm_backend, label=lab["backend"])
            w["k"] = gr.Slider(3, 20, value=settings.retrieve_k, step=1, label=lab["k"])
            w["publishers"] = gr.Dropdown(
                shown.publishers.choices(lang), multiselect=True, label=lab["publishers"]
            )
            with gr.Row():
                w["date_from"] = gr.Textbox(label=lab["date_from"], placeholder="2025-01-01")
                w["date_to"] = gr.Textbox(label=lab["date_to"], placeholder="2025-12-31")
        w["sources_title"] = gr.Markdown(f"### {lab['sources']}")
        w["sources"] = gr.HTML(
            p.status_html("no_sources", lang), elem_id="sources", js_on_load=OPEN_PASSAGE_JS
        )
    return w


def layout(
    settings: Settings, shown: Heading, lang: str, collections: list[str], chosen: str
) -> Widgets:
    """Every widget of the page, by name, in language `lang` (call inside `gr.Blocks`), open on
    collection `chosen`, whose title, examples and publishers are `shown`."""
    w: Widgets = {
        "turns": gr.State([]),  # list[Turn]: what the assistant sees as history
        "last": gr.State(None),  # the last Answer, re-rendered when the language changes
        "viewing": gr.State(None),  # the citation open in the viewer
        **_header_row(shown, lang, collections, chosen),
    }
    with gr.Row(equal_height=False):
        w |= _chat_column(lang, list(shown.examples)) | _sources_column(settings, shown, lang)
    return w
