"""Names across scripts learned from a collection's own text: a name written with its
translation or romanisation beside it, "利雅得银行（Riyad Bank）" or "Mike Quigley (奎格利)".

A collection with no hand-made name table (the neutral profile) still finds that a question's
"Riyad Bank" is the passage's 利雅得银行. The pairs are read from the chunks the retriever holds,
once per generation of the collection (when its keyword index is loaded), so a new upload teaches
its names at once. Acronyms in brackets (PPI, CNN) are left out: they are found as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.text.rules import HAN
from index.text.tokenize import pos_tagger
from rag.corpus.names import Name, NameTable, name_key

_LATIN = r"[A-Z][A-Za-z.'&-]*(?: [A-Z][A-Za-z.'&-]*){0,5}"  # capitalised words
_HAN_THEN_LATIN = re.compile(rf"([{HAN}]{{2,16}})\s*[（(]\s*({_LATIN})\s*[)）]")
_LATIN_THEN_HAN = re.compile(rf"({_LATIN})\s*[（(]\s*([{HAN}]{{2,12}})\s*[)）]")
_ACRONYM = re.compile(r"[A-Z0-9.&-]{1,6}")
_PROPER = ("nr", "ns", "nt", "nz", "x", "eng")  # jieba's proper nouns (nr: nrt, nrfg too)
_NOUNS = ("n", *_PROPER)
MAX_HAN = 8  # the Chinese name before a bracket: its last nouns, at most this long


def learn(texts: Iterable[str]) -> list[Name]:
    """The name pairs written side by side in `texts`, each once."""
    found: dict[tuple[str, str], Name] = {}
    for text in texts:
        for m in _HAN_THEN_LATIN.finditer(text):
            latin = m.group(2).strip()
            han = _trailing_name(m.group(1))
            if han and _is_name(latin):
                found.setdefault((han, latin), Name(han, latin))
        for m in _LATIN_THEN_HAN.finditer(text):
            latin = m.group(1).strip()
            if _is_name(latin):
                found.setdefault((m.group(2), latin), Name(m.group(2), latin))
    return list(found.values())


def with_learned(table: NameTable, texts: Iterable[str]) -> NameTable:
    """`table` plus the names learned from `texts` (a hand-made entry wins)."""
    known = {name_key(name) for entry in table.entries for name in entry.names}
    learned = [n for n in learn(texts) if not {name_key(n.en), name_key(n.zh)} & known]
    if not learned:
        return table
    return NameTable((*table.entries, *learned), table.metrics, table.roles, table.generic)


def _is_name(latin: str) -> bool:
    return len(latin) >= 3 and not _ACRONYM.fullmatch(latin)


def _trailing_name(run: str) -> str | None:
    """The name that ends a run of Chinese: its trailing proper nouns ("众议员奎格利" -> 奎格利,
    "制造商特斯拉" -> 特斯拉), else its trailing nouns ("融机构之一利雅得银行" -> 利雅得银行)."""
    words = list(pos_tagger().cut(run))
    for flags in (_PROPER, _NOUNS):
        kept: list[str] = []
        for pair in reversed(words):
            if not pair.flag.startswith(flags) or len("".join(kept)) + len(pair.word) > MAX_HAN:
                break
            kept.insert(0, pair.word)
        if len("".join(kept)) >= 2:
            return "".join(kept)
    return None
