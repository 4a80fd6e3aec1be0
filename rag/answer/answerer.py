"""answer(question, contexts) -> Answer, as a stream: tokens first, then the checked Answer.

Generation goes through a llama-index LLM (local llama.cpp or an OpenAI-compatible endpoint),
or the extractive answerer. Whatever the LLM returns is checked before it is shown: markers
that point nowhere are dropped, only cited sources become Citations, sentences with numbers no
source states are reported in notices. Any LLM failure or timeout falls back to extractive.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from index import publishers
from index.types import Chunk, Lang, Scored
from rag.answer import citations as cite
from rag.answer import extractive, guard
from rag.answer.citations import strip_markers as strip
from rag.language import LANGUAGE_NAMES
from rag.prompts import Prompts
from rag.types import Answer, AnswerEvent, Citation, TokenEvent

log = logging.getLogger(__name__)

_DONE = object()


@dataclass(frozen=True)
class AnswerPolicy:
    prompt_contexts: int = 4  # contexts shown to the LLM at most (prompt reading is the bottleneck)
    relative_cutoff: float = 0.6  # ...and only those scoring at least this share of the best one
    max_source_chars: int = 300
    # Below this best dense similarity (per question language), refuse without asking the LLM.
    min_dense_score: Mapping[str, float] = field(default_factory=dict)
    timeout_s: float = 60.0


def _said(chunk: Chunk) -> str:
    """What the model is shown of a passage: its title and text."""
    return f"{chunk.title}\n{chunk.text}"


def publisher_label(chunk: Chunk, lang: Lang) -> str | None:
    return publishers.display_name(chunk.publisher, lang, chunk.url)


def to_citation(n: int, chunk: Chunk, lang: Lang) -> Citation:
    return Citation(
        n=n,
        file=chunk.file,
        title=chunk.title,
        publisher=publisher_label(chunk, lang),
        published=chunk.published,
        quote=chunk.text,
        refs=chunk.refs,
        chunk_id=chunk.chunk_id,
        url=chunk.url,
    )


class Answerer:
    def __init__(
        self, prompts: Prompts, llm: Any | None, backend: str, policy: AnswerPolicy
    ) -> None:
        self.prompts = prompts
        self.llm = llm  # a llama_index LLM, or None for the extractive backend
        self.backend = backend
        self.policy = policy

    # --- prompt ---------------------------------------------------------------------------
    def refusal(self, lang: Lang) -> str:
        return self.prompts.text(f"refusal_{lang}")

    def system_prompt(self) -> str:
        return self.prompts.render(
            "answer_system", refusal_en=self.refusal("en"), refusal_zh=self.refusal("zh")
        )

    def messages(self, question: str, contexts: list[Scored[Chunk]], lang: Lang) -> list[Any]:
        from llama_index.core.llms import ChatMessage, MessageRole

        system = self.system_prompt()
        sources = "\n\n".join(
            self.prompts.render(
                "source",
                n=i + 1,
                title=c.item.title,
                publisher=publisher_label(c.item, lang) or "?",
                date=c.item.published.date().isoformat() if c.item.published else "?",
                text=c.item.text[: self.policy.max_source_chars],
            )
            for i, c in enumerate(contexts)
        )
        user = self.prompts.render(
            "answer_user", sources=sources, question=question, language_name=LANGUAGE_NAMES[lang]
        )
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]

    # --- answering ------------------------------------------------------------------------
    def stream(
        self, question: str, lang: Lang, contexts: list[Scored[Chunk]]
    ) -> Iterator[TokenEvent | AnswerEvent]:
        started = time.perf_counter()
        notices: list[str] = []
        # Passages that give the assistant orders are never shown to it nor quoted (guard.py).
        planted = [c for c in contexts if guard.addresses_the_model(_said(c.item))]
        usable = [c for c in contexts if not any(c is p for p in planted)]
        if planted:
            notices.append(
                "Left out passages that give instructions to the assistant: "
                + "; ".join(dict.fromkeys(f"{c.item.title} ({c.item.file})" for c in planted))
            )
        best = usable[0].score if usable else 0.0
        shown = [
            c
            for c in usable[: self.policy.prompt_contexts]
            if c.score >= self.policy.relative_cutoff * best
        ]
        best_dense = max((c.sources.get("dense", 0.0) for c in usable), default=0.0)
        if not shown or (
            "dense" in shown[0].sources and best_dense < self.policy.min_dense_score.get(lang, 0.0)
        ):
            text = self.refusal(lang)
            yield TokenEvent(text)
            yield AnswerEvent(self._answer(text, [], True, lang, contexts, notices, started))
            return

        backend = self.backend
        raw = None
        if self.llm is not None:
            try:
                pieces: list[str] = []
                for delta in self._generate(self.messages(question, shown, lang)):
                    pieces.append(delta)
                    yield TokenEvent(delta)
                raw = "".join(pieces)
            except Exception as err:  # any LLM failure falls back, with a notice
                log.warning("LLM %s failed: %s", self.backend, err)
                notices.append(
                    f"The {self.backend} model could not answer ({type(err).__name__}: {err}); "
                    "an extractive answer is shown instead."
                )
                backend = f"extractive (fallback from {self.backend})"
        from_llm = raw is not None
        if raw is None:
            quotes = extractive.extract(question, shown)
            raw = extractive.render(self.prompts.text(f"extractive_lead_{lang}"), quotes)
            yield TokenEvent(raw)

        refused = cite.is_refusal(raw, [self.refusal("en"), self.refusal("zh")])
        if from_llm and guard.repeats_instructions(
            raw, self.system_prompt(), [_said(c.item) for c in shown]
        ):
            notices.append("Withheld an answer that repeats the assistant's instructions.")
            refused = True
        if refused:
            text, cited = self.refusal(lang), []
        else:
            # embed_text: title, publisher, date, section and text - all a sentence may cite
            checked = cite.check(raw, [c.item.embed_text for c in shown])
            text, cited = checked.text, [shown[n - 1].item for n in checked.cited]
            if checked.repaired and from_llm:
                notices.append(
                    f"{checked.repaired} citation(s) placed by matching sentences to the sources."
                )
            if checked.dropped:
                notices.append(
                    "Removed citation markers that point at no source: "
                    + ", ".join(f"[{n}]" for n in checked.dropped)
                )
            notices.extend(
                f"Not supported by the cited sources (check the numbers): {s}"
                for s in checked.unsupported
            )
            if not cited and from_llm:
                # Nothing in it could be tied to a source: an honest refusal beats a guess.
                notices.append(f"Withheld an answer no source supports: {strip(checked.text)}")
                text, refused = self.refusal(lang), True
        answer = self._answer(text, cited, refused, lang, contexts, notices, started)
        answer.backend = backend
        yield AnswerEvent(answer)

    def _answer(
        self,
        text: str,
        cited: list[Chunk],
        refused: bool,
        lang: Lang,
        contexts: list[Scored[Chunk]],
        notices: list[str],
        started: float,
    ) -> Answer:
        return Answer(
            text=text,
            citations=[to_citation(i + 1, c, lang) for i, c in enumerate(cited)],
            contexts=contexts,
            refused=refused,
            language=lang,
            backend=self.backend,
            timings_ms={"generate": round((time.perf_counter() - started) * 1000, 1)},
            notices=notices,
        )

    def _generate(self, messages: list[Any]) -> Iterator[str]:
        """Stream the LLM's deltas from a worker thread, giving up after the timeout."""
        deltas: queue.Queue[object] = queue.Queue()
        llm = self.llm
        assert llm is not None, "the extractive backend generates nothing"

        def work() -> None:
            try:
                for chunk in llm.stream_chat(messages):
                    deltas.put(chunk.delta or "")
            except BaseException as err:  # handed to the consumer below
                deltas.put(err)
            deltas.put(_DONE)

        threading.Thread(target=work, name="llm-generate", daemon=True).start()
        deadline = time.monotonic() + self.policy.timeout_s
        while True:
            try:
                item = deltas.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no answer within {self.policy.timeout_s:g} s") from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield str(item)
