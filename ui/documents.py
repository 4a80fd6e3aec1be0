"""The page's collection callbacks: pick a collection, add files to it, remove one, open a cited
passage in context. Each maps widgets to one `Library` call; the HTML comes from `ui.shelf` and
`ui.viewer`, the collection's title, examples and publishers from `ui.heading`, and `wire`
connects them to the widgets of `ui.layout` by name.

Adding files runs in its own concurrency group: a question is answered while files are indexed
(the library never holds a question's lock while it embeds).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr  # gr.EventData annotations must resolve when Gradio reads them

from index.storage.collections import CollectionNameError, check_name
from rag.errors import is_user_error
from rag.library import Library
from rag.types import Answer
from ui import page as p
from ui import shelf, viewer
from ui.heading import heading
from ui.labels import labels

log = logging.getLogger(__name__)

Widgets = dict[str, Any]


def documents_of(library: Library, name: str, lang: str) -> str:
    """The documents panel of collection `name`: its documents, or that it is new."""
    try:
        name = check_name(name)
    except CollectionNameError as err:
        return p.error_html(err, lang)
    if name != library.default and not library.exists(name):
        return shelf.documents_html([], lang, new=name)
    return shelf.documents_html(library.documents(name), lang)


def heading_updates(
    library: Library, name: str, lang: str, *, clear_filter: bool = False
) -> tuple[Any, ...]:
    """Collection `name`'s (header, examples, publishers): its title, its example questions
    (hidden when it has none), its publishers as the filter's choices (`clear_filter`: none
    chosen). A name that cannot be a collection's leaves them as they are."""
    try:
        shown = heading(library, name, lang)
    except CollectionNameError:
        return gr.skip(), gr.skip(), gr.skip()
    samples = [[q] for q in shown.examples]
    choices = shown.publishers.choices(lang)
    return (
        p.header_markdown(shown.title, lang),
        gr.update(samples=samples, visible=bool(samples)),
        gr.update(choices=choices, value=[]) if clear_filter else gr.update(choices=choices),
    )


def pick_collection(library: Library, name: str, lang: str) -> tuple[Any, ...]:
    """Another collection: a new conversation, the viewer closed, its documents, title, examples
    and publishers shown. (chat, turns, sources, notices, last answer, viewer column, upload
    status, documents, header, examples, publishers)"""
    return (
        [],
        [],
        p.status_html("no_sources", lang),
        "",
        None,
        gr.update(visible=False),
        "",
        documents_of(library, name, lang),
        *heading_updates(library, name, lang, clear_filter=True),
    )


def refresh(library: Library, name: str, lang: str) -> tuple[Any, ...]:
    """On page load: the collections as they are now, and the chosen one's documents, title,
    examples and publishers."""
    return (
        gr.update(choices=library.names()),
        documents_of(library, name, lang),
        *heading_updates(library, name, lang),
    )


def add_files(
    library: Library,
    name: str,
    files: Sequence[str] | None,
    lang: str,
    progress: gr.Progress = gr.Progress(),  # noqa: B008  (Gradio's way: a default it replaces)
) -> tuple[Any, ...]:
    """Index the dropped files into collection `name` (created when new), with a progress bar;
    then its examples come from its documents. (upload status, documents, collection choices,
    the file box emptied, header, examples, publishers)"""
    uploads = [(Path(f).name, Path(f).read_bytes()) for f in files or ()]
    if not uploads:
        return (gr.skip(),) * len(ADD_OUT)

    def step(done: int, total: int) -> None:
        progress((done, total) if total else None, desc=shelf.progress_text(done, total, lang))

    try:
        step(0, 0)
        results = library.add(name, uploads, progress=step)
    except Exception as err:  # said in the page; the log has anything unexpected
        if not is_user_error(err):
            log.exception("adding %d files to %r failed", len(uploads), name)
        return p.error_html(err, lang), gr.skip(), gr.skip(), None, *(gr.skip(),) * len(HEADING_OUT)
    choices = gr.update(choices=library.names(), value=check_name(name))
    status = shelf.upload_results_html(results, lang)
    shown = heading_updates(library, name, lang)
    return status, documents_of(library, name, lang), choices, None, *shown


def remove_document(library: Library, name: str, lang: str, doc_id: Any) -> tuple[Any, ...]:
    """Take document `doc_id` out of the collection. (upload status, documents)"""
    try:
        removed = library.remove(name, str(doc_id or ""))
    except Exception as err:
        if not is_user_error(err):
            log.exception("removing %r from %r failed", doc_id, name)
        return p.error_html(err, lang), gr.skip()
    done = html.escape(labels(lang)["removed"].format(file=removed.file))
    status = f'<div class="upload-removed" role="status">{done}</div>'
    return status, documents_of(library, name, lang)


