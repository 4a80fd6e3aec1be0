"""The Python API: an Assistant built from settings, with ask / stream / retrieve / index.

    from rag import Assistant
    assistant = Assistant.from_settings()           # RAG_* environment, rag.toml, defaults
    answer = assistant.ask("郑州每天大约开机多少部短剧？")
    print(answer.text, [c.title for c in answer.citations])

Streaming is the primitive; `ask` collects `stream`.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import RagIndexError
from index.indexer import IndexReport, index_paths
from index.storage.collections import CollectionDir
from index.storage.store import ChromaStore
from index.types import Chunk, Scored
from rag import factory
from rag.answer import by_parts
from rag.answer.answerer import Answerer
from rag.corpus import page
from rag.corpus.learned import with_learned
from rag.errors import QuestionError
from rag.parts import Models, OnDemand, Unavailable
from rag.prompts import Prompts
from rag.question import QuestionReader
from rag.retrieval.corpus import writing
from rag.retrieval.hybrid import HybridRetriever
from rag.settings import BACKENDS, DEFAULT_COLLECTION, Backend, RetrievalMode, Settings
from rag.types import Answer, AnswerEvent, ContextsEvent, Filters, StreamEvent, TokenEvent, Turn

if TYPE_CHECKING:  # llama-index is imported when the embedder or an LLM is built
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from rag.corpus.profile import CorpusProfile

log = logging.getLogger(__name__)

History = Sequence[Turn] | Sequence[tuple[str, str]] | Sequence[dict[str, str]] | None


def _turns(history: History) -> list[Turn]:
    """Accept Turn objects, (role, content) pairs or {"role", "content"} dicts."""
    out: list[Turn] = []
    for item in history or ():
        if isinstance(item, Turn):
            out.append(item)
        elif isinstance(item, dict):
            out.append(Turn(item["role"], str(item["content"])))  # type: ignore[arg-type]
        else:
            role, content = item
            out.append(Turn(role, str(content)))  # type: ignore[arg-type]
    return out


def _visible(text: str) -> str:
    """Control characters (NUL, escapes, line breaks) become spaces; invisible format characters
    (zero-width spaces and joiners, direction marks) and lone surrogates (undecodable bytes in a
    command line) go."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            out.append(" ")
        elif category not in ("Cf", "Cs"):
            out.append(ch)
    return "".join(out)


