"""Number words to values: Chinese numerals (三千万, 一百二十, 一万五, 二点五亿) and English
number words (two .. ninety). Each value comes with its step, the place of the last digit shown
(三千万 -> 10,000,000; 一百二十 -> 10), which is how finely the writer rounded.
"""

from __future__ import annotations

from decimal import Decimal

from rag.answer.numbers.words import figure_words


def multiplier(word: str) -> int:
    """`million` -> 10**6; `千万` -> 10**7 (Chinese unit characters multiply: 万亿 -> 10**12)."""
    words = figure_words()
    word = word.casefold().strip()
    if word in words.scales:
        return words.scales[word]
    out = 1
    for ch in word:
        out *= words.small.get(ch) or words.big[ch]
    return out


def cn_value(text: str) -> tuple[Decimal, Decimal]:
    """(value, step) of a Chinese numeral: `三千万` -> (30000000, 10000000), `一点五亿` ->
    (150000000, 10000000). Raises KeyError on a character that is no numeral."""
    if "点" not in text:
        whole_value, whole_step = _cn_integer(text)
        return Decimal(whole_value), Decimal(whole_step)
    words = figure_words()
    whole, _, rest = text.partition("点")
    digits = rest.rstrip("".join(words.big))
    scale = Decimal(multiplier(rest[len(digits) :]))
    fraction = Decimal("0." + "".join(str(words.digits[ch]) for ch in digits))
    value = (Decimal(_cn_integer(whole)[0]) if whole else Decimal(0)) + fraction
    return value * scale, Decimal(1).scaleb(-len(digits)) * scale


def _cn_integer(text: str) -> tuple[int, int]:
    """一百零五 -> (105, 1); 一万五 (colloquial 15,000) -> (15000, 1000); 十 -> (10, 10)."""
    words = figure_words()
    high = wan = cur = 0  # above 亿, the 万 section, below 万
    step, pending, prev_unit = 1, None, 0
    for ch in text:
        if ch in words.digits:
            pending = words.digits[ch]
            prev_unit = prev_unit if pending else 0  # 零 ends the colloquial shorthand
        elif ch in words.small:
            unit = words.small[ch]
            cur += (1 if pending is None else pending) * unit
            step, pending, prev_unit = unit, None, unit
        else:
            unit = words.big[ch]
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
        shorthand = prev_unit >= 100 and text[-2:-1] in words.hundred_up
        place = prev_unit // 10 if shorthand else 1
        cur, step = cur + pending * place, place
    return high + wan + cur, step
