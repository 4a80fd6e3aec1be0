"""Word overlap: how much of one text's keyword tokens another text has, the measure the
answer checks and the extractive answerer compare sentences and passages by."""

from __future__ import annotations

from functools import lru_cache

from index.text.tokenize import tokenize


def word_overlap(text: str, other: str) -> float:
    """The share of `text`'s distinct keyword tokens that `other` also has (0 when `text` has
    none): how well `other` covers `text`."""
    words = _token_set(text)
    return len(words & _token_set(other)) / len(words) if words else 0.0


@lru_cache(maxsize=4096)
def _token_set(text: str) -> frozenset[str]:
    """Cached: the same passages are compared with every sentence of every answer."""
    return frozenset(tokenize(text))
