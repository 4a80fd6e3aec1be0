"""The answer in the question's slot: what a sentence puts where the question asks ("不法分子冒充
什么身份？" -> "冒充中国留学生身份") must be what its passage puts there, when the passage writes
the words leading to it ("冒充公检法人员": the sentence's 中国留学生 is another person the passage
names). "A pod of which species washed ashore?" -> "a pod of Lewis whales" goes when the passage
says "A pod of 55 whales" (Lewis is the island). A passage that never writes the leading words
says it in its own words: nothing is compared; nor is a figure (the figures check has those).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index.text.rules import HAN_CHAR
from index.text.tokenize import pos_tagger
from rag.lang import pack

WINDOW = {"zh": 20, "en": 40}  # characters after the leading words where an answer is
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def misplaced(sentence: str, question: str, passages: list[str]) -> str | None:
    """The sentence's leading words and what it puts after them ("冒充 中国"), when some of
    `passages` write those words but none puts that after them; None when one does, or nothing
    compares."""
    chinese = bool(HAN_CHAR.search(question))
    passages = [p for p in passages if bool(HAN_CHAR.search(p)) == chinese]
    if chinese != bool(HAN_CHAR.search(sentence)) or not passages:
        return None
    lead = _lead(question)
    if lead is None:
        return None
    said = _norm(sentence)
    at = said.rfind(lead)  # the last: "把执行的每条命令…应该执行 set -x" puts set -x there
    if at < 0:
        return None
    put = _first_word(said[at + len(lead) :], chinese)
    if put is None:
        return None
    window = WINDOW["zh" if chinese else "en"]
    texts = [_norm(p) for p in passages]
    spots = [(t, m.end()) for t in texts for m in re.finditer(re.escape(lead), t)]
    if not spots or any(put in t[end : end + window] for t, end in spots):
        return None
    return f"{lead} {put}"


@lru_cache(maxsize=256)
def _lead(question: str) -> str | None:
    """The words leading to where the question asks: 冒充 of "冒充什么身份", "pod of" of "a pod
    of which species"; None when the question has no such slot or the words are too plain."""
    chinese = bool(HAN_CHAR.search(question))
    for m in reversed(list(pack("zh" if chinese else "en").slot.finditer(question))):
        lead = _before(_norm(question[: m.start()]), chinese)
        if lead is not None:
            return lead
    return None


def _before(text: str, chinese: bool) -> str | None:
    """The last word of `text` (with the one before it, if it is a function word: "pod of");
    None when punctuation ends it ("Under the new policy, what share": nothing leads there)."""
    if not text.strip() or not text.rstrip()[-1].isalnum():
        return None
    if chinese:
        words = [p.word for p in pos_tagger().cut(text) if p.word.strip()]
        last = words[-1] if words else ""
        plain = len(last) < 2 or not HAN_CHAR.match(last) or last in pack("zh").function_words
        return None if plain else last
    words = _WORD.findall(text)
    function = pack("en").function_words
    if not words:
        return None
    if words[-1] not in function:
        return words[-1]
    if len(words) >= 2 and words[-2] not in function:  # "pod of", "contract with"
        return f"{words[-2]} {words[-1]}"
    return None


def _first_word(text: str, chinese: bool) -> str | None:
    """The first word after the leading words, unless it is a figure or a function word."""
    window = WINDOW["zh" if chinese else "en"]
    if chinese:
        words = [p.word for p in pos_tagger().cut(text[:window]) if p.word.strip()]
        function = pack("zh").function_words
    else:
        words = _WORD.findall(text[:window])
        function = pack("en").function_words
    for word in words:
        if word in function or (chinese and len(word) < 2):  # 的, 是, 成: not what is put there
            continue
        if any(ch.isdigit() for ch in word) or (chinese and not HAN_CHAR.match(word)):
            return None
        return word
    return None


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
