"""The shape every document parser (Word, web pages, PDF, images) ends in: blocks of text in
reading order -> one Article, headings as sections, paragraphs numbered from 1."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from index.text.rules import detect_lang
from index.types import Article, Paragraph

Kind = Literal["title", "heading", "text"]
LANG_SAMPLE = 50  # paragraphs enough to tell the language


def sectioned(blocks: Iterable[tuple[Kind, str]], title: str = "") -> tuple[str, list[Paragraph]]:
    """The title (the given one, else the first "title" block) and the "text" blocks as
    numbered paragraphs under the latest heading; a heading repeating the title is no section."""
    section: str | None = None
    paragraphs: list[Paragraph] = []
    for kind, text in blocks:
        if kind == "title" or (kind == "heading" and text == title):
            title = title or text
        elif kind == "heading":
            section = text
        else:
            paragraphs.append(Paragraph(text, section=section, number=len(paragraphs) + 1))
    return title, paragraphs


def one_article(
    file: str, path: str, title: str | None, paragraphs: list[Paragraph], **fields: Any
) -> list[Article]:
    """A list of the one article (none without paragraphs), titled by the file's name when it
    has no title, its language told by its first paragraphs."""
    if not paragraphs:
        return []
    text = " ".join(p.text for p in paragraphs[:LANG_SAMPLE])
    return [
        Article(
            file=file,
            title=title or file.rsplit(".", 1)[0],
            paragraphs=tuple(paragraphs),
            lang=detect_lang(text),
            path=path,
            **fields,
        )
    ]
