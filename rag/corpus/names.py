"""Names a reader may use for what the corpus mentions, in either language, and the words that
name a metric or a role: the vocabulary that decides whether retrieved passages speak of what a
question asks about (`rag/question/terms.py`).

马来西亚 is Malaysia, 狮城山海 is "Lion City Mountains and Seas", 月活 is MAU. The names are data,
in the corpus profile (`[[names]]` in `rag/corpus/profiles/*.toml`); the publishers' table joins
them, so 财联社 and Cailian Press are one name too. Metrics and roles are the language packs'
synonym groups (`rag/lang/*.toml`, joined by key) with what the profile's `[answerability]` adds;
generic words are the profile's and the packs' month names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

from index.text.rules import HAN_CHAR
from rag.lang import LANGS, groups, pack

Group = tuple[str, tuple[str, ...]]  # a group of synonyms and its key ("": joins no other)
Groups = Mapping[str, Iterable[str]] | Iterable[Iterable[str]]  # by key, or a list of groups


@dataclass(frozen=True)
class Name:
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)


def name_key(name: str) -> str:
    """Width, case, spaces and punctuation free: "Xi'an" -> "xian", "ＭＡＵ" -> "mau"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


@cache
def name_pattern(name: str, prefix: bool = False) -> re.Pattern[str]:
    """Where a name stands in a text. Chinese: as a substring, spaces free. Latin: as whole
    words, spacing, punctuation and case free, a plural or possessive allowed ("Hongguo's",
    "IPs"); a short capitalised abbreviation (US, AI) in capitals only, not after a dot (IQ.US).
    `prefix`: the last word may run on (metric words: profit -> profitability)."""
    name = unicodedata.normalize("NFKC", name).strip()
    if HAN_CHAR.search(name):
        return re.compile(r"\s*".join(map(re.escape, name.replace(" ", ""))), re.I)
    parts = re.findall(r"[a-z]+|[0-9]+(?:\.[0-9]+)?", name.casefold())
    body = r"[\W_]*".join(re.escape(p) for p in parts)
    tail = r"[a-z]*" if prefix else r"(?:['’]?s|es)?"
    letters = name.replace(".", "")
    if len(letters) <= 3 and letters.isalpha() and letters.isupper():  # US, U.S., AI
        dotted = r"\.?".join(letters)
        # ASCII look-arounds: \w is any script's letter, and "2021年香港GDP增长" names GDP
        return re.compile(rf"(?<![A-Za-z0-9_.]){dotted}\.?s?(?![A-Za-z0-9_])")
    return re.compile(rf"(?<![0-9a-z]){body}{tail}(?![0-9a-z])", re.I)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # as the text writes it
    names: tuple[str, ...]  # every name of what it names


