"""Which language a question is in: Chinese when Han characters make up a good share of it."""

from __future__ import annotations

import re

from index.types import Lang

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]+")


def detect(text: str) -> Lang:
    """'zh' when Han characters, counted two to a word, are at least as many as Latin words."""
    han = len(_HAN.findall(text))
    words = len(_LATIN.findall(text))
    return "zh" if han and han / 2 >= words else "en"


LANGUAGE_NAMES: dict[Lang, str] = {"zh": "Chinese (简体中文)", "en": "English"}
