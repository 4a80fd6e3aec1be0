"""Judges of support for the ALCE scores: does a set of passages support a statement?

`VerifierJudge` is the project's own check (the figures and the words of the statement are in
the passages); `OpenAIJudge` asks an LLM at any OpenAI-compatible endpoint with the prompt
`prompts/alce_judge.txt`. A judge that cannot judge raises JudgeError.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Literal, Protocol

from index.text.overlap import word_overlap
from index.text.rules import detect_lang
from rag.question.terms import key_terms, missing_terms
from rag.answer.numbers.quantities import quantities, supported
from rag.corpus.names import NameTable
from rag.corpus.profile import load_profile
from rag.evaluation.errors import JudgeError
from rag.prompts import Prompts

if TYPE_CHECKING:
    from rag.settings import Settings

log = logging.getLogger(__name__)

JudgeKind = Literal["verifier", "openai"]
JUDGES: tuple[JudgeKind, ...] = ("verifier", "openai")
MIN_OVERLAP = 0.5  # measured on the dev answers: see VerifierJudge
ACROSS_MIN_TERMS = 2  # a figure-free statement across languages names at least this many things


class Judge(Protocol):
    """Whether the passages, taken together, support the statement."""

    def supports(self, statement: str, passages: list[str]) -> bool: ...


class VerifierJudge:
    """Supported when every figure the statement states is in the passages, by value and unit
    (`rag.answer.numbers.quantities.supported`, the answerer's own figure check), and the passages cover
    at least `min_overlap` of its keywords (`index.text.overlap.word_overlap`).

    0.5, measured on the extractive dev answers: every statement scores 1.0 against its cited
    passage; against the uncited passages retrieved for its question (343 pairs) 2 reach 0.5
    and none passes both checks, while 0.4 admits 2 figure-free pairs and 0.3 admits 7. Overlap
    is the weaker half (same-topic passages with other figures reach 0.81; the figure check
    rejects them).

    A statement in the other language than its passages (a Chinese answer drawn from English
    passages) shares few of their words (0.08-0.47 on the local model's answers). Given the
    corpus's bilingual `names`, it is supported when everything it names - the answerer's key
    terms: names in any of their forms, metrics, years, roles - is in the passages, and it
    states a figure or names at least ACROSS_MIN_TERMS things. On the local model's answers to
    the three project sets (78 cited statements; tools in the README), the word rule admits 55
    and this rule 17 more; against the retrieved passages each statement does not cite, it
    admits 2 more than the word rule's 7, both stated there as well (505亿; "around 100 short
    dramas daily" for 近百部).
    """

    def __init__(self, min_overlap: float = MIN_OVERLAP, names: NameTable | None = None) -> None:
        self.min_overlap = min_overlap
        self.names = names

    def supports(self, statement: str, passages: list[str]) -> bool:
        stated = [q for p in passages for q in quantities(p)]
        claims = quantities(statement)
        if not all(supported(claim, stated) for claim in claims):
            return False
        text = "\n".join(passages)
        if word_overlap(statement, text) >= self.min_overlap:
            return True
        if self.names is None or detect_lang(statement) == detect_lang(text):
            return False
        named = key_terms(statement, self.names)
        says_something = bool(claims) or len(named) >= ACROSS_MIN_TERMS
        return says_something and not missing_terms(statement, passages, self.names)


_YES = re.compile(r"^\W*(?:(?:yes|true|supported)\b|是|支持)", re.I)
_NO = re.compile(r"^\W*(?:(?:no|false|not|unsupported)\b|否|不)", re.I)


def parse_verdict(reply: str) -> bool:
    """ "yes" -> True, "no" -> False (case, punctuation and a trailing explanation ignored);
    anything else raises JudgeError."""
    text = reply.strip()
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    raise JudgeError(f"the judge answered neither yes nor no: {text[:80]!r}")


class OpenAIJudge:
    """An LLM at an OpenAI-compatible endpoint, asked with `alce_judge.txt` at temperature 0.
    Any failure (endpoint down, timeout, an unparseable reply) raises JudgeError."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "not-needed",
        timeout: float = 60.0,
        prompts: Prompts | None = None,
    ) -> None:
        self.base_url, self.model, self.api_key, self.timeout = base_url, model, api_key, timeout
        self.prompts = prompts or Prompts()
        self.prompts.text("alce_judge")  # a missing template fails here, not per statement
        self._llm: Any = None

    def prompt(self, statement: str, passages: list[str]) -> str:
        listed = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(passages, start=1))
        return self.prompts.render("alce_judge", statement=statement, passages=listed)

    def _model(self) -> Any:
        if self._llm is None:
            from rag.llm.openai import OpenAICompatible

            self._llm = OpenAICompatible(
                model=self.model,
                api_base=self.base_url,
                api_key=self.api_key,
                is_chat_model=True,
                max_tokens=8,
                temperature=0.0,
                timeout=self.timeout,
                max_retries=0,
            )
        return self._llm

    def supports(self, statement: str, passages: list[str]) -> bool:
        from llama_index.core.llms import ChatMessage, MessageRole

        message = ChatMessage(role=MessageRole.USER, content=self.prompt(statement, passages))
        try:
            reply = self._model().chat([message]).message.content or ""
        except Exception as err:  # the endpoint's failure is a statement not judged
            raise JudgeError(f"judge at {self.base_url} failed: {type(err).__name__}") from err
        return parse_verdict(reply)


def make_judge(kind: JudgeKind, settings: Settings | None = None) -> Judge:
    """The judge `rag eval --judge` names; `openai` takes its endpoint from the settings
    (RAG_OPENAI_BASE_URL, RAG_OPENAI_MODEL, RAG_OPENAI_API_KEY, RAG_LLM_TIMEOUT_S)."""
    if kind == "verifier":
        names = load_profile(settings.profile).names if settings is not None else None
        return VerifierJudge(names=names)
    if kind == "openai":
        if settings is None:
            raise JudgeError("the openai judge needs settings: its endpoint comes from them")
        return OpenAIJudge(
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            api_key=settings.openai_api_key.get_secret_value(),
            timeout=settings.llm_timeout_s,
            prompts=Prompts(settings.prompts_dir),
        )
    raise JudgeError(f"unknown judge {kind!r}: choose one of {', '.join(JUDGES)}")
