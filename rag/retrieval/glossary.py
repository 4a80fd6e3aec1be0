"""A question glossed with the other-language names of what it names (郑州 -> Zhengzhou).

The names come from the corpus profile's bilingual table (`rag/corpus/names.py`: places,
organisations, titles and publishers with their Chinese, pinyin and English forms). Keyword
matching only meets passages in the question's words, and the second encoder places a name
nearer its own language's passages: the glossed question reaches both.
"""

from __future__ import annotations

from collections.abc import Collection

from index.text.rules import HAN_CHAR, detect_lang
from rag.corpus.names import NameTable


def other_names(question: str, names: NameTable, skip: Collection[str] = ()) -> list[str]:
    """The names, in the question's other language, of the table's terms the question mentions
    (in order of mention, each once): Latin forms for a Chinese question, Chinese for others.
    Terms with a name in `skip` are left out."""
    chinese = detect_lang(question) == "zh"
    out: list[str] = []
    for span in names.mentioned(question):
        if any(name in skip for name in span.names):
            continue
        for name in span.names:
            if bool(HAN_CHAR.search(name)) != chinese and name not in out:
                out.append(name)
    return out


def glossed(question: str, names: NameTable, skip: Collection[str] = ()) -> str | None:
    """The question followed by those names; None when it mentions none."""
    extra = other_names(question, names, skip)
    return f"{question} {' '.join(extra)}" if extra else None
