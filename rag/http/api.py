"""The HTTP API: an OpenAI-compatible chat endpoint that answers from the reports, retrieval,
and health. `build_api(assistant) -> FastAPI`; `rag serve` runs it with uvicorn.

`POST /v1/chat/completions` takes the last user message as the question and the earlier messages
as history. The reply is an ordinary chat completion, plus the extra fields `citations`,
`refused` and `notices` (in the last chunk when streaming), so any OpenAI client can use it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from index.errors import RagIndexError
from index.storage.collections import CollectionNameError, UnknownCollectionError
from index.storage.uploads import UploadNameError
from index.types import Chunk, Scored
from rag import notices
from rag.assistant import Assistant
from rag.corpus.profile import ProfileError
from rag.errors import (
    CollectionExistsError,
    NotInCollectionError,
    QuestionError,
    RagError,
    UnknownDocumentError,
)
from rag.http.admission import Admission, Busy
from rag.http.documents import document_routes, is_upload
from rag.http.security import bearer_matches
from rag.library import Library
from rag.records import citation_record
from rag.settings import Backend
from rag.types import Answer, AnswerEvent, Filters, TokenEvent, Turn

MAX_BODY_BYTES = 64 * 1024


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    model: str = "report-rag"
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    backend: Backend | None = None
    collection: str | None = None  # default: the server's (RAG_COLLECTION)


class FilterModel(BaseModel):
    publishers: list[str] = []
    files: list[str] = []
    date_from: date | None = None
    date_to: date | None = None

    def to_filters(self) -> Filters:
        return Filters(tuple(self.publishers), tuple(self.files), self.date_from, self.date_to)


class RetrieveRequest(BaseModel):
    question: str
    k: int = Field(10, ge=1, le=100)
    filters: FilterModel | None = None
    collection: str | None = None


def _extras(answer: Answer) -> dict[str, Any]:
    return {
        "citations": [citation_record(c) for c in answer.citations],
        "refused": answer.refused,
        "notices": [notices.record(n) for n in answer.notices],
        "backend": answer.backend,
    }


def _question_and_history(messages: list[Message]) -> tuple[str, list[Turn]]:
    talk = [m for m in messages if m.role != "system"]
    if not talk or talk[-1].role != "user":
        raise HTTPException(400, "the last message must be the user's question")
    history = [Turn(m.role, m.content) for m in talk[:-1]]  # type: ignore[arg-type]
    return talk[-1].content, history


def build_api(
    assistant: Assistant,
    *,
    token: str | None = None,
    max_body: int = MAX_BODY_BYTES,
    admission: Admission | None = None,
    library: Library | None = None,
) -> FastAPI:
    """The API. `admission` defaults to the settings' serve_running / serve_waiting; `library`
    (the collections) to one over the assistant's settings that shares its models."""
    api = FastAPI(title="report-rag", version="0.1.0")
    settings = assistant.settings
    admission = admission or Admission(settings.serve_running, settings.serve_waiting)
    library = library or Library(settings, assistant)
    guarded = [Depends(_bearer(token))]
    _limit_bodies(api, max_body)
    _health_route(api, assistant, admission)
    _retrieve_route(api, library, admission, guarded)
    _chat_route(api, library, admission, guarded)
    document_routes(api, library, admission, guarded)
    _error_handlers(api)
    return api


def _limit_bodies(api: FastAPI, max_body: int) -> None:
    @api.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if is_upload(request):  # read as it arrives, within its own limit
            return await call_next(request)
        too_big = bool(length and length.isdigit() and int(length) > max_body)
        if too_big or (request.method == "POST" and len(await request.body()) > max_body):
            return JSONResponse({"detail": f"request body over {max_body} bytes"}, status_code=413)
        return await call_next(request)


def _bearer(token: str | None) -> Callable[[Request], None]:
    def authorised(request: Request) -> None:
        if not bearer_matches(request.headers.get("authorization", ""), token):
            raise HTTPException(
                401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
            )

    return authorised


def _health_route(api: FastAPI, assistant: Assistant, admission: Admission) -> None:
    @api.get("/health")
    def health() -> dict[str, Any]:
        retriever = assistant.retriever
        return {
            "status": "ok",
            "chunks": retriever.size,
            "generation": retriever.generation,  # the keyword index held (index.storage.generation)
            "requests_inside": admission.inside,  # answered now or waiting
            "requests_limit": admission.running + admission.waiting,
        }


