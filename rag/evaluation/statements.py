"""An answer as statements with the passages they cite, read from one results.jsonl record.

Sentences and markers are the shared text kernel's (`index.text.rules`: split on 。！？ as well as
. ! ?, `[n]` markers); nothing here is the answerer's. A line the answerer writes to give each
source's figure ("The sources give different figures: 505亿 [1]; 50.44 billion [2].") is a
statement like any other, citing several passages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from index.text.rules import MARKER, split_sentences, strip_markers

_BULLET = re.compile(r"^[-*•·]\s*")
_LEAD_END = (":", "：")


@dataclass(frozen=True)
class Statement:
    text: str  # markers and a list bullet removed
    cites: tuple[int, ...]  # distinct marker numbers, in order of use


def statements(answer: str) -> list[Statement]:
    """The answer's sentences that claim something, with the markers each carries (trailing
    markers stay on their sentence). Left out: a sentence with no word in it, and a lead line
    (no marker, ends with a colon: "According to the reports:" / "根据报告：")."""
    out = []
    for sentence in split_sentences(answer):
        text = _BULLET.sub("", strip_markers(sentence)).strip()
        cites = tuple(dict.fromkeys(int(n) for n in MARKER.findall(sentence)))
        if not re.search(r"\w", text) or (not cites and text.endswith(_LEAD_END)):
            continue
        out.append(Statement(text, cites))
    return out


def passages(result: Mapping[str, Any]) -> dict[int, str]:
    """Marker number -> what the cited passage says: its title, publisher, date (YYYY-MM-DD, a
    line of its own) and quote, one a line."""
    out = {}
    for c in result.get("citations") or []:
        parts = (
            c.get("title"),
            c.get("publisher"),
            str(c.get("published") or "")[:10],
            c.get("quote"),
        )
        out[int(c["n"])] = "\n".join(str(p) for p in parts if p)
    return out


def cited_sources(result: Mapping[str, Any]) -> dict[int, tuple[str, str]]:
    """Marker number -> the cited article as the question set names one: (file, title)."""
    return {
        int(c["n"]): (str(c.get("file") or ""), str(c.get("title") or ""))
        for c in result.get("citations") or []
    }


def answered(result: Mapping[str, Any]) -> bool:
    """An answer was shown: not refused (the answer's own `refused` field) and not an error."""
    return not result.get("refused") and not result.get("error")


def notice_text(notice: Any) -> str:
    """A notice as text: a string as it is; a structured one (`{"code", "message", "params"}`,
    rag.notices' record) as every string in it, its params' included."""
    if isinstance(notice, Mapping):
        return "\n".join(notice_text(v) for v in notice.values())
    if isinstance(notice, list | tuple):
        return "\n".join(notice_text(v) for v in notice)
    return notice if isinstance(notice, str) else ""
