"""Follow-ups ("那西安呢？", "And Xi'an?", "它们…") made standalone questions before retrieval.

Rules first, in the order `Condenser.condense` tries them:

1. A question that needs no history (no lead-in such as 那/and/what about, no trailing 呢, no
   pronoun, not a bare name; or a full question naming its own subject) is never rewritten.
2. An elliptical follow-up that names one thing ("那西安呢？", "西安呢？", "那么西安的情况呢",
   "And Xi'an?", "How about in 2024?", a bare name) is swapped into the previous question in
   place of the one thing of the same kind there (a place for a place, a publisher for a
   publisher, a year for a year, any other name for any other name), written in the previous
   question's language: "那郑州呢？" after "横店接待了多少剧组？" is "郑州接待了多少剧组？".
3. A pronoun (它们, they, it, those, ...) is replaced by the previous question's subject; 其中
   ("of which") follows the previous question: "横店接待了多少剧组，其中有多少是…".
4. Any other follow-up is rewritten by the small model (the `condense` prompt), within the one
   deadline (`rag.llm.deadline.within`); without it, or when it fails, is late or loses the
   question, the previous question is prepended (`heuristic`).

Kinds come from the corpus profile's name table (publishers are in its publisher table; a place is
what jieba tags `ns`) and, for names outside it, from jieba's tags (ns, nr, nt, nz).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from index.publishers import Publishers
from index.text.rules import HAN_CHAR, YEAR, YEAR_DIGITS
from index.text.tokenize import pos_tagger
from rag.answer.follow_ups import follow_up_rules
from rag.corpus.names import NameTable, name_key
from rag.llm.deadline import within
from rag.prompts import Prompts
from rag.question.terms import proper_nouns
from rag.types import Turn

log = logging.getLogger(__name__)

Kind = Literal["place", "publisher", "year", "name"]


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str  # as written
    kind: Kind
    zh: str
    en: str


def _is_han(text: str) -> bool:
    return bool(HAN_CHAR.search(text))


class Condenser:
    """Turns a follow-up into a standalone question; built by `rag.factory.make_condenser`.

    `load_llm` builds the small model on the first follow-up no rule covers (None: no model)."""

    def __init__(
        self,
        names: NameTable,
        publishers: Publishers,
        prompts: Prompts,
        timeout_s: float,
        load_llm: Callable[[], Any | None] | None = None,
    ) -> None:
        self.names, self.publishers, self.prompts = names, publishers, prompts
        self.timeout_s = timeout_s
        self._load_llm = load_llm
        self._llm: Any | None = None
        self._loaded = load_llm is None
        self._lock = threading.Lock()

    @property
    def llm(self) -> Any | None:
        with self._lock:
            if not self._loaded:
                self._loaded = True
                try:
                    self._llm = self._load_llm() if self._load_llm else None
                except Exception as err:  # the heuristic stands in
                    log.warning("the follow-up model is unavailable: %s", err)
            return self._llm

    def condense(self, question: str, history: list[Turn] | None) -> str:
        """A standalone version of `question`; the question itself when it needs no history."""
        previous = self._previous(history or [])
        if previous is None:
            return question
        return self._by_rules(question, previous) or self._by_model(question, previous)

    # --- rules --------------------------------------------------------------------------------
    def _previous(self, history: list[Turn]) -> str | None:
        """The last user question made standalone by the rules (a chain of 西安呢？, 青岛呢？)."""
        current: str | None = None
        for turn in [t for t in history if t.role == "user"][-4:]:
            rewritten = self._by_rules(turn.content, current) if current else None
            current = rewritten or turn.content
        return current

    def _by_rules(self, question: str, previous: str) -> str | None:
        """The rules' rewrite; the question itself when it needs none; None: ask the model."""
        if (new := self._elliptical(question)) is not None:
            return self._swap(previous, new)
        if (pronoun := self._pronoun(question)) is not None:
            subject = subject_of(previous)
            return _substitute(question, pronoun, subject, previous) if subject else None
        return None if self.needs_history(question) else question

    def needs_history(self, question: str) -> bool:
        """A lead-in or a trailing 呢 without a subject of its own, or a short non-question."""
        rules = follow_up_rules()
        own = [e for e in self.entities(question) if e.kind != "year"]
        asks = rules.zh_question.search(question) or rules.en_question.search(question)
        if rules.follow_up.search(question):
            return not (own and asks)
        words = len(re.findall(r"[A-Za-z]+", question)) + len(HAN_CHAR.findall(question)) / 2
        return not asks and words <= 3

    def _elliptical(self, question: str) -> Entity | None:
        """The one thing an elliptical follow-up names, when it names nothing else."""
        match = follow_up_rules().ellipsis.match(question)
        if not match:
            return None
        rest = match.group("x").strip(" ,，")
        found = self.entities(rest)
        if len(found) == 1 and (found[0].start, found[0].end) == (0, len(rest)):
            return found[0]
        year = re.fullmatch(rf"({YEAR_DIGITS})\s*年?", rest)
        return (
            Entity(0, len(rest), year.group(1), "year", year.group(1), year.group(1))
            if year
            else None
        )

    def _pronoun(self, question: str) -> re.Match[str] | None:
        """A pronoun that refers back: none in a question naming its own subject."""
        if any(e.kind != "year" for e in self.entities(question)):
            return None
        rules = follow_up_rules()
        if zh := rules.zh_pronoun.search(question):
            return zh
        if rules.expletive_it.search(question):
            return None
        return rules.en_pronoun.search(question)

    def _swap(self, previous: str, new: Entity) -> str | None:
        olds = [e for e in self.entities(previous) if e.kind == new.kind]
        if len({(e.zh, e.en) for e in olds}) != 1:
            return None  # nothing, or more than one thing, of that kind to replace
        written = new.zh if _is_han(previous) else new.en
        for old in sorted(olds, key=lambda e: -e.start):
            previous = previous[: old.start] + written + previous[old.end :]
        return previous

    def entities(self, text: str) -> list[Entity]:
        """Years, the name table's names and jieba's proper nouns, in order, none overlapping."""
        found = [
            Entity(m.start(), m.end(), m.group(0), "year", m.group(0), m.group(0))
            for m in YEAR.finditer(text)
        ]
        for span in self.names.mentioned(text):
            if self.names.is_generic(span.text) or _overlaps(found, span.start, span.end):
                continue
            zh, en = span.names[0], span.names[1]
            found.append(Entity(span.start, span.end, span.text, self._kind(zh, en), zh, en))
        for start, word, flag in _proper_nouns(text):
            if not self.names.is_generic(word) and not _overlaps(found, start, start + len(word)):
                kind: Kind = "place" if flag in follow_up_rules().place_tags else "name"
                found.append(Entity(start, start + len(word), word, kind, word, word))
        return sorted(found, key=lambda e: e.start)

    def _kind(self, zh: str, en: str) -> Kind:
        if self.publishers.lookup(zh) or self.publishers.lookup(en):
            return "publisher"
        words = list(pos_tagger().cut(zh))
        place = len(words) == 1 and words[0].flag in follow_up_rules().place_tags
        return "place" if place else "name"

    # --- the model ----------------------------------------------------------------------------
    def _by_model(self, question: str, previous: str) -> str:
        llm = self.llm
        if llm is None:
            return heuristic(question, previous)
        prompt = self.prompts.render("condense", previous=previous, question=question)
        try:
            from llama_index.core.llms import ChatMessage, MessageRole

            reply = _first_line(
                within(llm, [ChatMessage(role=MessageRole.USER, content=prompt)], self.timeout_s),
                4 * len(question) + 200,
            )
        except Exception as err:  # a failed or late rewrite still leaves a usable question
            log.warning("condensing failed: %s", err)
            return heuristic(question, previous)
        core = follow_up_rules().follow_up.sub("", question).strip(" ？?。.")
        lost = len(reply) < len(core) or name_key(reply) == name_key(previous)
        if not reply or lost or len(reply) > 4 * len(question) + 200:
            return heuristic(question, previous)  # empty, rambling, or the follow-up lost
        return reply