@dataclass(frozen=True)
class NameTable:
    """A corpus's bilingual names, the metric and role words it adds to the language packs'
    (synonym groups, joining the packs' groups of the same key) and its generic words."""

    entries: tuple[Name, ...] = ()
    metrics: tuple[Group, ...] = ()  # the corpus's own metric words
    roles: tuple[Group, ...] = ()  # ...and roles (首席执行官 / CEO: people reports may not name)
    generic: frozenset[str] = frozenset()
    _by_key: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in entry.names:
                self._by_key.setdefault(name_key(name), entry.names)
        object.__setattr__(self, "generic", frozenset(name_key(g) for g in self.generic))

    @classmethod
    def build(
        cls,
        entries: Iterable[Name],
        metrics: Groups = (),
        generic: Iterable[str] = (),
        roles: Groups = (),
    ) -> NameTable:
        """A table; `metrics` and `roles` by key (joining the packs' groups of that key) or as
        a list of groups (joining none)."""
        return cls(tuple(entries), _keyed(metrics), _keyed(roles), frozenset(generic))

    @cached_property
    def metric_groups(self) -> tuple[tuple[str, ...], ...]:
        """The packs' metric groups with the corpus's words, joined by key."""
        return _joined(groups("metrics"), self.metrics)

    @cached_property
    def role_groups(self) -> tuple[tuple[str, ...], ...]:
        return _joined(groups("roles"), self.roles)

    def names_of(self, term: str) -> tuple[str, ...]:
        """Every name of a term: its table entry's names, a metric's synonyms; a term that
        holds a table name ("家里家外2") also under that name's other forms ("Home and Away 2")."""
        key = name_key(term)
        if found := self._by_key.get(key) or self._metric_of(key):
            return (term, *found)
        out = [term]
        for entry in self.entries:
            for name in entry.names:
                if len(name_key(name)) >= 2 and name_pattern(name).search(term):
                    out += [name_pattern(name).sub(other, term, count=1) for other in entry.names]
        return tuple(dict.fromkeys(out))

    def _metric_of(self, key: str) -> tuple[str, ...] | None:
        synonyms = (*self.metric_groups, *self.role_groups)
        return next((g for g in synonyms if key in {name_key(s) for s in g}), None)

    def is_generic(self, term: str) -> bool:
        key = name_key(term)
        return key in self.generic or key in _months()

    def mentioned(self, text: str) -> list[Span]:
        """Table names in a text, longest first, none overlapping."""
        return _spans(text, [(n, e.names, False) for e in self.entries for n in e.names])

    def metrics_in(self, text: str) -> list[Span]:
        return _spans(text, [(s, m, True) for m in self.metric_groups for s in m])

    def roles_in(self, text: str) -> list[Span]:
        return _spans(text, [(s, r, False) for r in self.role_groups for s in r])


def _keyed(found: Groups) -> tuple[Group, ...]:
    if isinstance(found, Mapping):
        return tuple((str(key), tuple(words)) for key, words in found.items())
    return tuple(("", tuple(words)) for words in found)


def _joined(shared: Iterable[Group], own: Iterable[Group]) -> tuple[tuple[str, ...], ...]:
    """The packs' groups, each with the corpus's words of its key; then the corpus's others."""
    joined = {key: list(words) for key, words in shared}
    loose = []
    for key, words in own:
        if not key:
            loose.append(tuple(words))
            continue
        group = joined.setdefault(key, [])
        group += [w for w in words if w not in group]
    return tuple(tuple(words) for words in joined.values()) + tuple(loose)


@cache
def _months() -> frozenset[str]:
    """The language packs' month names: generic words in any corpus."""
    return frozenset(name_key(name) for lang in LANGS for name in pack(lang).month_names)


@cache
def _anchor(name: str) -> str:
    """A piece of `name` that every text `name_pattern(name)` matches in holds, lower-cased: its
    first character in Chinese, its first letter as an abbreviation (U.S.), else its first word.
    The cheap test before the pattern; "" for a name with nothing to find."""
    name = unicodedata.normalize("NFKC", name).strip()
    if not name_key(name):
        return ""
    if HAN_CHAR.search(name):
        return name.replace(" ", "")[0].lower()
    parts = re.findall(r"[a-z]+|[0-9]+(?:\.[0-9]+)?", name.casefold())
    letters = name.replace(".", "")
    if len(letters) <= 3 and letters.isalpha() and letters.isupper():
        return letters[0].lower()
    return parts[0] if parts else ""


def _spans(text: str, names: list[tuple[str, tuple[str, ...], bool]]) -> list[Span]:
    taken: list[Span] = []
    lowered = text.lower()
    for name, group, prefix in sorted(names, key=lambda n: -len(n[0])):
        anchor = _anchor(name)
        if not anchor or anchor not in lowered:
            continue
        for m in name_pattern(name, prefix).finditer(text):
            if not any(m.start() < s.end and s.start < m.end() for s in taken):
                taken.append(Span(m.start(), m.end(), m.group(0), group))
    return sorted(taken, key=lambda s: s.start)
