"""Hybrid retrieval: dense (Chroma) + keyword (BM25 over jieba tokens), fused, diversified.

`retrieve(question) -> list[Scored[Chunk]]`. The keyword index is built once from the store's
chunks when the retriever is made, and rebuilt only by `refresh()` after indexing. The pure
parts live beside it: `filters` (where clause and in-memory mask), `fusion` (relative-score
fusion), `diversify` (the per-article cap).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.keyword import KeywordIndex
from index.publishers import Publishers
from index.store import ChromaStore, StoredChunk
from index.text import detect_lang
from index.tokenize import tokenize
from index.types import Chunk, Scored
from rag.retrieval.diversify import cap_per_article
from rag.retrieval.filters import FilterColumns, allowed_mask, chroma_where
from rag.retrieval.fusion import Fused, FusionWeights, Run, boost, fuse
from rag.settings import RetrievalMode
from rag.types import Filters

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)

OVERFETCH = 1000  # unfiltered neighbours a filtered dense search picks from, at least...
MAX_OVERFETCH = 8000  # ...and at most


class HybridRetriever:
    def __init__(
        self,
        store: ChromaStore,
        embedder: BaseEmbedding,
        *,
        mode: RetrievalMode = "hybrid",
        candidates: int = 40,
        per_article: int = 2,
        weights: FusionWeights | None = None,
        publishers: Publishers | None = None,
    ) -> None:
        self.store = store
        self.publishers = publishers or Publishers()  # the corpus's table: names in questions
        self.embedder = embedder
        self.mode = mode
        self.candidates = candidates
        self.per_article = per_article
        self.weights = weights or FusionWeights()
        self._chunks: list[Chunk] = []
        self._row: dict[str, int] = {}
        self._columns = FilterColumns.of([])
        self._keyword = KeywordIndex([])
        self._lang_share: dict[str, float] = {}
        self.refresh()

    def refresh(self) -> None:
        """Reload the keyword side from the store (after indexing)."""
        stored: list[StoredChunk] = self.store.all_chunks()
        self._chunks = [s.chunk for s in stored]
        self._row = {c.chunk_id: i for i, c in enumerate(self._chunks)}
        self._columns = FilterColumns.of(self._chunks)
        self._keyword = KeywordIndex([s.tokens for s in stored])
        langs = Counter(c.lang for c in self._chunks)
        self._lang_share = {lang: n / len(self._chunks) for lang, n in langs.items()}
        log.info("keyword index over %d chunks", len(stored))

    def keyword_reach(self, question: str) -> float:
        """How much keyword matching can say for this question: words only meet chunks written
        in the question's language (in this corpus most Chinese questions meet English bullets,
        where only the Chinese titles would match)."""
        lang = detect_lang(question)
        same = self._lang_share.get(lang, 0.0)
        return self.weights.reach_floor + (1 - self.weights.reach_floor) * same

    @property
    def size(self) -> int:
        return len(self._chunks)

    def dense(
        self,
        question: str,
        n: int,
        filters: Filters | None = None,
        vector: Sequence[float] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by the query embedding (pass `vector` to reuse one already made).

        Chroma returns ids only and the chunks come from memory. A filtered search takes the
        unfiltered nearest `wide` (enough that about 2n allowed ones are expected among them) and
        keeps the allowed ones: when n survive they are exactly the filtered top n, since every
        chunk further down is farther away. That is cheaper than Chroma's own `where` at scale
        (README, `rag bench --scale`), so Chroma filters only when the filter is so narrow that
        `wide` would pass MAX_OVERFETCH, or too few survived."""
        if vector is None:
            vector = self.embedder.get_query_embedding(question)
        mask = allowed_mask(self._columns, filters, self.publishers)
        wide = n
        if mask is not None:
            allowed = int(mask.sum())
            if allowed == 0:
                return []
            wide = min(self.size, max(OVERFETCH, math.ceil(2 * n * self.size / allowed)))
        if wide <= MAX_OVERFETCH:
            hits = self.store.nearest(vector, wide)
            rows = [self._row[cid] for cid, _ in hits if cid in self._row]
            if len(rows) == len(hits):  # else the store changed under us: let Chroma answer
                if mask is None:
                    return [(self._chunks[r], s) for r, (_, s) in zip(rows, hits, strict=True)]
                kept = [(r, s) for r, (_, s) in zip(rows, hits, strict=True) if mask[r]]
                if len(kept) >= n or len(hits) >= self.size:  # enough, or the whole corpus seen
                    return [(self._chunks[r], s) for r, s in kept[:n]]
        return self.store.query(vector, n, chroma_where(filters, self.publishers))

    def keyword(
        self, question: str, n: int, filters: Filters | None = None
    ) -> list[tuple[Chunk, float]]:
        hits = self._keyword.search(
            tokenize(question), n, allowed_mask(self._columns, filters, self.publishers)
        )
        return [(self._chunks[i], score) for i, score in hits]

    def _runs(
        self,
        question: str,
        vector: Sequence[float] | None,
        filters: Filters | None,
        mode: RetrievalMode,
    ) -> list[Run]:
        """Each retriever the mode uses, with its hits and its weight for this question."""
        w = self.weights
        runs: list[Run] = []
        if mode in ("hybrid", "dense"):
            hits = self.dense(question, self.candidates, filters, vector)
            runs.append(Run("dense", w.dense, hits, min_max=True))
        if mode in ("hybrid", "keyword"):
            weight = w.keyword * self.keyword_reach(question)
            runs.append(Run("keyword", weight, self.keyword(question, self.candidates, filters)))
        return runs

    def retrieve(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        mode: RetrievalMode | None = None,
    ) -> list[Scored[Chunk]]:
        mode = mode or self.mode
        vector = self.embedder.get_query_embedding(question) if mode != "keyword" else None
        fused: Fused = fuse(self._runs(question, vector, filters, mode))

        # A question that names a publisher ("according to Cailian Press", "据人民日报") is about
        # that publisher's articles: a second pass within them, and their chunks move up.
        named = tuple(p.en for p in self.publishers.mentioned(question))
        if named and not (filters and filters.publishers):
            within = Filters(
                publishers=named,
                files=filters.files if filters else (),
                date_from=filters.date_from if filters else None,
                date_to=filters.date_to if filters else None,
            )
            extra = fuse(self._runs(question, vector, within, mode))
            fused = boost(fused, extra, self.weights.publisher_bonus)
        return cap_per_article(fused.ranked(), self.per_article, k)
