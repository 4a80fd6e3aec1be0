"""The passage viewer's content as safe HTML: a cited passage in its context (the chunks before
and after it, the passage marked), where it is (file, page, section), and for a collection's own
files a download link and, for a PDF, the page rendered with the passage highlighted.

The links point at the page's file routes (`ui.files`) by collection, file name and chunk id:
never at a path on disk.
"""

from __future__ import annotations

import html
from pathlib import PurePath
from urllib.parse import quote

from rag.catalog import Passage
from ui.labels import labels

PAGED = {".pdf"}  # the files whose pages the page-image route renders


def file_url(collection: str, file: str) -> str:
    """The download route of one of the collection's files (relative to the page)."""
    return f"files/{quote(collection, safe='')}/{quote(file, safe='')}"


def page_url(collection: str, file: str, page: int, chunk_id: str) -> str:
    """The page-image route: page `page` of `file` with chunk `chunk_id` highlighted."""
    return f"{file_url(collection, file)}/page/{page}.png?chunk={quote(chunk_id, safe='')}"


def passage_page(passage: Passage) -> int | None:
    """The 1-based page the passage is on, when its file has pages."""
    page = passage.chunk.page
    return page if page and page > 0 else None


def _where(passage: Passage, lang: str) -> str:
    """`report.pdf · p. 2 · Market size`: the file, then the page and section when known."""
    chunk, page = passage.chunk, passage_page(passage)
    parts = [chunk.file]
    parts += [labels(lang)["page"].format(n=page)] if page else []
    parts += [chunk.section] if chunk.section else []
    return " · ".join(parts)


def _context(passage: Passage) -> str:
    """The neighbours and the passage, in order; the passage marked."""
    before = "".join(f"<p>{html.escape(c.text)}</p>" for c in passage.before)
    marked = f'<p class="viewer-cited"><mark>{html.escape(passage.chunk.text)}</mark></p>'
    after = "".join(f"<p>{html.escape(c.text)}</p>" for c in passage.after)
    return f'<div class="viewer-context">{before}{marked}{after}</div>'


def _files(passage: Passage, collection: str, lang: str) -> str:
    """The page image (a PDF's page) and the download link: only for the collection's own
    files, which the routes serve."""
    if not passage.uploaded:
        return ""
    lab, chunk = labels(lang), passage.chunk
    page = passage_page(passage)
    image = ""
    if page and PurePath(chunk.file).suffix.lower() in PAGED:
        src = html.escape(page_url(collection, chunk.file, page, chunk.chunk_id), quote=True)
        alt = html.escape(lab["page_alt"].format(n=page, file=chunk.file), quote=True)
        image = f'<img class="viewer-page" src="{src}" alt="{alt}" loading="lazy">'
    href = html.escape(file_url(collection, chunk.file), quote=True)
    link = (
        f'<a class="viewer-download" href="{href}" download>'
        f"⤓ {html.escape(lab['download'])} ({html.escape(chunk.file)})</a>"
    )
    return image + f'<div class="viewer-links">{link}</div>'


def viewer_html(passage: Passage, collection: str, n: int | None, lang: str = "en") -> str:
    """The viewer panel for a passage (cited as `[n]`, when n is given)."""
    chunk = passage.chunk
    badge = f'<span class="src-n">{n}</span>' if n is not None else ""
    return (
        f'<div class="viewer" data-chunk="{html.escape(chunk.chunk_id, quote=True)}">'
        f'<div class="viewer-head">{badge}<div class="src-title">{html.escape(chunk.title)}</div>'
        f'<div class="src-meta viewer-where">{html.escape(_where(passage, lang))}</div></div>'
        f"{_context(passage)}{_files(passage, collection, lang)}</div>"
    )
