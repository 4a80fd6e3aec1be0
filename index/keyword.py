"""BM25 over pre-tokenised chunks (tokens come from `index.tokenize`, stored with each chunk).

Built once from the collection when a retriever loads, never per query.
"""

from __future__ import annotations

import logging

import numpy as np


class KeywordIndex:
    def __init__(self, token_lists: list[list[str]]) -> None:
        self.size = len(token_lists)
        self._bm25 = None
        if self.size:
            import bm25s

            logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
            self._bm25 = bm25s.BM25()
            self._bm25.index(token_lists, show_progress=False)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk, in build order."""
        if self._bm25 is None or not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float32)

    def search(
        self, query_tokens: list[str], k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The top-k (position, score) pairs with a positive score, optionally within a mask."""
        scores = self.scores(query_tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]
