"""The page's widgets: what it shows and where, in one language. No behaviour: `ui.app` wires
the callbacks to these widgets by name; every text comes from `ui.page`."""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import Assistant, Settings
from rag.records import CorpusProfile
from rag.settings import BACKENDS
from ui import page as p

Widgets = dict[str, Any]
LANG_CHOICES = [("中文", "zh"), ("English", "en")]


def _header_row(profile: CorpusProfile, lang: str) -> Widgets:
    w: Widgets = {}
    with gr.Row(elem_id="header"):
        w["header"] = gr.Markdown(p.header_markdown(profile.title(lang), lang), scale=5)
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
        shown = gr.Examples(examples, inputs=w["question"], label=lab["examples"])
        w["examples"] = shown.dataset  # the widget whose label the language toggle changes
    return w


def _sources_column(settings: Settings, profile: CorpusProfile, lang: str) -> Widgets:
    lab = p.labels(lang)
    w: Widgets = {}
    with gr.Column(scale=2, elem_id="sources-col"):
        with gr.Accordion(lab["settings"], open=False) as w["accordion"]:
            w["backend"] = gr.Dropdown(BACKENDS, value=settings.llm_backend, label=lab["backend"])
            w["k"] = gr.Slider(3, 20, value=settings.retrieve_k, step=1, label=lab["k"])
            w["publishers"] = gr.Dropdown(
                profile.publishers.choices(lang), multiselect=True, label=lab["publishers"]
            )
            with gr.Row():
                w["date_from"] = gr.Textbox(label=lab["date_from"], placeholder="2025-01-01")
                w["date_to"] = gr.Textbox(label=lab["date_to"], placeholder="2025-12-31")
        w["sources_title"] = gr.Markdown(f"### {lab['sources']}")
        w["sources"] = gr.HTML(p.status_html("no_sources", lang), elem_id="sources")
    return w


def layout(assistant: Assistant, lang: str) -> Widgets:
    """Every widget of the page, by name, in language `lang` (call inside `gr.Blocks`); the
    title, examples and publishers come from the assistant's corpus profile."""
    settings, profile = assistant.settings, assistant.profile
    w: Widgets = {
        "turns": gr.State([]),  # list[Turn]: what the assistant sees as history
        "last": gr.State(None),  # the last Answer, re-rendered when the language changes
        **_header_row(profile, lang),
    }
    with gr.Row(equal_height=False):
        w |= _chat_column(lang, list(profile.examples)) | _sources_column(settings, profile, lang)
    return w
