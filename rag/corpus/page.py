"""What the chat page shows of a collection: its title and example questions.

A profile that names them (the shipped seeds' micro-drama profile) gives them; otherwise they are
made from the collection itself: the title from its name, the examples from its newest
documents' titles, each turned into a question by the language pack's template ("What does
“…” report?" / "《…》讲了什么？").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.text.rules import HAN_CHAR
from index.types import Chunk
from rag.corpus.profile import CorpusProfile
from rag.lang import pack

MAX_EXAMPLES = 4
MAX_TITLE = 40  # characters of a document title put in an example question
_CUT = re.compile(r"[，,。；;：:？?！!（(｜|]")


def title(profile: CorpusProfile, collection: str, lang: str) -> str:
    """The profile's title in `lang`, else one made from the collection's name."""
    if profile.titles:
        return profile.title(lang)
    return pack(lang).page.title.format(name=collection)


def examples(chunks: Iterable[Chunk]) -> list[str]:
    """Questions about the newest documents (one each, in the language of its title), for a
    profile that names no examples."""
    newest: dict[str, Chunk] = {}
    for chunk in chunks:
        if chunk.article_id not in newest:
            newest[chunk.article_id] = chunk
    ordered = sorted(newest.values(), key=lambda c: (c.published is None, -_stamp(c), c.title))
    out: list[str] = []
    for chunk in ordered:
        made = question_about(chunk.title)
        if made and made not in out:
            out.append(made)
        if len(out) == MAX_EXAMPLES:
            break
    return out


def question_about(document_title: str) -> str | None:
    """A question about a document, from its title: cut at its first clause when long."""
    text = document_title.strip().rstrip("…").strip()
    if len(text) > MAX_TITLE:
        text = _CUT.split(text, maxsplit=1)[0].strip()
    if len(text) < 4 or len(text) > MAX_TITLE:
        return None
    lang = "zh" if HAN_CHAR.search(text) else "en"
    return pack(lang).page.example.format(title=text)


def _stamp(chunk: Chunk) -> float:
    return chunk.published.timestamp() if chunk.published else 0.0
