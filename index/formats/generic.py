"""The generic parser, for any .txt or .md that is not a report export: one article per file,
titled from its first Markdown heading (or first line), paragraphs from blank-line-separated
blocks and list items, Markdown headings as their sections. An empty file gives no article."""

from __future__ import annotations

import re

from index.text.rules import URL, clean_prose, detect_lang
from index.types import Article, Paragraph

GENERIC_TITLE_MAX = 80
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def parse_generic(text: str, file: str, path: str = "") -> list[Article]:
    """One article per file: title from the first heading (or line), blocks and list items as
    paragraphs, Markdown headings as their sections."""
    title: str | None = None
    section: str | None = None
    paragraphs: list[Paragraph] = []
    for block in (b.strip() for b in re.split(r"\n\s*\n", text)):
        block_lines = block.split("\n") if block else []
        while block_lines and (heading := _MD_HEADING.match(block_lines[0].strip())):
            if title is None and not paragraphs:
                title = heading.group(2)
            else:
                section = heading.group(2)
            block_lines = block_lines[1:]
        for item in _blocks_items(block_lines):
            paragraphs.append(Paragraph(clean_prose(item), section))
    if not paragraphs:
        return []
    if title is None:
        first_line = next(line.strip() for line in text.split("\n") if line.strip())
        cut = first_line[:GENERIC_TITLE_MAX]
        title = cut + ("…" if len(first_line) > GENERIC_TITLE_MAX else "")
    urls = URL.findall(text)
    return [
        Article(
            file=file,
            title=title,
            paragraphs=tuple(paragraphs),
            url=urls[0] if urls else None,
            lang=detect_lang(" ".join(p.text for p in paragraphs)),
            path=path,
        )
    ]


def _blocks_items(lines: list[str]) -> list[str]:
    """A block's text: one item per list entry, or the whole block when it is not a list."""
    if not lines:
        return []
    if not _MD_ITEM.match(lines[0]):
        return [" ".join(lines)]
    items: list[str] = []
    for line in lines:
        if _MD_ITEM.match(line) or not items:
            items.append(_MD_ITEM.sub("", line))
        else:
            items[-1] += " " + line.strip()
    return [item for item in items if item.strip()]
