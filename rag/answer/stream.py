"""What of a streamed answer may be shown now: a sentence at a time, each checked as the whole
answer will be, and only up to its last sentence that cites a source.

`SentenceGate(shown)`: `feed(delta)` returns the text that may be shown now, `close()` the rest
that cites a source; `shown(prefix)` is the answerer's checks and renderer over the complete
sentences so far. The final answer (the same checks over the whole text) then shows what else it
keeps; a sentence it withholds never appears, not even for a moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from rag.answer.record import sentences_of

_CITED_END = re.compile(r"\[\d+\][。！？.!?]*")  # the end of a sentence that cites a source


class SentenceGate:
    def __init__(self, shown: Callable[[str], str]) -> None:
        self._shown_for = shown
        self._raw = ""
        self._shown = ""
        self._complete = ""

    def _release(self, text: str) -> str:
        settled = self._shown_for(text)
        last = list(_CITED_END.finditer(settled))  # a sentence tied to no source may be withheld
        settled = settled[: last[-1].end()] if last else ""
        if not settled.startswith(self._shown):  # an earlier sentence changed: show it at the end
            return ""
        new, self._shown = settled[len(self._shown) :], settled
        return new

    def feed(self, delta: str) -> str:
        self._raw += delta
        pieces = sentences_of(self._raw)
        if len(pieces) < 2 and not self._raw.endswith("\n"):
            return ""
        # all but the last piece are complete sentences (the last may still be growing)
        complete = self._raw[: self._raw.rfind(pieces[-1])] if len(pieces) > 1 else self._raw
        if complete.strip() == self._complete:
            return ""  # no new sentence since the last look
        self._complete = complete.strip()
        return self._release(complete)

    def close(self) -> str:
        return self._release(self._raw)


def gated(deltas: Iterable[str], gate: SentenceGate) -> Iterator[str]:
    """The settled pieces of a stream of deltas."""
    for delta in deltas:
        if shown := gate.feed(delta):
            yield shown
    if rest := gate.close():
        yield rest
