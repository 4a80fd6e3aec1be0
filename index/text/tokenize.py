"""Keyword tokens for BM25: jieba words for Chinese, lower-cased words for English.

A run of Chinese characters is cut by jieba (search mode, so 微短剧 also yields 短剧); Latin text is
split into lower-cased words; numbers lose their thousands separators ("24,000" -> "24000") so a
question and a source that write a number differently still meet.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache

from index.text.rules import HAN, drop_thousands

_RUNS = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.,][0-9]+)*")

_APOSTROPHE = re.compile(r"(?<=[a-z])['’](?=an\b|en\b|ao\b)")
_EN_STOP = frozenset(
    (
        "a an and are as at be by for from has have in is it its of on or that the this "
        "to was were which with what how many much who when where does did do according "
    ).split()
)
_ZH_STOP = frozenset("的 了 是 在 和 与 及 等 也 都 而 就 多少 什么 哪些 哪 吗 呢 据".split())


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@cache
def _pinyin():  # type: ignore[no-untyped-def]
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def pinyin(text: str) -> list[str]:
    """The syllables of `text`'s Chinese characters (郑州 -> ["zheng", "zhou"]); loaded once."""
    return list(_pinyin()(text))


@lru_cache(maxsize=1 << 16)
def _romanised(word: str) -> str:
    """A Chinese word's pinyin run together (郑州 -> zhengzhou). Words recur from one text to the
    next (the same passages are checked at every answer), and converting one is the most costly
    part of tokenizing it: converted once each."""
    return "".join(pinyin(word))


def pos_tagger():  # type: ignore[no-untyped-def]
    """jieba's part-of-speech tagger (`.cut(text)` -> pairs with `.word`, `.flag`), on the same
    initialised jieba as `tokenize`."""
    _jieba()
    import jieba.posseg

    return jieba.posseg


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = drop_thousands(text)
    text = _APOSTROPHE.sub("", text)  # xi'an -> xian, the way pinyin writes it
    out: list[str] = []
    for run in _RUNS.findall(text):
        if run[0].isascii():
            if run not in _EN_STOP and not (len(run) == 1 and run.isalpha()):
                out.append(_stem(run) if run.isalpha() else run)
            continue
        for word in _jieba().cut_for_search(run):
            if word in _ZH_STOP:
                continue
            out.append(word)
            if len(word) >= 2:  # 红果 -> hongguo, 郑州 -> zhengzhou: names meet their romanisation
                out.append(_romanised(word))
    return out
