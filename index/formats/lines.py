"""Lines of a page (a PDF's text layer, or OCR) -> paragraphs.

A page's text comes as lines wrapped at the page's width. A paragraph ends at a blank line or
at a line clearly shorter than the page's full lines (its last line); the lines within it are
joined by the one joining rule (`index.text.rules.join_words`: no space beside Chinese), and an
English word hyphenated at a line end is made whole again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.text.rules import WIDE_CHAR, clean_prose, join_words

SHORT_LINE = 0.7  # a line shorter than this share of the page's longest line ends a paragraph
_HYPHENATED = re.compile(r"[A-Za-z]-$")


def join_line(paragraph: str, line: str) -> str:
    """`line` appended to `paragraph`: hyphenation undone, spaces as the languages want."""
    if _HYPHENATED.search(paragraph) and line[:1].islower():
        return paragraph[:-1] + line
    return join_words(paragraph, line)


def group_lines(lines: Sequence[str], ends: Sequence[bool]) -> list[str]:
    """Paragraphs from lines, `ends[i]` saying whether a paragraph ends after line i."""
    paragraphs: list[str] = []
    current = ""
    for line, end in zip(lines, ends, strict=True):
        if line.strip():
            current = join_line(current, line.strip())
        if (end or not line.strip()) and current:
            paragraphs.append(clean_prose(current))
            current = ""
    if current:
        paragraphs.append(clean_prose(current))
    return paragraphs


def short_line_ends(widths: Sequence[float]) -> list[bool]:
    """Which lines end a paragraph because they are short: the last line of a paragraph
    rarely reaches the right margin. The last line always ends one."""
    longest = max(widths, default=0.0)
    ends = [w < longest * SHORT_LINE for w in widths]
    if ends:
        ends[-1] = True
    return ends


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of a page's extracted text."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return group_lines(lines, short_line_ends([width(line) for line in lines]))


def width(line: str) -> int:
    """A line's printed width in Latin characters: a Chinese character is two of them."""
    return len(line) + len(WIDE_CHAR.findall(line))
