"""Citations placed and re-pointed; markers to nowhere dropped.

- `placed`: a sentence with no marker gets the source that states its figures (or, with no
  figure, the one sharing most of its words, if enough); a sentence whose cited sources lack its
  figures is re-pointed to a source that states them all. A model's answer says how many were
  placed (`citations_placed`).
- `nowhere`: markers to no source the model was shown are dropped (`markers_dropped`).
"""

from __future__ import annotations

import re
from functools import cache

from index.text.overlap import word_overlap
from index.text.rules import MARKER
from rag.answer.findings import Context, Finding
from rag.answer.numbers.quantities import Quantity, supported
from rag.answer.record import Record, Source
from rag.lang import LANGS, one_of, pack
from rag.notices import Notice

MIN_OVERLAP = 0.35  # a figure-free sentence is tied to a source sharing this share of its words


def placed(record: Record, ctx: Context) -> list[Finding]:
    found = []
    for i, sentence in record.kept():
        fixed = point(sentence.text, sentence.figures, sentence.plain, ctx.sources)
        if fixed != sentence.text:
            found.append(Finding("citations", "rewrite", i, fixed))
    if found and ctx.from_llm:
        notice = Notice("citations_placed", count=len(found))
        found.append(Finding("citations", "note", notice=notice))
    return found


def point(text: str, claimed: tuple[Quantity, ...], plain: str, sources: tuple[Source, ...]) -> str:
    """`text` (a sentence) citing a source that supports it (see the module docstring)."""
    cited = [int(n) for n in MARKER.findall(text) if 1 <= int(n) <= len(sources)]
    having = [s.n for s in sources if claimed and all(supported(c, s.figures) for c in claimed)]

    def support(n: int) -> float:
        return word_overlap(plain, sources[n - 1].text)

    if claimed and having and not any(n in having for n in cited):
        target = max(having, key=support)
    elif not cited and not claimed and sources:
        target = max(range(1, len(sources) + 1), key=support)
        if support(target) < MIN_OVERLAP:
            return text
    else:
        return text
    if not MARKER.search(text):
        return place_marker(text, target)
    moved = MARKER.sub(f"[{target}]", text)
    joined = rf"\[{target}\](?:(?:\s*(?:{_joiners()})\s*|\s*)\[{target}\])+"
    return re.sub(joined, f"[{target}]", moved)


@cache
def _joiners() -> str:
    """What may stand between two markers of one source: a comma, the packs' conjunctions."""
    return "|".join([",", "，", "、", one_of(w for lang in LANGS for w in pack(lang).conjunctions)])


def place_marker(sentence: str, n: int) -> str:
    """`... daily.` -> `... daily [n].`; `...拍摄。` -> `...拍摄[n]。`"""
    m = re.search(r"[。！？.!?]+$", sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(0)}"
    return f"{sentence} [{n}]"


def nowhere(record: Record, ctx: Context) -> list[Finding]:
    n_sources = len(ctx.sources)
    found, dropped = [], []
    for i, sentence in record.kept():
        if sentence.added:
            continue
        outside = [n for n in sentence.markers if not 1 <= n <= n_sources]
        if outside:
            dropped += outside
            kept = MARKER.sub(lambda m: m[0] if 1 <= int(m[1]) <= n_sources else "", sentence.text)
            found.append(Finding("markers", "rewrite", i, _tidy(kept)))
    if dropped:
        notice = Notice("markers_dropped", markers=", ".join(f"[{n}]" for n in dropped))
        found.append(Finding("markers", "note", notice=notice))
    return found


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+([。，,.!?！？])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
