"""No sentence said twice: a small model repeats itself ("博览会将举办14场会期活动，博览会将举办14场
会期活动", one sentence four times). A sentence saying what an earlier one said (letters and
digits compared, markers aside), or nearly all of it (NEAR of its words in an earlier one:
"尹熙根宣布…" and "尹熙根同天宣布…"), goes, and so does a clause repeating an earlier clause of its
sentence. No notice: nothing the reader would miss.
"""

from __future__ import annotations

import unicodedata

from index.text.overlap import word_overlap
from index.text.rules import clauses, join_clauses, strip_markers
from index.text.tokenize import tokenize
from rag.answer.findings import Context, Finding
from rag.answer.record import Record


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip_markers(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def check(record: Record, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    earlier: list[str] = []
    for i, sentence in record.kept():
        flat = _flat(sentence.text)
        if flat and (flat in seen or _said(sentence.plain, earlier)):
            found.append(Finding("repeats", "remove", i))
            continue
        seen.add(flat)
        earlier.append(sentence.plain)
        parts, ending = clauses(sentence.text)
        said: set[str] = set()
        kept = []
        for part in parts:
            key = _flat(part)
            if key and key in said:
                continue
            said.add(key)
            kept.append(part)
        if len(kept) < len(parts):
            found.append(Finding("repeats", "rewrite", i, join_clauses(kept, ending)))
    return found


NEAR = 0.9  # of a sentence's words already in one earlier sentence: said before


def _said(sentence: str, earlier: list[str]) -> bool:
    return len(tokenize(sentence)) >= 6 and any(word_overlap(sentence, e) >= NEAR for e in earlier)
