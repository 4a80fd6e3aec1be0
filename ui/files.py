"""The page's file routes: a collection's own files, downloaded or (a PDF) one page rendered with
a cited passage highlighted. Installed on the page's own app (`ui.app.serve` and `mount`), so
they sit beside it (`/files/...`, or `/ui/files/...` when mounted) behind its login.

    GET files/{collection}/{file}                     the original file, as an attachment
    GET files/{collection}/{file}/page/{n}.png?chunk=ID   page n as PNG, chunk ID highlighted

The client names a collection, a file name and a chunk id, never a path: the file comes from
`Library.file_path`, which gives only files inside the collection's folder. Anything else (an
unknown collection, a bad name, `..`, a link out of the folder, a chunk of another file, a page
out of range) is 404.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from starlette.routing import BaseRoute

from index.errors import RagIndexError
from index.storage.collections import CollectionNameError, UnknownCollectionError
from rag.errors import NotInCollectionError, UnknownPassageError
from rag.library import Library

log = logging.getLogger(__name__)

NOT_FOUND = (CollectionNameError, UnknownCollectionError, NotInCollectionError, UnknownPassageError)
PAGED = {".pdf"}


async def signed_in(request: Request) -> None:
    """The page's own login (Gradio's `auth`), as its other routes ask for it: when the page has
    a login, a request without the page's session cookie gets 401."""
    app = request.app
    dependency = getattr(app, "auth_dependency", None)
    if getattr(app, "auth", None) is None and dependency is None:
        return
    if dependency is not None:
        user = dependency(request)
        user = await user if inspect.isawaitable(user) else user
    else:
        cookie = getattr(app, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie}") or request.cookies.get(
            f"access-token-unsecure-{cookie}"
        )
        user = getattr(app, "tokens", {}).get(token)
    if user is None:
        raise HTTPException(401, "Not authenticated")


def _path(library: Library, collection: str, file: str) -> Path:
    try:
        return library.file_path(collection, file)
    except NOT_FOUND:
        raise HTTPException(404, "no such file in this collection") from None


def _page_png(library: Library, collection: str, file: str, page: int, chunk: str | None) -> bytes:
    """Page `page` of the collection's PDF `file`, chunk `chunk` (of this file) highlighted."""
    from index.formats.render import render_page

    path = _path(library, collection, file)
    if path.suffix.lower() not in PAGED:
        raise HTTPException(404, "this file has no pages to show")
    passage = None
    if chunk:
        try:
            cited = library.passage(collection, chunk, around=0).chunk
        except NOT_FOUND:
            raise HTTPException(404, "no such passage in this collection") from None
        if Path(cited.path).resolve() != path.resolve():
            raise HTTPException(404, "no such passage in this file")
        passage = cited.text
    try:
        return render_page(path, page, passage)
    except RagIndexError as err:  # a page out of range, a file PDFium cannot open
        raise HTTPException(404, str(err)) from None


def file_routes(library: Library) -> list[BaseRoute]:
    """The routes above, for the page's app (`app_kwargs={"routes": ...}`)."""
    router = APIRouter(dependencies=[Depends(signed_in)])

    @router.get("/files/{collection}/{file}")
    def download(collection: str, file: str) -> FileResponse:
        path = _path(library, collection, file)
        # Always an attachment (an uploaded web page never runs as the page's own origin).
        return FileResponse(path, filename=path.name, headers={"X-Content-Type-Options": "nosniff"})

    @router.get("/files/{collection}/{file}/page/{page}.png")
    async def page_image(collection: str, file: str, page: int, chunk: str | None = None) -> Any:
        png = await run_in_threadpool(_page_png, library, collection, file, page, chunk)
        headers = {"Cache-Control": "private, max-age=300"}
        return Response(png, media_type="image/png", headers=headers)

    return list(router.routes)