# Handlers wait for their turn on the event loop and work in the thread pool.
def _retrieve_route(
    api: FastAPI, library: Library, admission: Admission, guarded: list[Any]
) -> None:
    @api.post("/v1/retrieve", dependencies=guarded)
    async def retrieve(body: RetrieveRequest) -> dict[str, Any]:
        filters = body.filters.to_filters() if body.filters else None
        assistant = library.assistant(body.collection)
        try:
            async with admission.slot():
                hits = await run_in_threadpool(
                    assistant.retrieve, body.question, k=body.k, filters=filters
                )
        except QuestionError as err:
            raise HTTPException(400, str(err)) from err
        return {"contexts": [_context(rank, hit) for rank, hit in enumerate(hits, start=1)]}


def _context(rank: int, hit: Scored[Chunk]) -> dict[str, Any]:
    c = hit.item
    return {
        "rank": rank,
        "score": hit.score,
        "chunk_id": c.chunk_id,
        "file": c.file,
        "title": c.title,
        "publisher": c.publisher,
        "published": c.published.isoformat() if c.published else None,
        "page": c.page,
        "section": c.section,
        "refs": list(c.refs),
        "text": c.text,
    }


def _chat_route(api: FastAPI, library: Library, admission: Admission, guarded: list[Any]) -> None:
    @api.post("/v1/chat/completions", dependencies=guarded)
    async def chat(body: ChatRequest) -> Any:
        question, history = _question_and_history(body.messages)
        assistant = library.assistant(body.collection)
        try:  # the question is checked at the call; the answer runs as the stream is read
            events = assistant.stream(question, history=history, backend=body.backend)
        except QuestionError as err:
            raise HTTPException(400, str(err)) from err
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if body.stream:
            await admission.enter()  # held until the stream ends or the client goes away
            return StreamingResponse(
                admission.hold(_sse(events, completion_id, created, body.model)),
                media_type="text/event-stream",
            )
        async with admission.slot():
            final = await run_in_threadpool(_final, events)
        return _completion(final, completion_id, created, body.model)


def _completion(final: Answer, completion_id: str, created: int, model: str) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": final.text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extras(final),
    }


def _error_handlers(api: FastAPI) -> None:
    async def not_found(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=404)

    async def bad_input(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=400)

    missing: tuple[type[Exception], ...] = (
        UnknownCollectionError,
        UnknownDocumentError,
        NotInCollectionError,
    )
    for kind in missing:
        api.add_exception_handler(kind, not_found)
    for kind in (CollectionNameError, UploadNameError, ProfileError):
        api.add_exception_handler(kind, bad_input)

    @api.exception_handler(CollectionExistsError)
    async def exists(request: Request, err: CollectionExistsError) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=409)

    @api.exception_handler(Busy)
    async def busy(request: Request, err: Busy) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=429, headers={"Retry-After": "2"})

    @api.exception_handler(RagIndexError)
    async def index_error(request: Request, err: RagIndexError) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=503)

    @api.exception_handler(RagError)
    async def rag_error(request: Request, err: RagError) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=500)


def _final(events: Iterator[Any]) -> Answer:
    return next(e.answer for e in events if isinstance(e, AnswerEvent))


def _sse(events: Iterator[Any], completion_id: str, created: int, model: str) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for event in events:
        if isinstance(event, TokenEvent):
            yield chunk({"content": event.text})
        elif isinstance(event, AnswerEvent):
            # The checked answer may differ from the raw tokens (markers renumbered, refusals):
            # the last chunk carries it whole, with the citations.
            yield chunk({}, "stop", answer=event.answer.text, **_extras(event.answer))
    yield "data: [DONE]\n\n"


def serve(
    assistant: Assistant,
    host: str,
    port: int,
    token: str | None,
    *,
    extend: Callable[[FastAPI], FastAPI] | None = None,
    library: Library | None = None,
) -> None:
    """Run the API with uvicorn. `extend` may add to it first (the CLI mounts the chat page at
    /ui this way, so this layer never imports the page); `library` is shared with it."""
    import uvicorn

    api = build_api(assistant, token=token, library=library)
    if extend is not None:
        api = extend(api)
    uvicorn.run(api, host=host, port=port, log_level="warning")
