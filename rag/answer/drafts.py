"""What generation produces and what verification makes of it: plain records between the
answer stages (rag/answer/answerer.py)."""

from __future__ import annotations

from dataclasses import dataclass

from index.types import Chunk


@dataclass(frozen=True)
class Draft:
    """What generation produced, unchecked: the LLM's text, or the extractive quotes."""

    text: str
    from_llm: bool
    backend: str  # the backend that wrote it ("extractive (fallback from local)" after a failure)
    notices: tuple[str, ...] = ()
    question: str = ""  # what it answers (the standalone question)


@dataclass(frozen=True)
class Verdict:
    """A draft checked against the passages shown: the text to show and the passages it cites."""

    text: str
    cited: tuple[Chunk, ...]
    refused: bool
    notices: tuple[str, ...] = ()
