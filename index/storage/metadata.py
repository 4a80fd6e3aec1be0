"""How a chunk is kept in Chroma: flat metadata (strings and integers) and back.

The stored `publisher_norm` and `published_day` fields are what filters compare against, so
their encodings (`normalise_publisher`, `published_day`) are defined once and shared with the
in-memory filters of `rag.retrieval.filters`. Chroma metadata cannot hold None, so a chunk
without a page is stored with `page` 0 (pages are 1-based) and read back as None; `pages` is
the file's page count, 0 for files without pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from index.publishers import normalise_publisher
from index.types import Chunk


def published_day(d: date | None) -> int:
    """A date as the integer YYYYMMDD, 0 when undated (so an undated chunk sorts first)."""
    return int(d.strftime("%Y%m%d")) if d else 0


def chunk_metadata(chunk: Chunk, tokens: list[str], file_hash: str) -> dict[str, Any]:
    """The chunk's fields (all but id and text) as Chroma metadata, plus its keyword tokens
    and the hash of the file it came from."""
    return {
        "article_id": chunk.article_id,
        "file": chunk.file,
        "path": chunk.path,
        "title": chunk.title,
        "section": chunk.section or "",
        "refs": ",".join(str(r) for r in chunk.refs),
        "publisher": chunk.publisher or "",
        "publisher_norm": normalise_publisher(chunk.publisher or ""),
        "published": chunk.published.isoformat() if chunk.published else "",
        "published_day": published_day(chunk.published),
        "topic": chunk.topic or "",
        "url": chunk.url or "",
        "lang": chunk.lang,
        "position": chunk.position,
        "page": chunk.page or 0,  # Chroma holds no None: 0 is "not paged"
        "pages": chunk.pages,
        "embed_text": chunk.embed_text,
        "tokens": " ".join(tokens),
        "file_hash": file_hash,
    }


def chunk_from(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    """The chunk `chunk_metadata` stored (missing optional fields take their defaults)."""
    refs = tuple(int(r) for r in str(meta.get("refs", "")).split(",") if r)
    published = meta.get("published") or None
    return Chunk(
        chunk_id=chunk_id,
        article_id=meta["article_id"],
        text=text,
        embed_text=meta.get("embed_text", text),
        file=meta["file"],
        title=meta["title"],
        section=meta.get("section") or None,
        refs=refs,
        publisher=meta.get("publisher") or None,
        published=datetime.fromisoformat(published) if published else None,
        topic=meta.get("topic") or None,
        url=meta.get("url") or None,
        lang=meta.get("lang", "en"),
        path=meta.get("path", ""),
        position=int(meta.get("position", 0)),
        page=int(meta.get("page", 0)) or None,
        pages=int(meta.get("pages", 0)),
    )
