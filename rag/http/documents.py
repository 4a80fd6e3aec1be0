"""The documents API: collections and their documents over HTTP, one call into `Library` each.

    GET    /v1/collections                          {"collections": [{name, documents, chunks,
                                                     default}]}
    POST   /v1/collections                          {"name", "profile"?: a shipped profile's name,
                                                     "profile_toml"?: a profile file's text}:
                                                    {"collection": {name, documents, chunks, ...}}
    GET    /v1/collections/{name}/documents         {"collection", "documents": [{id, file, pages,
                                                     chunks, status, source}]}
    POST   /v1/collections/{name}/documents         multipart, field `files` (several files):
                                                    {"collection", "files": [{upload, file,
                                                     status, chunks, reason, id}]}
    DELETE /v1/collections/{name}/documents/{id}    {"collection", "removed": {id, file, ...}}

POST creates the collection when new; the others answer 404 for an unknown collection or
document. An upload is read as it arrives (at most `max_upload_bytes`), then indexed within the
same admission limits as answers.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from index.storage.collections import check_name
from rag.http.admission import Admission
from rag.http.multipart import read_files
from rag.library import Library


class NewCollection(BaseModel):
    name: str
    profile: str | None = Field(None, description="a shipped profile's name (default: neutral)")
    profile_toml: str | None = Field(None, description="a corpus profile file's text")


UPLOAD_PATH = re.compile(r"^/v1/collections/[^/]+/documents/?$")


def is_upload(request: Request) -> bool:
    """Whether the request is an upload (its body is limited here, not by the 64 KiB rule)."""
    return request.method == "POST" and bool(UPLOAD_PATH.match(request.url.path))


def document_routes(
    api: FastAPI, library: Library, admission: Admission, guarded: list[Any]
) -> None:
    settings = library.settings

    @api.get("/v1/collections", dependencies=guarded)
    def collections() -> dict[str, Any]:
        return {"collections": [asdict(info) for info in library.collections()]}

    @api.post("/v1/collections", dependencies=guarded)
    def create(body: NewCollection) -> dict[str, Any]:
        if body.profile_toml is None:
            info = library.create(body.name, body.profile)
        else:
            with tempfile.TemporaryDirectory() as tmp:  # read and checked like a file
                path = Path(tmp) / "profile.toml"
                path.write_text(body.profile_toml, "utf-8")
                info = library.create(body.name, path)
        return {"collection": asdict(info)}

    @api.get("/v1/collections/{name}/documents", dependencies=guarded)
    def documents(name: str) -> dict[str, Any]:
        return {"collection": name, "documents": [d.to_dict() for d in library.documents(name)]}

    @api.post("/v1/collections/{name}/documents", dependencies=guarded)
    async def upload(name: str, request: Request) -> dict[str, Any]:
        check_name(name)  # a bad name is refused before the body is read
        files = await read_files(
            request,
            "files",
            max_total=settings.max_upload_bytes,
            max_file=settings.max_file_bytes,
        )
        async with admission.slot():
            results = await run_in_threadpool(library.add, name, files)
        return {"collection": name, "files": [r.to_dict() for r in results]}

    @api.delete("/v1/collections/{name}/documents/{doc_id}", dependencies=guarded)
    def remove(name: str, doc_id: str) -> dict[str, Any]:
        return {"collection": name, "removed": library.remove(name, doc_id).to_dict()}
