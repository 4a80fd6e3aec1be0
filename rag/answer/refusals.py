"""Whether a text refuses: it is (or opens with) a fixed refusal sentence, or says in other words
that the sources lack the answer (the language packs' `refusals.phrasings`) while citing none."""

from __future__ import annotations

import unicodedata

from index.text.rules import MARKER, strip_markers
from rag.answer.record import normalise_markers
from rag.lang import LANGS, pack


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def is_refusal(text: str, refusals: list[str]) -> bool:
    flat = _flat(strip_markers(text))
    if not flat or any(flat.startswith(_flat(r)) for r in refusals if _flat(r)):
        return True
    if MARKER.search(normalise_markers(text)):
        return False
    return any(pack(lang).refusal_phrasings.search(text) for lang in LANGS)
