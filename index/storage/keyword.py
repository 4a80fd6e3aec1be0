"""BM25 over pre-tokenised chunks (tokens come from `index.text.tokenize`, stored with each chunk).

Built from the collection's tokens, or loaded from a saved copy (`save` / `load`, bm25s's own
format: numpy arrays and a vocabulary), never per query. `index.storage.snapshot` saves it beside
the chunks it was built from.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np


def _quiet() -> None:
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG


class KeywordIndex:
    def __init__(self, token_lists: list[list[str]], *, bm25: Any = None) -> None:
        self.size = len(token_lists) if bm25 is None else int(bm25.scores["num_docs"])
        self._bm25 = bm25
        if bm25 is None and self.size:
            import bm25s

            _quiet()
            self._bm25 = bm25s.BM25()
            self._bm25.index(token_lists, show_progress=False)

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (nothing for an empty index: `load` makes one)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(folder))

    @classmethod
    def load(cls, folder: Path, size: int) -> KeywordIndex:
        """The index `save` wrote for `size` chunks. Raises ValueError when what is there does
        not hold `size` chunks (a partial or foreign copy), OSError when it cannot be read."""
        if size == 0:
            return cls([])
        import bm25s

        _quiet()
        bm25 = bm25s.BM25.load(str(folder), mmap=False)
        index = cls([], bm25=bm25)
        if index.size != size:
            raise ValueError(f"the saved keyword index holds {index.size} chunks, not {size}")
        return index

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
