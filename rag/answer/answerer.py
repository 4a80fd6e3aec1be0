"""answer(question, contexts) -> Answer, as a stream: tokens first, then the checked Answer.

Four stages, each a method with visible inputs and outputs:

    screen(contexts)                  -> usable passages, notices   (planted instructions out)
    select(usable, lang)              -> shown passages | None       (None: refuse, ask no LLM)
    generate(question, shown)         -> TokenEvents, then a Draft   (LLM, or extractive fallback)
    verify(draft, question, shown)    -> Verdict                     (the checks, then one render)

The question comes read once (`rag.question.Question`). Generation goes through a llama-index
LLM (the local model's process or an OpenAI-compatible endpoint), bounded by
`rag.llm.deadline.within`, or the extractive answerer. What the model writes is parsed once
(`record.py`), checked by the declared checks (`checks/`), each reporting findings, and written by
one renderer (`render.py`), the same way for each sentence while it streams (`stream.py`) and for
the whole answer at the end. Any LLM failure or timeout falls back to extractive.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

from index.publishers import Publishers
from index.text.tokenize import pinyin
from index.types import Chunk, Lang, Scored
from rag.answer import checks, extractive, guard, policy, prompting
from rag.answer.checks.repair import repair_figures
from rag.answer.drafts import Draft, Verdict
from rag.answer.findings import Context, Repairer, in_chinese, passages
from rag.answer.kinds import says_what_was_asked
from rag.answer.policy import AnswerPolicy, Passages
from rag.answer.prompting import said
from rag.answer.record import parse
from rag.answer.render import render
from rag.answer.stream import SentenceGate, gated
from rag.corpus.names import NameTable
from rag.llm.deadline import within
from rag.notices import Notice
from rag.prompts import Prompts
from rag.question import Question, QuestionReader
from rag.types import Answer, AnswerEvent, TokenEvent

log = logging.getLogger(__name__)


__all__ = ["Answerer", "AnswerPolicy", "Draft"]


class Answerer:
    def __init__(
        self,
        prompts: Prompts,
        llm: Any | None,
        backend: str,
        policy: AnswerPolicy,
        publishers: Publishers | None = None,
        reader: QuestionReader | None = None,
        repair_figure: Repairer | None = None,
    ) -> None:
        self.prompts = prompts
        self.reader = reader  # the corpus's names: key terms checked; None checks none
        self.repair_figure = repair_figure or repair_figures  # wrong figure -> the source's
        self.publishers = publishers or Publishers()  # how sources' publishers are named
        self.llm = llm  # a llama_index LLM, or None for the extractive backend
        self.backend = backend
        self.policy = policy

    @property
    def names(self) -> NameTable | None:
        return self.reader.names if self.reader is not None else None

    def read(self, question: Question | str, lang: Lang | None = None) -> Question:
        """The question record; a text is read with the corpus's names (none: no key terms)."""
        if isinstance(question, str):
            question = self.reader.read(question) if self.reader else Question(question, "en")
            return replace(question, lang=lang) if lang else question
        return question

    def warm_up(self) -> None:
        """Check an answer once: the first one asked then pays no 0.2-0.5 s for loading pypinyin
        and the tagger, and compiling the name table's patterns."""
        pinyin("郑州")  # names are compared across scripts by their pinyin
        question = self.read("郑州有多少家公司？", "zh")
        shown = [Scored(_warm_chunk(), 1.0)]
        self.verify(
            Draft("郑州有800多家 [1]。", True, self.backend, question=question.text),
            question,
            shown,
            "zh",
        )

    # --- prompt (rag/answer/prompting.py) ---------------------------------------------------
    def refusal(self, lang: Lang) -> str:
        return prompting.refusal(self.prompts, lang)

    def system_prompt(self) -> str:
        return prompting.system_prompt(self.prompts)

    def messages(self, question: str, contexts: Passages, lang: Lang) -> list[Any]:
        return prompting.messages(
            self.prompts, question, contexts, lang, self.publishers, self.policy.source_tokens
        )

    # --- the stages -----------------------------------------------------------------------
    def stream(
        self, question: Question | str, lang: Lang | None, contexts: Passages
    ) -> Iterator[TokenEvent | AnswerEvent]:
        started = time.perf_counter()
        asked = self.read(question, lang)
        lang = asked.lang
        timings: dict[str, float] = {}
        usable, notices = self.screen(contexts)
        shown = self.select(usable, lang)
        missing = self._missing(asked, usable)  # the key terms no retrieved passage names
        if shown and not missing:
            shown = policy.covering(asked, shown, usable, check_terms=self.reader is not None)
        backend = self.backend
        if shown is None or missing:
            verdict = self.refuse(lang, missing)
            yield TokenEvent(verdict.text)
        else:
            draft = yield from self.generate(asked, shown)
            others = [c for c in usable if c not in shown]  # where disagreeing figures may be
            checking = time.perf_counter()
            verdict, backend = self.verify(draft, asked, shown, lang, others), draft.backend
            timings["verify"] = round((time.perf_counter() - checking) * 1000, 1)
            notices += draft.notices
        yield AnswerEvent(
            Answer(
                text=verdict.text,
                citations=[
                    prompting.to_citation(i + 1, c, lang, self.publishers)
                    for i, c in enumerate(verdict.cited)
                ],
                contexts=contexts,
                refused=verdict.refused,
                language=lang,
                backend=backend,
                timings_ms={
                    **timings,
                    "generate": round((time.perf_counter() - started) * 1000, 1),
                },
                notices=[*notices, *verdict.notices],
            )
        )

    def screen(self, contexts: Passages) -> tuple[Passages, list[str]]:
        """Passages that give the assistant orders are never shown to it nor quoted (guard.py)."""
        planted = [c for c in contexts if guard.addresses_the_model(said(c.item))]
        usable = [c for c in contexts if not any(c is p for p in planted)]
        if not planted:
            return usable, []
        names = dict.fromkeys(f"{c.item.title} ({c.item.file})" for c in planted)
        return usable, [Notice("planted_passages", sources="; ".join(names))]

    def select(self, usable: Passages, lang: Lang) -> Passages | None:
        """The passages the model is shown; None to refuse without asking it (policy.py)."""
        return policy.select(usable, lang, self.policy)

    def generate(self, question: Question, shown: Passages) -> Generator[TokenEvent, None, Draft]:
        """Stream the LLM's answer within the policy's timeout, each sentence shown once the
        checks keep it; when there is no LLM, or it fails or times out, the extractive answer
        instead (with a notice saying why)."""
        notices: list[str] = []
        lang = question.lang
        if self.llm is not None:
            try:
                pieces: list[str] = []
                messages = self.messages(question.text, shown, lang)
                ctx = self.context(question, shown, [], final=False, from_llm=True)
                gate = SentenceGate(lambda text: self._rendered(text, ctx))
                deltas = within(self.llm, messages, self.policy.timeout_s)
                for settled in gated(_kept(deltas, pieces), gate):  # checked before it is shown
                    yield TokenEvent(settled)
                return Draft("".join(pieces), True, self.backend, question=question.text)
            except Exception as err:  # any LLM failure falls back, with a notice
                log.warning("LLM %s failed: %s", self.backend, err)
                error = f"{type(err).__name__}: {err}"
                notices.append(Notice("llm_failed", backend=self.backend, error=error))
        quotes = extractive.extract(question, shown, names=self.names)
        if quotes:
            text = extractive.render(self.prompts.text(f"extractive_lead_{lang}"), quotes)
        else:  # no passage holds the kind of answer asked: nothing to quote
            text = self.refusal(lang)
        yield TokenEvent(text)
        backend = f"extractive (fallback from {self.backend})" if notices else self.backend
        return Draft(text, False, backend, tuple(notices), question.text)

    def verify(
        self,
        draft: Draft,
        question: Question,
        shown: Passages,
        lang: Lang,
        others: Sequence[Scored[Chunk]] = (),
    ) -> Verdict:
        """The draft through the checks (`checks.CHECKS`), then rendered: a refusal in either
        language becomes the refusal in `lang`; an answer the checks withhold becomes the
        refusal (it repeats the instructions) or the sources' own sentences, labelled as quotes
        (it cites nothing, or articles that lack the question's key terms); after the claims
        check withheld what the model named, only quotes that restate the question (unless a
        figure or a date is asked: a quote is checked to hold one)."""
        ctx = self.context(question, shown, others, final=draft.from_llm, from_llm=draft.from_llm)
        state = checks.run(parse(draft.text), ctx)
        figure = question.asks in ("figure", "date")  # what a quote is checked to hold
        if state.refused:
            if draft.from_llm and shown:  # the small model may miss what a source says outright
                # its answer said nothing but the question ("福建安排了三年期资金 [2]。"): as if
                # withheld, a quote holding the figure asked will do
                empty = any(f.check == "claims" and f.action == "refuse" for f in state.findings)
                restating = not (empty and figure)
                return self.quotes(question, shown, lang, state.notices(), restating=restating)
            return Verdict(self.refusal(lang), (), refused=True, notices=tuple(state.notices()))
        if state.withheld:
            if any(f.check == "echo" for f in state.findings):
                return Verdict(self.refusal(lang), (), True, tuple(state.notices()))
            # the model gave a name, path or command no passage states: it found no answer
            # there, so a quote must say what was asked, as after its refusal; unless what is
            # asked is a figure or a date, which a quote is checked to hold (`kinds.holds`)
            guessed = not figure and any(
                f.check == "claims" and f.notice is not None for f in state.findings
            )
            return self.quotes(question, shown, lang, state.notices(), restating=guessed)
        rendered = render(state, lang, len(ctx.pool))
        pool = [*shown, *others]
        cited = tuple(pool[n - 1].item for n in rendered.cited)
        return Verdict(rendered.text, cited, refused=False, notices=tuple(rendered.notices))

    def context(
        self,
        question: Question,
        shown: Passages,
        others: Sequence[Scored[Chunk]],
        *,
        final: bool,
        from_llm: bool,
    ) -> Context:
        """What the checks read: the passages as a sentence may cite them (title, publisher, date,
        section and text; "this year" in them the year they were published)."""
        repair = self.repair_figure
        if question.lang == "zh":  # the source's figure, in 万/亿 too
            repair = in_chinese(repair)
        return Context(
            sources=passages(shown),
            lang=question.lang,
            final=final,
            from_llm=from_llm,
            others=passages(others, first=len(shown) + 1),
            question=question if self.reader is not None else None,
            names=question.names or self.names,  # the collection's names, learned ones too
            repair=repair,
            instructions=self.system_prompt(),
            refusals=(self.refusal("en"), self.refusal("zh")),
        )

    def quotes(
        self,
        question: Question,
        shown: Passages,
        lang: Lang,
        notices: list[Notice],
        *,
        restating: bool = False,
    ) -> Verdict:
        """The sources' own sentences, labelled as quotes, from the passages that name all of
        the question's key terms; the refusal when none does (the terms are named apart, as
        "红果" in one passage and "2024" in another: no passage says what was asked). After the
        model's refusal (`restating`), only the quotes that restate the question
        (`kinds.says_what_was_asked`), if any."""
        naming = [c for c in shown if not self._missing(question, [c])]
        if not naming and self.reader is not None and question.terms:
            refused = self.refuse(lang, [])
            return replace(refused, notices=(*notices, *refused.notices))
        naming = naming or shown
        picked = extractive.extract(question, naming, names=self.names)
        if restating:
            picked = [(n, s) for n, s in picked if says_what_was_asked(s, question)]
        if not picked:  # nothing holds the kind of answer asked (or restates the question)
            refused = self.refuse(lang, [])
            return replace(refused, notices=(*notices, *refused.notices))
        text = extractive.render(self.prompts.text(f"quotes_lead_{lang}"), picked)
        ctx = self.context(question, naming, [], final=False, from_llm=False)
        state = checks.run(parse(text), ctx)
        rendered = render(state, lang, len(ctx.pool))
        cited = tuple(naming[n - 1].item for n in rendered.cited)
        notes = (*notices, *rendered.notices, Notice("quotes_instead"))
        return Verdict(rendered.text, cited, refused=False, notices=notes)

    def refuse(self, lang: Lang, missing: list[str]) -> Verdict:
        """The fixed refusal; naming the key terms the reports do not mention, if that is why."""
        if not missing:
            return Verdict(self.refusal(lang), (), refused=True)
        notice = Notice(
            "not_mentioned", terms="、".join(missing) if lang == "zh" else ", ".join(missing)
        )
        sep, end = ("", "。") if lang == "zh" else (" ", ".")
        return Verdict(f"{self.refusal(lang)}{sep}{notice.message(lang)}{end}", (), True, (notice,))

    def _rendered(self, text: str, ctx: Context) -> str:
        """What of a streamed prefix may be shown: the same checks and renderer as the end."""
        return render(checks.run(parse(text), ctx), ctx.lang, len(ctx.pool)).text

    def _missing(self, question: Question, passages: Passages) -> list[str]:
        if self.reader is None or not passages:
            return []
        return [t.text for t in question.missing([c.item.embed_text for c in passages])]


def _warm_chunk() -> Chunk:
    return Chunk(
        chunk_id="warm-up",
        article_id="warm-up",
        text="Zhengzhou has over 800 companies.",
        embed_text="Zhengzhou has over 800 companies.",
        file="warm-up.txt",
        title="warm-up",
    )


def _kept(deltas: Iterator[str], pieces: list[str]) -> Iterator[str]:
    """`deltas`, each also appended to `pieces`."""
    for delta in deltas:
        pieces.append(delta)
        yield delta
