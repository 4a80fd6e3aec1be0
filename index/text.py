"""Small text helpers shared by the parsers: language, prose clean-up, URLs."""

from __future__ import annotations

import re

from index.types import Lang

URL = re.compile(r"https?://[^\s,，。;；)）\]】\"”]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK},;:])[ \t]+(?=[{_CJK}])")


def detect_lang(text: str) -> Lang:
    """'zh' when Han characters are at least a third of the letters, else 'en'."""
    han = len(_HAN.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if han and han * 3 >= latin else "en"


def clean_prose(text: str) -> str:
    """Whitespace collapsed; the stray spaces line-wrapping left between Chinese characters
    (`新华 社`) removed; spaces next to Latin text kept."""
    return _CJK_SPACE.sub("", " ".join(text.split()))
