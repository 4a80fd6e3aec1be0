"""answer(question, contexts) -> Answer, as a stream: tokens first, then the checked Answer.

Four stages, each a method with visible inputs and outputs:

    screen(contexts)                  -> usable passages, notices   (planted instructions out)
    select(usable, lang)              -> shown passages | None       (None: refuse, ask no LLM)
    generate(question, shown, lang)   -> TokenEvents, then a Draft   (LLM, or extractive fallback)
    verify(draft, shown, lang)        -> Verdict                     (refusals, citations checked)

Generation goes through a llama-index LLM (local llama.cpp or an OpenAI-compatible endpoint),
bounded by `rag.llm.deadline.within`, or the extractive answerer. Whatever the LLM returns is
checked before it is shown: markers that point nowhere are dropped, only cited sources become
Citations, sentences with numbers no source states are reported in notices. Any LLM failure or
timeout falls back to extractive.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

from index.publishers import Publishers
from index.types import Chunk, Lang, Scored
from rag.answer import citations as cite
from rag.answer import conflicts, extractive, guard, policy, prompting
from rag.answer.citations import strip_markers as strip
from rag.answer.numbers.dates import absolute_years
from rag.answer.drafts import Draft, Verdict
from rag.answer.policy import AnswerPolicy, Passages
from rag.answer.prompting import said
from rag.answer.settle import Repairer, SentenceGate, Settled, gated, repair_figures, settle
from rag.corpus.names import NameTable
from rag.llm.deadline import within
from rag.notices import Notice
from rag.prompts import Prompts
from rag.types import Answer, AnswerEvent, TokenEvent

log = logging.getLogger(__name__)

# (question, passage texts) -> the question's key terms that none of the passages names
Unmentioned = Callable[[str, list[str]], list[str]]


class Answerer:
    def __init__(
        self,
        prompts: Prompts,
        llm: Any | None,
        backend: str,
        policy: AnswerPolicy,
        publishers: Publishers | None = None,
        unmentioned: Unmentioned | None = None,
        repair_figure: Repairer | None = None,
        names: NameTable | None = None,
    ) -> None:
        self.prompts = prompts
        self.names = names  # the corpus's names: a Chinese answer writes them in Chinese
        self.unmentioned = unmentioned  # answerability: None checks nothing
        self.repair_figure = repair_figure or repair_figures  # wrong figure -> the source's
        self.publishers = publishers or Publishers()  # how sources' publishers are named
        self.llm = llm  # a llama_index LLM, or None for the extractive backend
        self.backend = backend
        self.policy = policy

    def warm_up(self) -> None:
        """Check an answer once: the first one asked then pays no 0.2-0.5 s for loading pypinyin
        and the tagger, and compiling the name table's patterns."""
        about, names = self._about("郑州有多少家公司？"), self.names
        settle("郑州有800多家 [1]。", ["Zhengzhou has over 800."], "zh", about=about, names=names)

    # --- prompt (rag/answer/prompting.py) ---------------------------------------------------
    def refusal(self, lang: Lang) -> str:
        return prompting.refusal(self.prompts, lang)

    def system_prompt(self) -> str:
        return prompting.system_prompt(self.prompts)

    def messages(self, question: str, contexts: Passages, lang: Lang) -> list[Any]:
        return prompting.messages(
            self.prompts, question, contexts, lang, self.publishers, self.policy.max_source_chars
        )

    # --- the stages -----------------------------------------------------------------------
    def stream(
        self, question: str, lang: Lang, contexts: Passages
    ) -> Iterator[TokenEvent | AnswerEvent]:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        usable, notices = self.screen(contexts)
        shown = self.select(usable, lang)
        missing = self._missing(question, usable)  # the key terms no retrieved passage names
        if shown and not missing:
            shown = self._covering(question, shown, usable)
        backend = self.backend
        if shown is None or missing:
            verdict = self.refuse(lang, missing)
            yield TokenEvent(verdict.text)
        else:
            draft = yield from self.generate(question, shown, lang)
            others = [c for c in usable if c not in shown]  # where disagreeing figures may be
            checking = time.perf_counter()
            verdict, backend = self.verify(draft, shown, lang, others), draft.backend
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

    def generate(
        self, question: str, shown: Passages, lang: Lang
    ) -> Generator[TokenEvent, None, Draft]:
        """Stream the LLM's answer within the policy's timeout; when there is no LLM, or it fails
        or times out, the extractive answer instead (with a notice saying why)."""
        notices: list[str] = []
        if self.llm is not None:
            try:
                pieces: list[str] = []
                messages = self.messages(question, shown, lang)
                gate = SentenceGate(
                    lambda text: self.settle(text, shown, lang, final=False).checked.text
                )
                deltas = within(self.llm, messages, self.policy.timeout_s)
                for settled in gated(_kept(deltas, pieces), gate):  # checked before it is shown
                    yield TokenEvent(settled)
                return Draft("".join(pieces), True, self.backend, question=question)
            except Exception as err:  # any LLM failure falls back, with a notice
                log.warning("LLM %s failed: %s", self.backend, err)
                error = f"{type(err).__name__}: {err}"
                notices.append(Notice("llm_failed", backend=self.backend, error=error))
        quotes = extractive.extract(question, shown)
        text = extractive.render(self.prompts.text(f"extractive_lead_{lang}"), quotes)
        yield TokenEvent(text)
        backend = f"extractive (fallback from {self.backend})" if notices else self.backend
        return Draft(text, False, backend, tuple(notices), question)

    def verify(
        self, draft: Draft, shown: Passages, lang: Lang, others: Sequence[Scored[Chunk]] = ()
    ) -> Verdict:
        """The fixed refusal sentence (in either language) becomes a refusal in `lang`; an LLM
        answer that repeats the assistant's instructions is withheld; the rest goes through the
        citation check."""
        refusal = self.refusal(lang)
        if draft.from_llm and guard.repeats_instructions(
            draft.text, self.system_prompt(), [said(c.item) for c in shown]
        ):
            notice = Notice("withheld_instructions")
            return Verdict(refusal, (), refused=True, notices=(notice,))
        if cite.is_refusal(draft.text, [self.refusal("en"), self.refusal("zh")]):
            return Verdict(refusal, (), refused=True)
        return self.check_citations(draft, shown, lang, others)

    def settle(
        self,
        text: str,
        shown: Passages,
        lang: Lang,
        final: bool = True,
        others: Sequence[Scored[Chunk]] = (),
        question: str = "",
        quoted: bool = False,
    ) -> Settled:
        """The one rule for what of a model's text may be shown (rag/answer/settle.py);
        `quoted` text (the extractive answer) keeps the sources' wording."""
        # embed_text: title, publisher, date, section and text - all a sentence may cite; "this
        # year" in it is the year it was published
        sources = [absolute_years(c.item.embed_text, c.item.published) for c in shown]
        context = [absolute_years(c.item.embed_text, c.item.published) for c in others]
        about = self._about(question) if final else None
        return settle(
            text,
            sources,
            lang,
            self.repair_figure,
            final=final,
            context=context,
            about=about,
            quoted=quoted,
            every=final and conflicts.asks_each_source(question),
            names=self.names,
        )

    def check_citations(
        self, draft: Draft, shown: Passages, lang: Lang, others: Sequence[Scored[Chunk]] = ()
    ) -> Verdict:
        """Markers renumbered to the passages cited, markers to nowhere dropped, sentences with
        figures no cited source states repaired or left out. An LLM answer left with no
        citation is withheld and the sources' own sentences (labelled as quotes) are shown
        instead; so is one citing articles whose passages shown lack the question's key terms."""
        # extractive quotes are the sources themselves: they state their own figures already
        settled = self.settle(
            draft.text, shown, lang, draft.from_llm, others, draft.question, not draft.from_llm
        )
        checked = settled.checked
        pool = [*shown, *others]  # the passages a conflict sentence may cite come after shown
        cited = tuple(pool[n - 1].item for n in checked.cited)
        notices: list[Notice] = list(settled.notices)
        if checked.repaired and draft.from_llm:
            notices.append(Notice("citations_placed", count=checked.repaired))
        if checked.dropped:
            markers = ", ".join(f"[{n}]" for n in checked.dropped)
            notices.append(Notice("markers_dropped", markers=markers))
        notices.extend(Notice("unsupported_figure", sentence=s) for s in checked.unsupported)
        if not draft.from_llm:
            return Verdict(checked.text, cited, refused=False, notices=tuple(notices))
        if not cited:
            # Nothing in it could be tied to a source: the sources' own sentences instead (a
            # question about what no passage names was refused before the model was asked).
            withheld = strip(draft.text)
            if not any(n.params.get("sentence") == withheld for n in notices):  # said once
                notices.append(Notice("withheld_unsupported", sentence=withheld))
            return self.quotes(draft.question, shown, lang, notices)
        articles = {c.article_id for c in cited}  # "the college" names it in the article
        if self._missing(draft.question, [c for c in shown if c.item.article_id in articles]):
            return self.quotes(draft.question, shown, lang, notices)
        return Verdict(checked.text, cited, refused=False, notices=tuple(notices))

    def quotes(self, question: str, shown: Passages, lang: Lang, notices: list[Notice]) -> Verdict:
        """The sources' own sentences, labelled as quotes, from the passages that name all of
        the question's key terms; the refusal when none does (the terms are named apart, as
        "红果" in one passage and "2024" in another: no passage says what was asked)."""
        naming = [c for c in shown if not self._missing(question, [c])]
        if not naming and self._about(question) is not None:
            refused = self.refuse(lang, [])
            return replace(refused, notices=(*notices, *refused.notices))
        naming = naming or shown
        picked = extractive.extract(question, naming)
        text = extractive.render(self.prompts.text(f"quotes_lead_{lang}"), picked)
        checked = cite.check(text, [c.item.embed_text for c in naming])
        cited = tuple(naming[n - 1].item for n in checked.cited)
        notes = (*notices, Notice("quotes_instead"))
        return Verdict(checked.text, cited, refused=False, notices=notes)

    def refuse(self, lang: Lang, missing: list[str]) -> Verdict:
        """The fixed refusal; naming the key terms the reports do not mention, if that is why."""
        if not missing:
            return Verdict(self.refusal(lang), (), refused=True)
        notice = Notice(
            "not_mentioned", terms="、".join(missing) if lang == "zh" else ", ".join(missing)
        )
        sep, end = ("", "。") if lang == "zh" else (" ", ".")
        return Verdict(f"{self.refusal(lang)}{sep}{notice.message(lang)}{end}", (), True, (notice,))

    def _covering(self, question: str, shown: Passages, usable: Passages) -> Passages:
        """`shown`, plus the best retrieved passage for each key term none of it names (the
        relative cut-off may have left the only passages naming a term out)."""
        out = list(shown)
        for candidate in usable:
            lacking = self._missing(question, out)
            if not lacking:
                break
            if candidate not in out and len(self._missing(question, [*out, candidate])) < len(
                lacking
            ):
                out.append(candidate)
        return out

    def _about(self, question: str) -> Callable[[str], bool] | None:
        """Whether a sentence names all the question's key terms; None when it has none."""
        unmentioned = self.unmentioned
        if unmentioned is None or not question or not unmentioned(question, [""]):
            return None
        return lambda sentence: not unmentioned(question, [sentence])

    def _missing(self, question: str, passages: Passages) -> list[str]:
        if self.unmentioned is None or not passages:
            return []
        return self.unmentioned(question, [c.item.embed_text for c in passages])


def _kept(deltas: Iterator[str], pieces: list[str]) -> Iterator[str]:
    """`deltas`, each also appended to `pieces`."""
    for delta in deltas:
        pieces.append(delta)
        yield delta
