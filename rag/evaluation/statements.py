"""An answer as statements with the passages they cite, read from one results.jsonl record.

The sentence and marker rules are index.text.rules (the ones the answerer used), so a statement here
is a sentence the answerer checked. Shared by the ALCE scores (alce.py) and the count of figures
shown without a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from index.text.rules import MARKER, iso_datetime, split_sentences, strip_markers
from rag.answer.refusals import is_refusal
from rag.answer.numbers.dates import absolute_years
from rag.answer.numbers.quantities import quantities, supported
from rag.prompts import Prompts

_BULLET = re.compile(r"^[-*•·]\s*")
_LEAD_END = (":", "：")


@dataclass(frozen=True)
class Statement:
    text: str  # markers and a list bullet removed
    cites: tuple[int, ...]  # distinct marker numbers, in order of use
    # a disagreement sentence ("The sources give different figures: over 600 [1]; over 200
    # [2]."): each figure with the one source that states it, judged one by one
    figures: tuple[tuple[str, int], ...] = ()


def refusals(prompts: Prompts | None = None) -> list[str]:
    """The fixed refusal sentences, both languages (a statement repeating one is no claim)."""
    prompts = prompts or Prompts()
    return [prompts.text("refusal_en"), prompts.text("refusal_zh")]


def statements(answer: str, refusal_texts: Iterable[str] = ()) -> list[Statement]:
    """The answer's sentences that claim something: split on 。！？ and . ! ? by
    `index.text.rules.split_sentences` (trailing [n] markers stay on their sentence). Left out: a
    sentence with no word in it, a lead line (no marker, ends with a colon: "According to the
    reports:" / "根据报告："), and a refusal (no marker, says the reports lack the answer)."""
    texts = list(refusal_texts)
    out = []
    for sentence in split_sentences(answer):
        text = _BULLET.sub("", strip_markers(sentence)).strip()
        cites = tuple(dict.fromkeys(int(n) for n in MARKER.findall(sentence)))
        if not re.search(r"\w", text):
            continue
        if not cites and (text.endswith(_LEAD_END) or is_refusal(text, texts)):
            continue
        out.append(Statement(text, cites, ()))  # interim: replaced by the evaluation's own rules
    return out


def passages(result: Mapping[str, Any]) -> dict[int, str]:
    """Marker number -> what the cited passage says: its title, publisher, date and quote (the
    answerer checks a sentence against the same header and text)."""
    out = {}
    for c in result.get("citations") or []:
        date = str(c.get("published") or "")[:10]
        quote = absolute_years(str(c.get("quote") or ""), iso_datetime(date))  # "this year" too
        parts = (c.get("title"), c.get("publisher"), date, quote)
        out[int(c["n"])] = "\n".join(str(p) for p in parts if p)
    return out


def answered(result: Mapping[str, Any]) -> bool:
    """An answer was shown: not refused and not an error."""
    return not result.get("refused") and not result.get("error")


def notice_text(notice: Any) -> str:
    """A notice as text: a string as it is; a structured one (`{"code", "message", "params"}`,
    rag.notices' record) as every string in it, its params' included."""
    if isinstance(notice, Mapping):
        return "\n".join(notice_text(v) for v in notice.values())
    if isinstance(notice, list | tuple):
        return "\n".join(notice_text(v) for v in notice)
    return notice if isinstance(notice, str) else ""


def _flat(text: str) -> str:
    return "".join(text.split())


def unsupported_figures(result: Mapping[str, Any]) -> int:
    """Figures (`rag.answer.numbers.quantities`: value and unit) of an answered answer that none of its
    statement's cited passages states (for a statement citing nothing: none of the answer's
    citations) and whose statement no notice mentions - figures a reader sees with no warning.
    0 for a refusal or an error."""
    if not answered(result):
        return 0
    cited = passages(result)
    warned = _flat("\n".join(notice_text(n) for n in result.get("notices") or []))
    count = 0
    for st in statements(str(result.get("answer") or "")):
        claims = quantities(st.text)
        if not claims or _flat(st.text) in warned:
            continue
        sources = [cited.get(n, "") for n in st.cites] if st.cites else list(cited.values())
        stated = [q for source in sources for q in quantities(source)]
        count += sum(not supported(claim, stated) for claim in claims)
    return count
