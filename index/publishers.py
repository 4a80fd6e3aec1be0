"""Publisher names as users know them, in English and Chinese, and as the exports romanise them.

The exports write `3 6 Ke` or `Ren Min Ri Bao`; users say 36Kr / 36氪 or People's Daily / 人民日报.
Every name of a publisher normalises (`normalise_publisher`) to one key. The table itself is data,
in the corpus profile (`rag/corpus/profiles/*.toml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.rules import HAN_CHAR


def normalise_publisher(name: str) -> str:
    """Lower-case, no spaces or punctuation: "3 6 Ke" -> "36ke". Aliases are mapped below."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Publisher:
    en: str
    zh: str
    aliases: tuple[str, ...] = ()  # romanised export forms, abbreviations, other spellings
    domains: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.en, self.zh, *self.aliases)

    def name_in(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _pattern(name: str) -> re.Pattern[str]:
    """Chinese names match as substrings; Latin names as whole words, spacing and case free."""
    if HAN_CHAR.search(name):
        return re.compile(r"\s*".join(map(re.escape, name.replace(" ", ""))))
    parts = [re.escape(p) for p in re.findall(r"[0-9a-z]+", name.casefold())]
    return re.compile(r"(?<![0-9a-z])" + r"[\W_]*".join(parts) + r"(?![0-9a-z])", re.I)


_URL_HOST = re.compile(r"https?://(?:[\w-]+\.)*?([\w-]+\.(?:com|cn|net|org))", re.I)


class Publishers:
    """A corpus's publisher table (from its profile, `rag/corpus/profile.py`): every name of a
    publisher, in any spelling, leads to the same entry."""

    def __init__(self, table: tuple[Publisher, ...] = ()) -> None:
        self.table = table
        self._by_key = {normalise_publisher(name): pub for pub in table for name in pub.names}
        # Longest names first, so "People's Daily Overseas Edition" wins over "People's Daily".
        self._mentions = sorted(
            ((_pattern(name), pub) for pub in table for name in pub.names),
            key=lambda item: len(item[0].pattern),
            reverse=True,
        )

    def lookup(self, name: str | None, url: str | None = None) -> Publisher | None:
        """The publisher of an export's source line (or, failing that, of its URL)."""
        if name and (pub := self._by_key.get(normalise_publisher(name))):
            return pub
        host = _URL_HOST.search(url or "")
        return next((p for p in self.table if host and host.group(1).lower() in p.domains), None)

    def display_name(self, name: str | None, lang: str, url: str | None = None) -> str | None:
        """The name a reader knows: 36Kr for an English reader, 36氪 for a Chinese one."""
        pub = self.lookup(name, url)
        return pub.name_in(lang) if pub else name

    def keys_for(self, name: str) -> set[str]:
        """Every normalised form a publisher filter should match: all names of that publisher."""
        pub = self._by_key.get(normalise_publisher(name))
        if pub is None:
            return {normalise_publisher(name)}
        return {normalise_publisher(n) for n in pub.names}

    def mentioned(self, question: str) -> list[Publisher]:
        """Publishers the question names, in any of their names."""
        text = question.casefold()
        found: list[Publisher] = []
        for pattern, pub in self._mentions:
            if pattern.search(text):
                if pub not in found:
                    found.append(pub)
                text = pattern.sub(" ", text)
        return found

    def choices(self, lang: str) -> list[tuple[str, str]]:
        """(label, value) pairs for a filter: both usual names shown, the English one kept."""
        return [
            (f"{p.zh} · {p.en}" if lang == "zh" else f"{p.en} · {p.zh}", p.en) for p in self.table
        ]
