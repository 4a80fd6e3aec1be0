"""The question read once: `QuestionReader.read(text) -> Question`.

One analysis of the (standalone) question gives everything the later stages need of it: its
language, its key terms with every name they go by in either language (`terms.py`), the
publishers it names, the years, whether it asks for each source's figure, and the names of what
it names in the other language (to gloss it for retrieval). Retrieval, the answerability gate, the
conflict check and the prompt all take this record; none reads the question again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from index.publishers import Publisher, Publishers
from index.text.rules import HAN_CHAR, YEAR, detect_lang
from index.text.tokenize import pos_tagger
from index.types import Lang
from rag.corpus.names import NameTable
from rag.lang import LANGS, pack
from rag.question.terms import Term, key_terms, missing

Asks = Literal["person", "date", "figure", "place", "name", "any"]
ASKS: tuple[Asks, ...] = ("person", "date", "figure", "place", "name")  # tried in this order


@dataclass(frozen=True)
class Question:
    text: str  # the standalone question (after a follow-up was rewritten)
    lang: Lang
    terms: tuple[Term, ...] = ()  # what it names, each with all its names
    publishers: tuple[Publisher, ...] = ()  # publishers it names, by any of their names
    years: tuple[int, ...] = ()
    each_source: bool = False  # asks for each source's figure ("各来源数字分别是多少")
    other_names: tuple[str, ...] = ()  # the other language's names of what it names
    asked: str = ""  # as the reader asked it (a follow-up before it was rewritten)
    asks: Asks = "any"  # the kind of answer it asks for: "who" a person, "how many" a figure
    parts: tuple[str, ...] = ()  # its questions, when it asks several ("…？…？")
    counts: str = ""  # what a "how many" counts: "currency", "percent", or a noun (班, flights)
    names: NameTable | None = field(default=None, compare=False, repr=False)  # read with these

    @property
    def glossed(self) -> str | None:
        """The question followed by the other language's names of what it names, for the
        keyword run and the second encoder; None when it names nothing the table knows."""
        return f"{self.text} {' '.join(self.other_names)}" if self.other_names else None

    def missing(self, passages: Sequence[str]) -> list[Term]:
        """The key terms that none of `passages` names under any of their names."""
        return missing(self.terms, passages)

    def about(self, text: str) -> bool:
        """Whether `text` names every key term (vacuously true for a question naming none)."""
        return not self.missing([text])


class QuestionReader:
    """Reads questions with one corpus's vocabulary: its name table and publishers."""

    def __init__(self, names: NameTable | None = None, publishers: Publishers | None = None):
        self.names = names or NameTable()
        self.publishers = publishers or Publishers()

    def read(self, text: str, asked: str | None = None) -> Question:
        lang = detect_lang(asked or text)
        named = tuple(self.publishers.mentioned(text))
        skip = {name for p in named for name in p.names}
        return Question(
            text=text,
            lang=lang,
            terms=tuple(key_terms(text, self.names)),
            publishers=named,
            years=tuple(int(y) for y in YEAR.findall(text)),
            each_source=any(pack(code).each_source.search(text) for code in LANGS),
            other_names=tuple(self._other_names(text, skip)),
            asked=asked or text,
            asks="any" if parts(text) else asks(text),  # several: each part asks its own
            parts=tuple(parts(text)),
            counts=counts(text),
            names=self.names,
        )

    def _other_names(self, text: str, skip: set[str]) -> list[str]:
        """The names, in the question's other language, of the table's terms it mentions (in
        order of mention, each once): Latin forms for a Chinese question, Chinese for others.
        A named publisher is left out: it has a retrieval pass of its own, and glossing its
        names would only lift every passage of its articles alike."""
        chinese = detect_lang(text) == "zh"
        out: list[str] = []
        for span in self.names.mentioned(text):
            if any(name in skip for name in span.names):
                continue
            for name in span.names:
                if bool(HAN_CHAR.search(name)) != chinese and name not in out:
                    out.append(name)
        return out


def asks(text: str) -> Asks:
    """The kind of answer a question asks for, by its question words (the language packs'):
    a person ("who", "谁"), a date ("when", "何时"), a figure ("how many", "多少"), a place
    ("where", "哪里"), a name ("which team", "哪家公司"); "any" for the others ("what", "什么")."""
    for kind in ASKS:
        if any(pack(lang).asks[kind].search(text) for lang in ("zh", "en")):
            return kind
    return "any"


def counts(text: str) -> str:
    """What a question asking for a figure counts: "currency" (多少亿元, how much money),
    "percent" (百分之几, what percentage), or the noun after its question word (多少班 -> 班,
    多少个项目 -> 项目, how many flights -> flight; several words: any of them); "" when it says
    nothing of it."""
    for lang in LANGS:
        words = pack(lang).counting
        if words.currency.search(text):
            return "currency"
        if words.percent.search(text):
            return "percent"
        if m := words.noun.search(text):
            return _head(m.group("noun")).casefold()
    return ""


def _head(phrase: str) -> str:
    """The counted noun of the words after a question word: a Chinese noun phrase's last noun
    before anything else ("微短剧剧组" -> 剧组, "人受伤" -> 人); an English phrase's words,
    any of which will do: with no tagger its noun is not told from the verb after it ("related
    enterprises and employees" -> "related enterprise employee", "crews shoot" -> "crew shoot")."""
    if not HAN_CHAR.match(phrase):
        words = re.split(r"\s*(?:,|\band\b|\bor\b|\s)\s*", phrase)
        return " ".join(w.removesuffix("s") for w in words if w)
    nouns: list[str] = []
    for pair in pos_tagger().cut(phrase):
        if not pair.flag.startswith(("n", "q")) and nouns:
            break
        if pair.flag.startswith("n"):
            nouns.append(pair.word)
    return nouns[-1] if nouns else phrase[:2]


def parts(text: str) -> list[str]:
    """The questions of a question that asks several ("厅长是谁？警方通过什么方式…？"): each up to
    its question mark; a single question has none."""
    pieces = [p.strip() for p in re.findall(r"[^?？]+[?？]", text)]
    pieces = [p for p in pieces if len(p) > 3]
    return pieces if len(pieces) > 1 else []
