"""Follow-ups ("那西安呢？", "And in Xi'an?") rewritten into standalone questions before retrieval.

With an LLM, the `condense` prompt rewrites the question from the history, within the answer's
deadline (`rag.llm.deadline.within`); without one (or if it fails, times out or rambles), the last
user question is prepended, which is what retrieval needs most: its topic.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from index.text import HAN_CHAR
from rag.llm.deadline import within
from rag.prompts import Prompts
from rag.types import Turn

log = logging.getLogger(__name__)

_FOLLOW_UP = re.compile(
    r"^\s*(那|那么|还有|and\b|what about\b|how about\b|and what\b|also\b)|(呢[？?]?\s*$)", re.I
)


def looks_like_follow_up(question: str) -> bool:
    words = len(re.findall(r"[A-Za-z]+", question))
    han = len(HAN_CHAR.findall(question))
    return bool(_FOLLOW_UP.search(question)) or (words + han / 2) <= 6


def _last_user_turn(history: list[Turn]) -> str | None:
    return next((t.content for t in reversed(history) if t.role == "user"), None)


def heuristic(question: str, history: list[Turn]) -> str:
    previous = _last_user_turn(history)
    return f"{previous} {question}" if previous else question


def condense(
    question: str,
    history: list[Turn] | None,
    llm: Any | None,
    prompts: Prompts,
    timeout_s: float,
) -> str:
    """A standalone version of `question`; the question itself when it needs no history.
    The LLM gets `timeout_s` (settings.llm_timeout_s) to rewrite it."""
    if not history or not looks_like_follow_up(question):
        return question
    if llm is None:
        return heuristic(question, history)
    turns = "\n".join(f"{t.role}: {t.content[:300]}" for t in history[-4:])
    prompt = prompts.render("condense", history=turns, question=question)
    try:
        from llama_index.core.llms import ChatMessage, MessageRole

        message = ChatMessage(role=MessageRole.USER, content=prompt)
        reply = "".join(within(llm, [message], timeout_s)).strip()
        reply = reply.splitlines()[0].strip().strip('"“”') if reply else ""
    except Exception as err:  # a failed or late rewrite still leaves a usable question
        log.warning("condensing failed: %s", err)
        return heuristic(question, history)
    if not reply or len(reply) > 4 * len(question) + 200:
        return heuristic(question, history)
    return reply
