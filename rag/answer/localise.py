"""English amounts and names in a Chinese answer, written the Chinese way: a small model copying
an English passage writes "用户充值超过了50 million yuan" and "盛典在Yantai举行"; the reader sees
"用户充值超过了5000万元" and "盛典在烟台举行".

Only the number, its scale word and its currency change; the value is the same, so the figure
checks (quantities.py) find it supported exactly as before. Names come from the corpus's name
table (rag/corpus/names.py), so only names it knows in both languages are written in Chinese.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from index.text.rules import HAN_CHAR
from rag.answer.numbers.numerals import multiplier
from rag.answer.numbers.words import chinese_currency, figure_words
from rag.corpus.names import NameTable, name_key
from rag.lang import one_of, pack


@cache
def _amount() -> re.Pattern[str]:
    """A number, a scale word (not its abbreviation: "4k" is no amount) and a currency word.
    ASCII look-arounds: \\b and \\w count Chinese characters as word characters."""
    en = pack("en")
    currencies = [w for c in en.currencies.values() for w in c.after]
    return re.compile(
        rf"(?<![A-Za-z0-9.])(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?\s*({one_of(en.numbers.scales)})"
        rf"(?![A-Za-z])(?:\s*({one_of(currencies)})(?![A-Za-z]))?",
        re.I,
    )


@cache
def _written_scales() -> tuple[tuple[Decimal, str], ...]:
    """How Chinese writes large amounts, largest first: (10**12, 万亿), (10**8, 亿), (10**4, 万)."""
    return tuple((Decimal(multiplier(s)), s) for s in pack("zh").numbers.written_scales)


def chinese_amounts(text: str) -> str:
    """`text` with each "<number> thousand|million|billion|trillion [yuan|dollars]" written in
    万/亿/万亿 (and 元/美元): "37.39 billion yuan" -> "373.9亿元", "50 million" -> "5000万"."""
    return _amount().sub(_chinese, text)


def _chinese(m: re.Match[str]) -> str:
    words = figure_words()
    value = Decimal(m[1].replace(",", "") + (m[2] or "")) * words.scales[m[3].casefold()]
    code = words.currency.get(" ".join((m[4] or "").casefold().split()), "")
    currency = chinese_currency(code) if code else ""
    for size, unit in _written_scales():
        if value >= size:
            return f"{_plain(value / size)}{unit}{currency}"
    return f"{_plain(value)}{currency}"


def _plain(value: Decimal) -> str:
    """A decimal as written by hand: no exponent, no trailing zeros (5.000E+3 -> 5000)."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def chinese_names(text: str, names: NameTable) -> str:
    """`text` with the English names the table knows in Chinese written in Chinese ("在Yantai
    举行" -> "在烟台举行"); generic words and short abbreviations (AI, CMG) left as written."""
    out, last = [], 0
    for span in names.mentioned(text):
        chinese = span.names[0]
        if (
            HAN_CHAR.search(span.text)
            or not HAN_CHAR.search(chinese)
            or names.is_generic(span.text)
            or len(name_key(span.text)) <= 3
        ):
            continue
        before = text[last : span.start]
        if before.endswith(" ") and HAN_CHAR.match(before.rstrip()[-1:] or "a"):
            before = before.rstrip(" ")  # "在 Yantai" -> "在烟台"
        out += [before, chinese]
        last = span.end
        if text[last : last + 1] == " " and HAN_CHAR.match(text[last + 1 : last + 2] or "a"):
            last += 1
    return "".join(out) + text[last:]
