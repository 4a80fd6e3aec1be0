"""The one renderer: a checked record and its findings -> the text the reader sees, the sources
it cites and the notices.

Sentences of a line are joined (a space before one that starts in Latin script), a line whose
sentences were all removed goes, the markers are renumbered 1..m in order of first use (the
passages shown first, then the other passages a line of the sources' figures cites), and the
notices are the findings' in check order; the sources' disagreement is one `conflict` notice whose
values carry the markers as the reader sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text.rules import MARKER
from rag.answer.findings import Conflict, State
from rag.lang import pack
from rag.notices import Notice


@dataclass(frozen=True)
class Rendered:
    text: str
    cited: list[int]  # source numbers (of the pool) in the order the text first cites them
    notices: list[Notice]
    conflicts: list[Conflict]  # with the markers as shown


def join(sentences: list[str]) -> str:
    """Sentences of one line back together: a space before one that starts in Latin script."""
    return "".join(s if i == 0 or not s[:1].isascii() else " " + s for i, s in enumerate(sentences))


def render(state: State, lang: str, n_pool: int) -> Rendered:
    record = state.record
    lines: dict[int, list[str]] = {}
    having = {s.line for s in record.sentences}
    for _, sentence in record.kept():
        lines.setdefault(sentence.line, []).append(sentence.text)
    text = "\n".join(
        join(lines[n]) if n in lines else ""
        for n in range(record.lines)
        if n in lines or n not in having  # a line left empty by the checks goes; a blank stays
    )
    linked, order = link(text, n_pool)
    renumber = {n: i + 1 for i, n in enumerate(order)}
    conflicts = [
        Conflict(
            tuple((fig, renumber[n]) for fig, n in f.conflict.figures if n in renumber),
            f.conflict.differs,
        )
        for f in state.findings
        if f.conflict is not None
    ]
    notices = [f.notice for f in state.findings if f.notice is not None]
    if differing := [c for c in conflicts if c.differs]:
        notices.append(_conflict_notice(differing, lang))
    return Rendered(linked, order, notices, conflicts)


def _conflict_notice(conflicts: list[Conflict], lang: str) -> Notice:
    words = pack(lang).conflicts
    values = []
    for conflict in conflicts:
        cites: dict[str, list[int]] = {}
        for figure, n in conflict.figures:
            if n not in cites.setdefault(figure, []):
                cites[figure].append(n)
        values.append(
            words.separator.join(f"{f} {''.join(f'[{n}]' for n in ns)}" for f, ns in cites.items())
        )
    figures = [figure for c in conflicts for figure, _ in c.figures]
    return Notice("conflict", values=words.separator.join(dict.fromkeys(values)), figures=figures)


def link(text: str, n_sources: int) -> tuple[str, list[int]]:
    """Markers outside 1..n_sources dropped (the checks leave none), the rest renumbered 1..m
    in order of first use; `[1][1]` once; no comma before a sentence's closing markers.
    Returns the text and the cited numbers in order."""
    order: list[int] = []

    def renumber(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= n_sources:
            return ""
        if n not in order:
            order.append(n)
        return f"[{order.index(n) + 1}]"

    linked = MARKER.sub(renumber, text)
    linked = re.sub(r"(\[\d+\])(?:\1)+", r"\1", linked)  # [1][1] -> [1]
    linked = re.sub(r"[ \t]+([。，,.!?！？])", r"\1", linked)
    linked = re.sub(r"[，,]\s*((?:\[\d+\])+)(?=[。.!?！？]|$)", r" \1", linked)  # "人，[1]。"
    linked = re.sub(r"[ \t]{2,}", " ", linked)
    return linked.strip(), order
