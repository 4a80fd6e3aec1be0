"""Number words to values: Chinese numerals (三千万, 一百二十, 一万五, 二点五亿) and English
number words (two .. ninety). Each value comes with its step, the place of the last digit shown
(三千万 -> 10,000,000; 一百二十 -> 10), which is how finely the writer rounded.
"""

from __future__ import annotations

from decimal import Decimal

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_NUMERAL = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

EN_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

# English and Chinese multipliers written after a number: 5 million, 504.4亿, 1.2万亿, 3千万.
EN_MULTIPLIERS = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}


def multiplier(word: str) -> int:
    """`million` -> 10**6; `千万` -> 10**7 (Chinese unit characters multiply: 万亿 -> 10**12)."""
    word = word.casefold().strip()
    if word in EN_MULTIPLIERS:
        return EN_MULTIPLIERS[word]
    out = 1
    for ch in word:
        out *= CN_SMALL.get(ch) or CN_BIG[ch]
    return out


def cn_value(text: str) -> tuple[Decimal, Decimal]:
    """(value, step) of a Chinese numeral: `三千万` -> (30000000, 10000000), `一点五亿` ->
    (150000000, 10000000). Raises KeyError on a character that is no numeral."""
    if "点" not in text:
        whole_value, whole_step = _cn_integer(text)
        return Decimal(whole_value), Decimal(whole_step)
    whole, _, rest = text.partition("点")
    digits = rest.rstrip("万亿")
    scale = Decimal(multiplier(rest[len(digits) :]))
    fraction = Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in digits))
    value = (Decimal(_cn_integer(whole)[0]) if whole else Decimal(0)) + fraction
    return value * scale, Decimal(1).scaleb(-len(digits)) * scale


def _cn_integer(text: str) -> tuple[int, int]:
    """一百零五 -> (105, 1); 一万五 (colloquial 15,000) -> (15000, 1000); 十 -> (10, 10)."""
    high = wan = cur = 0  # above 亿, the 万 section, below 万
    step, pending, prev_unit = 1, None, 0
    for ch in text:
        if ch in CN_DIGITS:
            pending = CN_DIGITS[ch]
            prev_unit = prev_unit if pending else 0  # 零 ends the colloquial shorthand
        elif ch in CN_SMALL:
            unit = CN_SMALL[ch]
            cur += (1 if pending is None else pending) * unit
            step, pending, prev_unit = unit, None, unit
        else:
            unit = CN_BIG[ch]
            if pending:
                cur, step = cur + pending, 1
            elif pending is None and not (high or wan or cur):
                cur = 1  # 近万: a bare unit is one of it
            if unit == 10**4:
                wan = (wan + cur) * unit
            else:
                high, wan = (high + wan + cur) * unit, 0
            cur, pending, step, prev_unit = 0, None, step * unit, unit
    if pending:
        shorthand = prev_unit >= 100 and text[-2:-1] in "百千万亿"
        place = prev_unit // 10 if shorthand else 1
        cur, step = cur + pending * place, place
    return high + wan + cur, step
