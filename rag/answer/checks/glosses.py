"""A Chinese answer in Chinese: the English glosses a small model adds in brackets go
("近百部（over 100）"), English amounts are written in 万/亿 ("50 million yuan" -> "5000万元") and
the names the corpus knows in both languages in Chinese ("在Yantai举行" -> "在烟台举行",
`localise.py`). The model's text only: quotes keep their sources' wording. No notice: the
figures and names are the same, written the reader's way.
"""

from __future__ import annotations

import re

from index.text.rules import HAN
from index.types import Lang
from rag.answer.findings import Context, Finding
from rag.answer.localise import chinese_amounts, chinese_names
from rag.answer.record import Record
from rag.corpus.names import NameTable

# "（over 100）", "(about 700 million)": Latin-only asides in a Chinese answer, never [n] markers
_GLOSS = re.compile(rf"[ \t]*[（(](?=[^（）()]*[A-Za-z])[^（）(){HAN}\[\]]{{1,60}}[）)]")


def strip_glosses(text: str, lang: Lang) -> str:
    """A Chinese answer without the English translations a small model adds in brackets."""
    return _GLOSS.sub("", text) if lang == "zh" else text


def in_language(text: str, lang: Lang, names: NameTable | None = None) -> str:
    """A Chinese answer without glosses, its amounts in 万/亿 and its known names in Chinese."""
    if lang != "zh":
        return text
    written = chinese_amounts(strip_glosses(text, lang))
    return chinese_names(written, names) if names is not None else written


def check(record: Record, ctx: Context) -> list[Finding]:
    found = []
    for i, sentence in record.kept():
        written = in_language(sentence.text, ctx.lang, ctx.names)
        if written != sentence.text:
            found.append(Finding("glosses", "rewrite", i, written))
    return found