def _first_line(deltas: Any, limit: int) -> str:
    """The reply's first line, unquoted; reading stops there (or past `limit`), freeing the LLM."""
    text = ""
    for delta in deltas:
        text += delta
        if "\n" in text.lstrip() or len(text) > limit:
            break
    line = next((ln for ln in text.splitlines() if ln.strip()), "") if len(text) <= limit else text
    line = follow_up_rules().label.sub("", line.strip())
    return line.strip().strip('"“”')


def heuristic(question: str, previous: str) -> str:
    return f"{previous} {question}"


def subject_of(question: str) -> str:
    """What a question asks about: Chinese, the nouns before its first verb or question word
    (横店接待了多少剧组 -> 横店); English, what stands between its auxiliary and its main verb
    (What revenue did Quzhou's super factory expect ... -> Quzhou's super factory)."""
    rules = follow_up_rules()
    if _is_han(question):
        words = []
        for pair in pos_tagger().cut(question.strip(" ？?。")):
            if pair.flag.startswith(rules.zh_stop_tags) or rules.zh_question.search(pair.word):
                break
            words.append(pair.word)
        return "".join(words).strip()
    match = rules.aux.search(question.strip(" ?.!"))
    if not match:
        return ""
    words = match.group("rest").split()
    out: list[str] = []
    for word in words:
        if word.casefold() in rules.subject_ends:
            break
        out.append(word)
    if match.group("aux").casefold() in rules.verb_aux or (
        out and rules.verb_ending.search(out[-1])
    ):
        out = out[:-1]
    while out and out[0].casefold() in rules.articles:
        out = out[1:]
    return " ".join(out)


def _substitute(question: str, pronoun: re.Match[str], subject: str, previous: str) -> str:
    """The pronoun replaced by the subject; 其中 ("of those") after the previous question."""
    word, rules = pronoun.group(0), follow_up_rules()
    if word == rules.of_which:
        replacement = previous.rstrip(" ？?。") + "，" + word
    elif word.casefold() in rules.possessives:
        replacement = f"{subject}'s"
    else:
        replacement = subject
    return question[: pronoun.start()] + replacement + question[pronoun.end() :]


def _overlaps(found: list[Entity], start: int, end: int) -> bool:
    return any(start < e.end and e.start < end for e in found)


def _proper_nouns(text: str) -> list[tuple[int, str, str]]:
    """Chinese proper nouns (`rag.question.terms.proper_nouns`, the one reading of jieba's
    tags), not what a question word asks for: (offset, word, tag)."""
    return [(at, word, flag) for at, word, flag, asked in proper_nouns(text) if not asked]