class Assistant:
    """Question answering over the indexed reports. Thread-safe for concurrent `ask` calls."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._models = Models()  # shared with `in_collection` siblings
        self.prompts = Prompts(settings.prompts_dir)
        self._retriever: HybridRetriever | None = None
        self._lock = self._models.lock  # guards building the parts; held only briefly
        self._indexing = threading.Lock()  # one indexing run of this collection at a time
        self._use(factory.make_profile(settings))

    def _use(self, profile: CorpusProfile) -> None:
        """The collection's profile and what is built on it: how questions are read and
        follow-ups rewritten, and the answerers (the LLMs themselves are shared)."""
        self.profile = profile  # publishers, names, page, calibrated scores
        self.condenser = factory.make_condenser(self.settings, profile)  # follow-ups
        self._reader = factory.make_reader(profile)  # each question read once
        self._learned: tuple[str, QuestionReader] | None = None  # ...with the corpus's names
        self._examples: tuple[str, list[str]] | None = None  # the page's, by generation
        self._answerers: dict[str, Answerer] = {}

    @property
    def reader(self) -> QuestionReader:
        """How questions are read: with the profile's names and those the collection's own text
        writes side by side ("利雅得银行（Riyad Bank）", rag/corpus/learned.py), learned once per
        generation of the collection."""
        try:
            corpus = getattr(self.retriever, "corpus", None)  # (a stand-in retriever has none)
        except RagIndexError:
            return self._reader
        if corpus is None:
            return self._reader
        learned = self._learned
        if learned is not None and learned[0] == corpus.generation:
            return learned[1]
        # outside the lock (shared by every collection's assistant): it reads every chunk
        names = with_learned(self.profile.names, (c.text for c in corpus.chunks))
        made = (corpus.generation, QuestionReader(names, self.profile.publishers))
        with self._lock:
            if self._learned is None or self._learned[0] != corpus.generation:
                self._learned = made
            return self._learned[1]

    def page_title(self, lang: str) -> str:
        """The page's title for this collection (rag/corpus/page.py)."""
        return page.title(self.profile, self.settings.collection, lang)

    def page_examples(self) -> list[str]:
        """The page's example questions for this collection: the profile's, else questions about
        its newest documents (none before it holds any)."""
        if self.profile.examples:
            return list(self.profile.examples)
        try:
            corpus = self.retriever.corpus
        except RagIndexError:
            return []
        made = self._examples
        if made is None or made[0] != corpus.generation:  # the page asks at every update
            made = self._examples = (corpus.generation, page.examples(corpus.chunks))
        return list(made[1])

    def in_collection(self, name: str) -> Assistant:
        """This assistant over the collection `name`: the same embedder, LLMs and prompts (one
        model in memory), its own store, keyword index and profile."""
        settings = self.settings.with_overrides(collection=name)
        if settings.collection == self.settings.collection:
            return self
        sibling = copy.copy(self)
        sibling.settings = settings
        sibling._retriever = None
        sibling._indexing = threading.Lock()
        sibling._use(factory.make_profile(settings))
        return sibling

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Build from `settings` (default: environment + rag.toml), with field overrides."""
        return cls((settings or Settings()).with_overrides(**overrides))

    # --- parts, built on first use ------------------------------------------------------------
    @property
    def embedder(self) -> BaseEmbedding:
        with self._lock:
            if self._models.embedder is None:
                self._models.embedder = factory.make_embedder(self.settings)
            return self._models.embedder

    @property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            if self._retriever is None:
                store = factory.make_store(self.settings, create=False)
                self._retriever = factory.make_retriever(
                    self.settings, store, self.embedder, self.profile
                )
            return self._retriever

    def answerer(self, backend: Backend | None = None) -> Answerer:
        name = backend or self.settings.llm_backend
        with self._lock:
            if name not in self._answerers:
                llm = self._llm(name)
                self._answerers[name] = factory.make_answerer(
                    self.settings, name, llm, self.embedder, self.profile
                )
            return self._answerers[name]

    def _llm(self, name: str) -> Any:
        """The backend's LLM, built once for every collection (Unavailable if it cannot be)."""
        llms = self._models.llms
        if name not in llms:
            try:
                llms[name] = factory.make_llm(self.settings, name)  # type: ignore[arg-type]
            except Exception as err:
                if name not in BACKENDS:
                    raise
                log.warning("backend %s unavailable: %s", name, err)
                llms[name] = Unavailable(f"{type(err).__name__}: {err}")
        return llms[name]

    def warm_up(self, backend: Backend | None = None) -> None:
        """Load the index, the keyword index and the LLM, and have the LLM read the fixed part of
        the prompt once, so that the first question is as fast as the rest."""
        # A first retrieval also loads the embedder and jieba.
        self.retriever.retrieve(self.profile.warm_up_query or "?", k=1)
        answerer = self.answerer(backend)
        answerer.warm_up()  # what the checks load on first use
        if answerer.llm is None:
            return
        try:
            answerer.llm.chat(answerer.messages("?", [], "en"), max_tokens=1)
        except Exception as err:  # the first question will report it, with its fallback
            log.warning("warm-up of %s failed: %s", backend or self.settings.llm_backend, err)

    # --- the API ------------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        """The question as asked, with control and invisible characters (NUL, zero-width spaces,
        direction marks, lone surrogates) dropped and whitespace collapsed. Raises QuestionError
        when nothing visible is left, or when it is over the length limit. `stream`, `ask` and
        `retrieve` call it themselves, at the call."""
        empty = QuestionError("the question is empty: ask something about the reports")
        if not isinstance(question, str):
            raise empty
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(
                f"the question is {len(question)} characters long; the limit is {limit} "
                "(RAG_MAX_QUESTION_CHARS)"
            )
        cleaned = " ".join(_visible(question).split())
        if not cleaned:
            raise empty
        return cleaned

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        mode: RetrievalMode | None = None,
    ) -> list[Scored[Chunk]]:
        read = self.reader.read(self.check_question(question))
        return self.retriever.retrieve(read, k or self.settings.retrieve_k, filters, mode)

    def stream(
        self,
        question: str,
        history: History = None,
        filters: Filters | None = None,
        backend: Backend | None = None,
        k: int | None = None,
    ) -> Iterator[StreamEvent]:
        """ContextsEvent (sources), then TokenEvents, then one AnswerEvent with the final Answer.

        The question is checked here, at the call (QuestionError); the rest runs as the returned
        generator is read."""
        question = self.check_question(question)
        return self._stream(question, _turns(history), filters, backend, k)

    def _stream(
        self,
        question: str,
        turns: list[Turn],
        filters: Filters | None,
        backend: Backend | None,
        k: int | None,
    ) -> Iterator[StreamEvent]:
        started = time.perf_counter()
        answerer = self.answerer(backend)
        standalone = self.condenser.condense(question, turns)
        reader = self.reader  # one name table for the question and its parts
        read = reader.read(standalone, asked=question)  # retrieval and answer take it
        rewrite_ms = (time.perf_counter() - started) * 1000
        t0 = time.perf_counter()
        contexts = self.retriever.retrieve(read, k or self.settings.retrieve_k, filters)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        yield ContextsEvent(contexts, standalone)
        first_token_ms = None  # the first checked text a reader sees
        parts = by_parts.separate(read, reader)  # several questions: each answered alone
        events = (
            by_parts.stream(
                parts,
                lambda part: self.retriever.retrieve(part, k or self.settings.retrieve_k, filters),
                lambda part, found: answerer.stream(part, None, found),
                answerer.refusal(read.lang),
            )
            if parts
            else answerer.stream(read, None, contexts)
        )
        for event in events:
            if isinstance(event, TokenEvent) and first_token_ms is None:
                first_token_ms = round((time.perf_counter() - started) * 1000, 1)
            if isinstance(event, AnswerEvent):
                timings = {
                    **event.answer.timings_ms,
                    "rewrite": round(rewrite_ms, 1),
                    "first_token": first_token_ms or 0.0,
                    "retrieve": round(retrieve_ms, 1),
                    "total": round((time.perf_counter() - started) * 1000, 1),
                }
                event = AnswerEvent(
                    replace(
                        event.answer,
                        question=question,
                        standalone_question=standalone,
                        timings_ms=timings,
                    )
                )
            yield event

    def ask(
        self,
        question: str,
        history: History = None,
        filters: Filters | None = None,
        backend: Backend | None = None,
        k: int | None = None,
    ) -> Answer:
        final: Answer | None = None
        for event in self.stream(question, history, filters, backend, k):
            if isinstance(event, AnswerEvent):
                final = event.answer
        assert final is not None, "a stream always ends with an AnswerEvent"
        return final

    def index(
        self,
        paths: Sequence[Path | str] | None = None,
        *,
        rebuild: bool = False,
        progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        remember: bool = True,
    ) -> IndexReport:
        """Bring the collection in line with `paths`, which it records (unless `remember` is
        False) so that later runs re-sync them too. With no paths: everything it recorded, its
        uploads folder, and (the default collection) settings.corpus."""
        folder = CollectionDir(self.settings.index_dir, self.settings.collection)
        targets = [Path(p) for p in paths] if paths else self.sync_targets()
        with self._indexing:  # questions (in any collection) go on meanwhile
            store = factory.make_store(self.settings, create=True, rebuild=rebuild)
            folder.remember([Path(p) for p in paths or ()] if remember else [])
            with self.writing(store):
                report = index_paths(
                    targets,
                    store,
                    OnDemand(self),  # a run with nothing new never loads the model
                    batch_size=self.settings.embed_batch_size,
                    progress=progress,
                    on_total=on_total,
                    max_file_bytes=self.settings.max_file_bytes,
                    max_pages=self.settings.max_pages,
                    publishers=self.profile.publishers,
                )
        self.forget_index()  # loaded again (the saved keyword index) on next use
        return report

    def writing(self, store: ChromaStore) -> AbstractContextManager[object]:
        """One batch of writes to the collection (`rag.retrieval.corpus.writing`)."""
        return writing(store, factory.keyword_folder(self.settings))

    def sync_targets(self) -> list[Path]:
        """What `rag index` re-syncs with no paths (see `index`)."""
        folder = CollectionDir(self.settings.index_dir, self.settings.collection)
        default = self.settings.collection == DEFAULT_COLLECTION
        targets = [*(self.settings.corpus if default else []), *folder.roots()]
        if folder.files.is_dir():
            targets.append(folder.files)
        return list(dict.fromkeys(targets))

    def forget_index(self) -> None:
        """Drop the loaded store and keyword index: the next question reloads them (after
        another process, or the library, changed the collection)."""
        with self._lock:
            self._retriever = None
