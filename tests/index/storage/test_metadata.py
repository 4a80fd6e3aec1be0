"""A chunk survives the trip through Chroma's flat metadata; filterable fields are encoded once."""

from __future__ import annotations

from datetime import date, datetime

from index.storage.metadata import chunk_from, chunk_metadata, published_day
from index.types import Chunk

FULL = Chunk(
    chunk_id="c1",
    article_id="a1",
    text="Users reached 696 million.",
    embed_text="Title / Market - Users reached 696 million.",
    file="001.txt",
    title="Title",
    section="Market",
    refs=(15, 21),
    publisher="3 6 Ke",
    published=datetime(2025, 7, 3, 9, 30),
    topic="微短剧",
    url="https://example.com/a",
    lang="en",
    path="/corpus/001.txt",
    position=4,
    page=2,
    pages=7,
)
BARE = Chunk(chunk_id="c2", article_id="a2", text="无日期", embed_text="无日期", file="002.txt",
             title="标题", lang="zh")  # fmt: skip


def test_chunk_metadata__round_trips_every_field():
    for chunk in (FULL, BARE):
        meta = chunk_metadata(chunk, ["users", "696"], "hash")
        assert all(isinstance(v, str | int) for v in meta.values())  # what Chroma accepts
        assert chunk_from(chunk.chunk_id, chunk.text, meta) == chunk


def test_chunk_metadata__stores_the_filterable_encodings():
    meta = chunk_metadata(FULL, ["users"], "hash")
    assert (meta["publisher_norm"], meta["published_day"]) == ("36ke", 20250703)
    assert (meta["tokens"], meta["file_hash"]) == ("users", "hash")
    assert chunk_metadata(BARE, [], "")["published_day"] == 0


def test_published_day__dates_and_datetimes_agree_and_undated_is_zero():
    assert published_day(date(2025, 12, 24)) == published_day(datetime(2025, 12, 24, 23, 59))
    assert published_day(date(2025, 12, 24)) == 20251224
    assert published_day(None) == 0


def test_chunk_metadata__page_none_is_stored_as_zero_and_read_back_as_none():
    meta = chunk_metadata(BARE, [], "")
    assert (meta["page"], meta["pages"]) == (0, 0)
    assert chunk_from(BARE.chunk_id, BARE.text, meta).page is None
    assert (chunk_metadata(FULL, [], "")["page"], chunk_metadata(FULL, [], "")["pages"]) == (2, 7)
