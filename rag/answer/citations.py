"""Checking what a model wrote: citation markers, refusals, and numbers against their sources.

Pure functions over strings, so they are tested without any model. The text rules they apply
(sentences, markers, word overlap) are index.text's, the same the chunker uses; figures are read
and compared with their units by rag.answer.numbers.quantities (700万 is not `nearly 700 million`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from index.text.overlap import word_overlap
from index.text.rules import MARKER, split_sentences, strip_markers
from rag.answer.numbers.quantities import Quantity, quantities, supported

_MARKER_GROUP = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、;；]\s*\d+)*)\s*[\]】]")


def normalise_markers(text: str) -> str:
    """`[1, 2]`, `[1，2]`, `【3】` -> `[1][2]`, `[3]`."""

    def expand(m: re.Match[str]) -> str:
        return "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1)))

    return _MARKER_GROUP.sub(expand, text)


def _all_supported(claims: list[Quantity], stated: list[Quantity]) -> bool:
    return all(supported(claim, stated) for claim in claims)


@dataclass
class Checked:
    """A model's answer after its markers were validated and renumbered."""

    text: str
    cited: list[int]  # 1-based source numbers of the prompt, in order of first use
    dropped: list[int] = field(default_factory=list)  # markers that pointed at no source
    unsupported: list[str] = field(default_factory=list)  # sentences whose numbers no source has
    repaired: int = 0  # sentences whose citation was added or re-pointed


def link(text: str, n_sources: int) -> tuple[str, list[int], list[int]]:
    """Drop markers outside 1..n_sources and renumber the rest 1..m in order of first use.

    Returns (text, cited source numbers in new order, dropped marker numbers).
    """
    text = normalise_markers(text)
    order: list[int] = []
    dropped: list[int] = []

    def renumber(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= n_sources:
            dropped.append(n)
            return ""
        if n not in order:
            order.append(n)
        return f"[{order.index(n) + 1}]"

    linked = MARKER.sub(renumber, text)
    linked = re.sub(r"(\[\d+\])(?:\1)+", r"\1", linked)  # [1][1] -> [1]
    linked = re.sub(r"[ \t]+([。，,.!?！？])", r"\1", linked)
    linked = re.sub(r"[ \t]{2,}", " ", linked)
    return linked.strip(), order, dropped


def unsupported_sentences(text: str, sources: dict[int, str], context: list[str]) -> list[str]:
    """Sentences stating a figure that none of the sources they cite (or, uncited, any source)
    states with the same value, unit and approximation word.

    `sources` maps the answer's marker numbers to the cited source texts; `context` is every
    source the model was shown.
    """
    stated = {n: quantities(src) for n, src in sources.items()}
    everything = [q for src in context for q in quantities(src)]
    flagged = []
    for sentence in split_sentences(text):
        claims = quantities(sentence)
        if not claims:
            continue
        cited = [int(n) for n in MARKER.findall(sentence) if int(n) in stated]
        known = [q for n in cited for q in stated[n]] if cited else everything
        if not _all_supported(claims, known):
            flagged.append(strip_markers(sentence))
    return flagged


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


_NOT_FOUND = re.compile(
    r"\b(?:is|are|was|were) not (?:provided|mentioned|specified|stated|available|given|included)"
    r"|\bdo(?:es)? not (?:contain|mention|provide|specify|say|include)"
    r"|\bno (?:information|data|mention|details?)\b|\bcannot be (?:found|determined)"
    r"|没有(?:提供|提及|提到|相关|关于|包含)|未(?:提供|提及|提到|包含|说明)|无法(?:确定|得知)|并未",
    re.I,
)


def is_refusal(text: str, refusals: list[str]) -> bool:
    """The answer is (or opens with) a fixed refusal sentence, or says in other words that the
    sources lack the answer without citing any of them."""
    flat = _flat(strip_markers(text))
    if not flat or any(flat.startswith(_flat(r)) for r in refusals if _flat(r)):
        return True
    return not MARKER.search(normalise_markers(text)) and bool(_NOT_FOUND.search(text))


def repair(text: str, sources: list[str], min_overlap: float = 0.35) -> tuple[str, int]:
    """Point each sentence at a source that supports it: a sentence with no marker gets the
    source stating its figures (or, with none, most of its words); a sentence whose cited
    sources lack its figures is re-pointed to a source that states them all.

    Returns the text (lines kept) and how many sentences were changed.
    """
    changed = 0
    lines = []
    stated = [quantities(src) for src in sources]
    for line in normalise_markers(text).split("\n"):
        out = []
        for sentence in split_sentences(line):
            fixed = _repair_sentence(sentence, sources, stated, min_overlap)
            changed += fixed != sentence
            out.append(fixed)
        lines.append(
            "".join(s if i == 0 or not s[:1].isascii() else " " + s for i, s in enumerate(out))
        )
    return "\n".join(lines).strip(), changed


def _repair_sentence(
    sentence: str, sources: list[str], stated: list[list[Quantity]], min_overlap: float
) -> str:
    cited = [int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(sources)]
    claimed = quantities(sentence)
    having = [i + 1 for i, qs in enumerate(stated) if claimed and _all_supported(claimed, qs)]
    claim = strip_markers(sentence)

    def support(n: int) -> float:
        return word_overlap(claim, sources[n - 1])

    if claimed and having and not any(n in having for n in cited):
        target = max(having, key=support)
    elif not cited and not claimed and sources:
        target = max(range(1, len(sources) + 1), key=support)
        if support(target) < min_overlap:
            return sentence
    else:
        return sentence
    if not MARKER.search(sentence):
        return place_marker(sentence, target)
    moved = MARKER.sub(f"[{target}]", sentence)
    return re.sub(
        rf"\[{target}\](?:(?:\s*(?:,|，|、|and|和|与)\s*|\s*)\[{target}\])+", f"[{target}]", moved
    )


def place_marker(sentence: str, n: int) -> str:
    """`... daily.` -> `... daily [n].`; `...拍摄。` -> `...拍摄[n]。`"""
    m = re.search(r"[。！？.!?]+$", sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(0)}"
    return f"{sentence} [{n}]"


def check(text: str, source_texts: list[str]) -> Checked:
    """Repair, validate and renumber markers against the prompt's sources; check numbers."""
    text, repaired = repair(text, source_texts)
    linked, order, dropped = link(text, len(source_texts))
    by_marker = {i + 1: source_texts[n - 1] for i, n in enumerate(order)}
    unsupported = unsupported_sentences(linked, by_marker, source_texts)
    return Checked(linked, order, dropped, unsupported, repaired)
