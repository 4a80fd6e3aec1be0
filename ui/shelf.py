"""A collection's documents and the results of adding files, as safe HTML: pure functions of
`rag`'s records (`DocumentInfo`, `FileResult`), tested without Gradio."""

from __future__ import annotations

import html
from collections.abc import Sequence

from rag.catalog import DocumentInfo, FileResult
from ui.labels import labels


def file_status(result: FileResult, lang: str = "en") -> str:
    """One file's outcome in words: indexed with its passages, unchanged, or skipped and why."""
    lab = labels(lang)
    if result.status == "indexed":
        return lab["indexed"].format(chunks=result.chunks)
    if result.status == "unchanged":
        same = result.file and result.file != result.upload
        return lab["unchanged_as"].format(file=result.file) if same else lab["unchanged"]
    return lab["skipped"].format(reason=result.reason or "?")


def upload_results_html(results: Sequence[FileResult], lang: str = "en") -> str:
    """A line per uploaded file, in the order sent, with its status."""
    rows = "".join(
        f'<li class="upload-{r.status}"><b>{html.escape(r.upload)}</b>: '
        f"{html.escape(file_status(r, lang))}</li>"
        for r in results
    )
    return f'<ul class="upload-results" role="status">{rows}</ul>' if rows else ""


def progress_text(done: int, total: int, lang: str = "en") -> str:
    """The progress bar's caption while files are embedded."""
    if total <= 0:
        return labels(lang)["reading"]
    return labels(lang)["indexing"].format(done=done, total=total)


def documents_html(
    documents: Sequence[DocumentInfo], lang: str = "en", *, new: str | None = None
) -> str:
    """The collection's documents: file, pages, passages, status, and a remove button (whose
    `data-doc` the page sends back: an id, never a path). `new` names a collection that does
    not exist yet."""
    lab = labels(lang)
    if new is not None:
        return (
            f'<div class="docs-empty">{html.escape(lab["new_collection"].format(name=new))}</div>'
        )
    if not documents:
        return f'<div class="docs-empty">{html.escape(lab["no_documents"])}</div>'
    head = "".join(f"<th>{html.escape(lab[k])}</th>" for k in ("file", "pages", "chunks", "status"))
    rows = "".join(_row(d, lang) for d in documents)
    return (
        f'<table class="docs"><thead><tr>{head}<th></th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _row(doc: DocumentInfo, lang: str) -> str:
    lab = labels(lang)
    status = lab["status_indexed"] if doc.status == "indexed" else lab["status_missing"]
    button = (
        f'<button class="doc-remove" data-doc="{html.escape(doc.id, quote=True)}" '
        f'data-confirm="{html.escape(lab["confirm_remove"], quote=True)}">'
        f"{html.escape(lab['remove'])}</button>"
    )
    return (
        f'<tr class="doc doc-{doc.status}"><td class="doc-file">{html.escape(doc.file)}</td>'
        f"<td>{doc.pages or '–'}</td><td>{doc.chunks}</td>"
        f"<td>{html.escape(status)}</td><td>{button}</td></tr>"
    )
