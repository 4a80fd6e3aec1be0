"""Articles -> chunks: one per bullet/claim, a few sentences of prose.

A paragraph up to CHUNK_MAX in `size` (a Han character or CJK punctuation mark counts 1, any
other character 1/3, so a 300-character English bullet is 100) is one chunk. Longer paragraphs
(Chinese prose) are cut at sentence ends into pieces of about PROSE_TARGET..PROSE_MAX (about
120-160 Han characters); a single sentence longer than CHUNK_MAX is cut at commas as a last resort.

Paragraph markers (`[15][21]`) leave the shown text and become `refs`; a paragraph without
markers but with a number of its own (Word, web pages, PDFs) gets that number as its ref. A
chunk carries its paragraph's `page`, so it never spans two pages. The embedded text
carries a contextual header, so a chunk is findable on its own:

    {title}
    {publisher's usual names, or as written} {YYYY-MM-DD}     (line left out when both missing)
    {section}: {text}                                          ({text} without a section)

`chunk_id` derives from the article, the embedded text, its occurrence count within the
article and, for a PDF or scan, its page: the same input always gives the same ids, two
identical bullets do not collide, and a changed header (say, a new publisher alias) changes
the id, so the indexer re-embeds it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.publishers import Publishers
from index.text.rules import MARKER, WIDE_CHAR, join_words, split_sentences, strip_markers
from index.types import Article, Chunk, Paragraph, stable_id

PROSE_TARGET = 120  # a prose chunk takes no more sentences once this size is reached
PROSE_MAX = 160  # sentences are grouped up to this size
CHUNK_MAX = 180  # a paragraph or sentence up to this size is never cut
PROSE_MIN = 40  # a last prose piece smaller than this joins the one before, if that fits

_COMMA_CUT = re.compile(r"[^，,；;、]*[，,；;、]?")


# --- text helpers -----------------------------------------------------------------------------
def refs_of(text: str) -> tuple[int, ...]:
    """`[15][21][15]` -> (15, 21): order kept, duplicates removed."""
    return tuple(dict.fromkeys(int(n) for n in MARKER.findall(text)))


def size(text: str) -> float:
    """Length in Han-character equivalents: Han and CJK punctuation 1, anything else 1/3."""
    wide = len(WIDE_CHAR.findall(text))
    return wide + (len(text) - wide) / 3


def _cut_long(sentence: str) -> list[str]:
    """A sentence longer than CHUNK_MAX cut at commas (or, lacking any, hard)."""
    if size(sentence) <= CHUNK_MAX:
        return [sentence]
    out: list[str] = []
    current = ""
    for part in filter(None, _COMMA_CUT.findall(sentence)):
        start = 0  # no comma at all: cut where the budget ends (linear in the part's length)
        while (cut := _prefix_of_size(part, CHUNK_MAX, start)) < len(part):
            out.extend(filter(None, [current, part[start:cut]]))
            current, start = "", cut
        part = part[start:]
        if current and size(current + part) > CHUNK_MAX:
            out.append(current)
            current = ""
        current += part
    return out + ([current] if current else [])


def _prefix_of_size(text: str, budget: float, start: int = 0) -> int:
    """The end of the longest piece `text[start:end]` within `budget` (at least one character);
    len(text) when the rest fits."""
    total = 0.0
    for i in range(start, len(text)):
        total += 1 if WIDE_CHAR.match(text[i]) else 1 / 3
        if total > budget:
            return max(i, start + 1)
    return len(text)


def prose_pieces(text: str) -> list[str]:
    """Sentences grouped into pieces of PROSE_TARGET to PROSE_MAX where sentence lengths allow;
    a piece is one sentence at most CHUNK_MAX when that sentence alone is longer."""
    pieces: list[str] = []
    current = ""
    for sentence in (part for s in split_sentences(text) for part in _cut_long(s)):
        if current and (
            size(current) >= PROSE_TARGET or size(join_words(current, sentence)) > PROSE_MAX
        ):
            pieces.append(current)
            current = ""
        current = join_words(current, sentence)
    if current:
        merged = join_words(pieces[-1], current) if pieces else current
        if pieces and size(current) < PROSE_MIN and size(merged) <= PROSE_MAX:
            pieces[-1] = merged
        else:
            pieces.append(current)
    return pieces


def paragraph_pieces(paragraph: Paragraph) -> list[str]:
    """One piece for a short paragraph (a bullet), sentence groups for a long one."""
    if size(strip_markers(paragraph.text)) <= CHUNK_MAX:
        return [paragraph.text]
    return prose_pieces(paragraph.text)


# --- chunks -----------------------------------------------------------------------------------
def embed_header(article: Article, publishers: Publishers) -> str:
    """`{title}` and, when known, a line `{publisher names} {YYYY-MM-DD}`: a publisher of the
    corpus profile's table by its English and Chinese names, any other as written."""
    pub = publishers.lookup(article.publisher, article.url)
    names = f"{pub.en} {pub.zh}" if pub else (article.publisher or "")
    date = article.published.date().isoformat() if article.published else ""
    meta = f"{names} {date}".strip()
    return f"{article.title}\n{meta}" if meta else article.title


def chunk(
    article: Article, seen: Counter[str] | None = None, publishers: Publishers | None = None
) -> list[Chunk]:
    """The chunks of one article, in order, with stable content-derived ids. `seen` counts
    embedded texts across the articles of one file (an export may list an article twice)."""
    header = embed_header(article, publishers or Publishers())
    seen = Counter() if seen is None else seen
    chunks: list[Chunk] = []
    for paragraph in article.paragraphs:
        for piece in paragraph_pieces(paragraph):
            text = strip_markers(piece)
            if not re.search(r"\w", text):
                continue  # empty or markers only
            body = f"{paragraph.section}: {text}" if paragraph.section else text
            embed_text = f"{header}\n{body}"
            key = f"{article.article_id}\x1f{embed_text}"
            seen[key] += 1
            chunks.append(
                Chunk(
                    chunk_id=_chunk_id(article, embed_text, seen[key], paragraph.page),
                    article_id=article.article_id,
                    text=text,
                    embed_text=embed_text,
                    file=article.file,
                    title=article.title,
                    section=paragraph.section,
                    refs=refs_of(piece) or _numbered(paragraph),
                    publisher=article.publisher,
                    published=article.published,
                    topic=article.topic,
                    url=article.url,
                    lang=article.lang,
                    path=article.path,
                    position=len(chunks),
                    page=paragraph.page,
                    pages=article.pages,
                )
            )
    return chunks


def _chunk_id(article: Article, embed_text: str, occurrence: int, page: int | None) -> str:
    """Content-derived; a paged chunk's page is part of it, so a page inserted before it gives
    new ids (and the indexer stores the new page numbers). Unpaged ids are as they always were."""
    parts = (article.article_id, embed_text, str(occurrence))
    return stable_id(*parts) if page is None else stable_id(*parts, f"p{page}")


def _numbered(paragraph: Paragraph) -> tuple[int, ...]:
    """A paragraph's own number (Word, web pages, PDFs) where the text carries no markers."""
    return (paragraph.number,) if paragraph.number is not None else ()


def chunk_all(articles: Iterable[Article], publishers: Publishers | None = None) -> list[Chunk]:
    """The chunks of every article, article by article; ids unique even when an article
    appears twice."""
    seen: Counter[str] = Counter()
    return [c for article in articles for c in chunk(article, seen, publishers)]