def open_passage(
    library: Library, name: str, answer: Answer | None, lang: str, n: Any
) -> tuple[Any, ...]:
    """Open citation `n` of the last answer in the viewer. (viewer column, viewer, viewing)"""
    cited = next((c for c in (answer.citations if answer else ()) if c.n == n), None)
    if cited is None:
        return gr.skip(), gr.skip(), gr.skip()
    try:
        shown = viewer.viewer_html(library.passage(name, cited.chunk_id), name, cited.n, lang)
    except Exception as err:
        if not is_user_error(err):
            log.exception("opening passage %r of %r failed", cited.chunk_id, name)
        shown = p.error_html(err, lang)
    return gr.update(visible=True), shown, cited.n


def close_viewer() -> tuple[Any, ...]:
    """(viewer column, viewing)"""
    return gr.update(visible=False), None


def relabel(
    library: Library, name: str, lang: str, answer: Answer | None, viewing: Any
) -> tuple[Any, ...]:
    """The collection widgets in language `lang`, in the order of `RELABEL_OUT`."""
    lab = labels(lang)
    opened = open_passage(library, name, answer, lang, viewing)[1] if viewing else gr.skip()
    return (
        gr.update(label=lab["collection"], info=lab["collection_info"]),
        gr.update(label=lab["documents"]),
        gr.update(label=lab["upload"]),
        documents_of(library, name, lang),
        f"### {lab['viewer']}",
        gr.update(value=lab["close"]),
        opened,
    )


# --- wiring: widget names (of `ui.layout`) in the order of each callback's values ---------------
HEADING_OUT = ["header", "examples", "publishers"]  # `heading_updates`
PICKED = "chatbot turns sources notices last viewer_col upload_status documents"
PICK_OUT = [*PICKED.split(), *HEADING_OUT]
ADD_OUT = ["upload_status", "documents", "collection", "upload", *HEADING_OUT]
REFRESH_OUT = ["collection", "documents", *HEADING_OUT]
RELABEL_OUT = "collection docs_accordion upload documents viewer_title close viewer".split()


def _pick(w: Widgets, names: list[str]) -> list[Any]:
    return [w[name] for name in names]


def _bound(fn: Callable[..., Any], library: Library) -> Callable[..., Any]:
    """`fn` with the library as its first argument, keeping its name (Gradio names the event
    after it)."""

    def call(*args: Any) -> Any:
        return fn(library, *args)

    call.__name__ = fn.__name__
    return call


def _wire_documents(w: Widgets, library: Library) -> None:
    """Adding and removing files: one group of their own, never the answer's, so questions are
    answered while files are indexed."""

    def adding(name: str, files: list[str] | None, lang: str, progress=gr.Progress()):  # type: ignore[no-untyped-def]  # noqa: B008
        return add_files(library, name, files, lang, progress)

    w["upload"].upload(
        adding,
        [w["collection"], w["upload"], w["language"]],
        _pick(w, ADD_OUT),
        api_name="add_files",
        concurrency_limit=1,
        concurrency_id="library",
        show_progress_on=[w["upload_status"]],
    )

    def removing(name: str, lang: str, evt: gr.EventData) -> tuple[Any, ...]:
        return remove_document(library, name, lang, getattr(evt, "doc", None))

    w["documents"].click(
        removing,
        [w["collection"], w["language"]],
        _pick(w, ["upload_status", "documents"]),
        concurrency_limit=1,
        concurrency_id="library",
    )


def wire(w: Widgets, library: Library, loaded: Any) -> None:
    """Connect the collection widgets to the callbacks above; `loaded` is the page load's event
    that sets the browser's language (the refresh follows it, so its title is in that language,
    the same as the relabel that the language change starts)."""
    w["collection"].input(
        _bound(pick_collection, library),
        [w["collection"], w["language"]],
        _pick(w, PICK_OUT),
        queue=False,
    )
    _wire_documents(w, library)

    def opening(name: str, answer: Answer | None, lang: str, evt: gr.EventData) -> Any:
        return open_passage(library, name, answer, lang, getattr(evt, "n", None))

    w["sources"].click(
        opening,
        [w["collection"], w["last"], w["language"]],
        _pick(w, ["viewer_col", "viewer", "viewing"]),
        concurrency_limit=4,
        concurrency_id="viewer",
    )
    w["close"].click(close_viewer, None, _pick(w, ["viewer_col", "viewing"]), queue=False)
    w["language"].change(
        _bound(relabel, library),
        [w["collection"], w["language"], w["last"], w["viewing"]],
        _pick(w, RELABEL_OUT),
        queue=False,
    )
    loaded.then(
        _bound(refresh, library),
        [w["collection"], w["language"]],
        _pick(w, REFRESH_OUT),
        queue=False,
    )
