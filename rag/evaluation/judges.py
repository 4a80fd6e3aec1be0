"""Judges of support: does a set of passages support a statement?

The ALCE scores need a judge independent of the answerer: `OpenAIJudge` asks an LLM at any
OpenAI-compatible endpoint with the prompt `prompts/alce_judge.txt`. Any object with `supports`
can be given instead (`run_eval(judge=...)`). The answerer's own check, when the caller hands
one in as `run_eval(self_check=...)`, is scored the same way and reported as self-agreement.
A judge that cannot judge raises JudgeError.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from rag.evaluation.errors import JudgeError
from rag.prompts import Prompts

if TYPE_CHECKING:
    from rag.settings import Settings

log = logging.getLogger(__name__)

JudgeKind = Literal["none", "openai"]
JUDGES: tuple[JudgeKind, ...] = ("none", "openai")


class Judge(Protocol):
    """Whether the passages, taken together, support the statement."""

    def supports(self, statement: str, passages: list[str]) -> bool: ...


@runtime_checkable
class FigureCheck(Protocol):
    """A check that also counts the figures of a statement that none of the passages states
    (the answerer's own check does: its `SupportVerifier`, which the CLI hands in)."""

    def supports(self, statement: str, passages: list[str]) -> bool: ...

    def unstated_figures(self, statement: str, passages: list[str]) -> int: ...


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


def make_judge(kind: JudgeKind, settings: Settings | None = None) -> Judge | None:
    """The independent judge `rag eval --judge` names: None for `none` (no ALCE scores);
    `openai` takes its endpoint from the settings (RAG_OPENAI_BASE_URL, RAG_OPENAI_MODEL,
    RAG_OPENAI_API_KEY, RAG_LLM_TIMEOUT_S)."""
    if kind == "none":
        return None
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
