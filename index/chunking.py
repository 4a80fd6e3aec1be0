"""Articles -> chunks: one per bullet of an English export, a few sentences of prose.

Paragraph markers (`[15][21]`) leave the shown text and become `refs`. The embedded text carries
a contextual header (title, publisher, date, section), so a chunk is findable on its own:

    {title}
    {publisher names} {YYYY-MM-DD}
    {section}: {text}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index import publishers
from index.types import Article, Chunk, stable_id

_REFS = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”\"』」]?|[^。！？!?]+$")
_EN_SENTENCE = re.compile(r"(?<=[a-z0-9%)\]][.!?])\s+(?=[A-Z“\"])")

PROSE_TARGET = 120  # characters per prose chunk, aimed at
PROSE_MAX = 220  # a sentence longer than this is cut at commas


def refs_of(text: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(n) for n in _REFS.findall(text)))


def strip_refs(text: str) -> str:
    text = re.sub(r"\s*\[\d+\]", "", text)
    text = re.sub(r"\s+([.,;:。，])", r"\1", text)
    return " ".join(text.split()).strip()


def sentences(text: str) -> list[str]:
    """Sentences of Chinese or English prose, punctuation kept."""
    out: list[str] = []
    for piece in _SENTENCE.findall(text):
        out.extend(s.strip() for s in _EN_SENTENCE.split(piece) if s.strip())
    return out


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= PROSE_MAX:
        return [sentence]
    parts = re.findall(r"[^，,；;]*[，,；;]?", sentence)
    out, current = [], ""
    for part in filter(None, parts):
        if current and len(current) + len(part) > PROSE_MAX:
            out.append(current)
            current = ""
        current += part
    return out + ([current] if current else [])


def prose_pieces(text: str) -> list[str]:
    """Group sentences into pieces of about PROSE_TARGET characters, never cutting a sentence
    unless it alone is longer than PROSE_MAX."""
    pieces: list[str] = []
    current = ""
    for sentence in (part for s in sentences(text) for part in _cut_long(s)):
        if current and len(current) + len(sentence) > PROSE_TARGET:
            pieces.append(current)
            current = ""
        current += sentence if not current or not current[-1].isascii() else " " + sentence
    return pieces + ([current] if current else [])


def header(article: Article, section: str | None) -> str:
    pub = publishers.lookup(article.publisher, article.url)
    names = f"{pub.en} {pub.zh}" if pub else (article.publisher or "")
    date = article.published.date().isoformat() if article.published else ""
    return f"{article.title}\n{names} {date}".strip() + (f"\n{section}:" if section else "\n")


def chunk(article: Article) -> list[Chunk]:
    """The chunks of one article, in order, with stable content-derived ids."""
    units: list[tuple[str, str | None, tuple[int, ...]]] = []
    for para in article.paragraphs:
        if para.section is not None or article.lang == "en":
            units.append((strip_refs(para.text), para.section, refs_of(para.text)))
        else:
            units.extend((strip_refs(p), None, refs_of(p)) for p in prose_pieces(para.text))
    seen: Counter[str] = Counter()
    chunks: list[Chunk] = []
    for text, section, refs in units:
        if not re.search(r"\w", text):
            continue
        embed_text = f"{header(article, section)} {text}".replace(":\n ", ": ").replace("\n ", "\n")
        seen[embed_text] += 1
        chunks.append(
            Chunk(
                chunk_id=stable_id(article.article_id, embed_text, str(seen[embed_text])),
                article_id=article.article_id,
                text=text,
                embed_text=embed_text,
                file=article.file,
                title=article.title,
                section=section,
                refs=refs,
                publisher=article.publisher,
                published=article.published,
                topic=article.topic,
                url=article.url,
                lang=article.lang,
                path=article.path,
                position=len(chunks),
            )
        )
    return chunks


def chunk_all(articles: Iterable[Article]) -> list[Chunk]:
    return [c for article in articles for c in chunk(article)]
