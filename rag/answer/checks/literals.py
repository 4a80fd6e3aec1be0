"""What an answer gives to be typed or looked up exactly - a path, a command, a code span - is
copied from a passage, like a figure: a sentence giving one no passage it cites writes is no
claim any source makes ("the interface definitions are in `/etc/network/interfaces` [1]" when the
passage names no such file; "```bash\nsudo systemctl restart systemd-hostnamed [1]\n```" when it
writes no such command). The model knows many paths and commands from its training; a reader
types what it shows, so it is held to the passages' own text, not to the names and words the
claims check compares.

A literal is a code span (`...`), a line inside a fenced code block, or a path ("/etc/hosts",
"~/.ssh/id_rsa"). It is compared with the passages NFKC-normalised, case-folded and without
spaces or the quotes' curly forms, after the prompt or `sudo` a model may put before a command
("$ ", "# ", "sudo "). A literal the question itself writes is no answer to check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

FENCE = re.compile(r"^\s*(?:```|~~~)")
_CODE = re.compile(r"`([^`\n]+)`")
# a path: "/" or "~/" or "./" starting a word, then no space, quote or sentence punctuation
_PATH = re.compile(r"(?<![\w/.~:-])(?:~|\.{1,2})?/[^\s`'\"“”‘’，。；：、,;()（）\[\]<>]+")
_TYPED = re.compile(r"^(?:[$#>]\s+|sudo\s+)+")  # what a model puts before a command
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
MIN_CHARS = 2  # a shorter literal ("/", "`a`") says nothing to check


def code_blocks(text: str) -> list[tuple[int, ...]]:
    """The fenced code blocks of `text`, each as its line numbers, fences included (an
    unclosed block runs to the last line)."""
    blocks: list[tuple[int, ...]] = []
    block: list[int] | None = None
    for number, line in enumerate(text.strip().split("\n")):
        if block is None:
            block = [number] if FENCE.match(line) else None
            continue
        block.append(number)
        if FENCE.match(line):
            blocks.append(tuple(block))
            block = None
    return [*blocks, tuple(block)] if block else blocks


def fenced_lines(text: str) -> frozenset[int]:
    """The numbers of the lines of `text` inside a fenced code block (not the fences)."""
    text = text.strip()
    fences = {n for n, line in enumerate(text.split("\n")) if FENCE.match(line)}
    return frozenset(n for block in code_blocks(text) for n in block if n not in fences)


def literals(plain: str, fenced: bool = False) -> list[str]:
    """The literals of a sentence (without its markers): its code spans and paths, or all of it
    on a line of a code block."""
    if fenced:
        return [plain.strip()] if plain.strip() else []
    spans = [m.group(1) for m in _CODE.finditer(plain)]
    outside = _CODE.sub(" ", plain)
    paths = [m.group(0).rstrip(".:") for m in _PATH.finditer(outside)]
    return [*spans, *paths]


def unwritten(
    plain: str, passages: Iterable[str], question: str, fenced: bool = False
) -> str | None:
    """The first literal of the sentence that none of `passages` writes, if one is (see the
    module docstring); None when every one is written, or the question gives it."""
    texts = None
    asked = _fold(question)
    for literal in literals(plain, fenced):
        typed = _TYPED.sub("", literal.strip())
        wanted = key(typed)
        if len(wanted) < MIN_CHARS or _gives(asked, _fold(typed)):
            continue
        texts = texts if texts is not None else [key(p) for p in passages]
        if not any(wanted in t for t in texts):
            return literal.strip()
    return None


def key(text: str) -> str:
    """`text` as literals are compared: NFKC, case-folded, straight quotes, no spaces."""
    return "".join(_fold(text).split())


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).split())


def _gives(question: str, literal: str) -> bool:
    """Whether the (folded) question writes the literal whole: "ls" is not in "tools"."""
    return re.search(rf"(?<![\w./~-]){re.escape(literal)}(?![\w/-])", question) is not None
