"""What a grounded answer is, checked the same way by every reliability test."""

from __future__ import annotations

import re

from rag import Answer
from rag.prompts import Prompts

MARKER = re.compile(r"\[(\d+)\]")


def system_prompt_lines(min_chars: int = 30) -> list[str]:
    """The lines of the shipped system prompt long enough to be recognised in an answer."""
    text = Prompts().text("answer_system")
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= min_chars]


def assert_grounded(answer: Answer) -> None:
    """An Answer, refused with no citations, or with citations 1..m that each quote a retrieved
    context, every [n] in its text pointing at one of them; never the system prompt."""
    assert isinstance(answer, Answer)
    numbers = [c.n for c in answer.citations]
    if answer.refused:
        assert numbers == [], "a refusal cites nothing"
    else:
        assert numbers, "an answer that is not a refusal cites its sources"
        assert numbers == list(range(1, len(numbers) + 1)), numbers
        retrieved = {s.item.chunk_id: s.item for s in answer.contexts}
        for c in answer.citations:
            assert c.chunk_id in retrieved, f"citation [{c.n}] points at no retrieved context"
            assert c.quote == retrieved[c.chunk_id].text and c.file == retrieved[c.chunk_id].file
        used = {int(n) for n in MARKER.findall(answer.text)}
        assert used <= set(numbers), f"markers {used} but citations {numbers}"
    for line in system_prompt_lines():
        assert line not in answer.text, f"the answer repeats the system prompt: {line!r}"
