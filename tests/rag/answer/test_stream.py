"""While the answer streams, a sentence is shown once the checks keep it, and never one the
final answer withholds."""

from __future__ import annotations

from rag.answer.stream import SentenceGate, gated
from tests.rag.answer.checking import checked

SOURCES = [
    "郑州日报\n郑州每天开机拍摄的短剧近百部。",
    "36Kr\nChina had 696 million micro-drama users by July 2025.",
]


def _stream(text: str, step: int = 3) -> list[str]:
    return [text[i : i + step] for i in range(0, len(text), step)]


def test_gate__shows_whole_checked_sentences_and_ends_as_the_final_answer():
    raw = "郑州每天开机近百部短剧 [1]。郑州有999家公司 [1]。用户达6.96亿 [2]。"
    gate = SentenceGate(lambda text: checked(text, SOURCES, "zh", final=False).text)
    shown = list(gated(_stream(raw), gate))
    assert all("999" not in piece for piece in shown)  # never on screen, not even for a moment
    assert "".join(shown) == checked(raw, SOURCES, "zh").text
    assert shown[0] == "郑州每天开机近百部短剧 [1]。"


def test_gate__keeps_a_growing_sentence_back_until_it_ends():
    gate = SentenceGate(lambda text: checked(text, SOURCES, "en", final=False).text)
    assert gate.feed("China had 696 mil") == ""
    assert gate.feed("lion users [2]. Zheng") == "China had 696 million users [1]."
    assert gate.close() == ""  # "Zheng" cites nothing: only the final answer may show it
