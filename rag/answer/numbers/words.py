"""The words of figures, from the language packs (`rag.lang`), read once at first use: qualifiers,
units, currencies, scale words, number words, Chinese digits and multipliers, months. The number
readers (`patterns.py`, `numerals.py`), the relative years (`dates.py`) and the Chinese amounts
(`rag.answer.localise`) all read them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rag.lang import LANGS, pack


@dataclass(frozen=True)
class FigureWords:
    qualifier: dict[str, str]  # qualifier (casefolded) -> ~ > < ?
    currency: dict[str, str]  # currency word or symbol (casefolded) -> its code
    kind: dict[str, str]  # unit word (casefolded) -> percent, points, multiple or tenths
    month: dict[str, int]  # a month's name or abbreviation -> its number
    months: tuple[str, ...]  # the months' full names
    digits: dict[str, int]  # Chinese digits, 两 included
    small: dict[str, int]  # Chinese multipliers below 万: 十 百 千
    big: dict[str, int]  # ...from 万 up: 万 亿
    number_words: dict[str, int]  # "two" -> 2
    scales: dict[str, int]  # "million" -> 10**6, abbreviations ("bn") included
    year_followers: frozenset[str]
    not_figures: frozenset[str]  # words that start like a figure: 十分, 上下游, 成本

    @property
    def numeral_chars(self) -> str:
        """Every character of a Chinese numeral: digits and multipliers."""
        return "".join(self.digits) + "".join(self.small) + "".join(self.big)

    @property
    def hundred_up(self) -> str:
        """The multipliers of a hundred and more (百 千 万 亿)."""
        return "".join(ch for ch, value in {**self.small, **self.big}.items() if value >= 100)


@cache
def figure_words() -> FigureWords:
    packs = [pack(lang) for lang in LANGS]
    numbers = [p.numbers for p in packs]
    multipliers = {ch: v for n in numbers for ch, v in n.multipliers.items()}
    months = [(number, names) for p in packs for number, names in p.months.items()]
    return FigureWords(
        qualifier={w.casefold(): mark for n in numbers for w, mark in n.qualifiers.items()},
        currency={
            word.casefold(): code
            for p in packs
            for code, currency in p.currencies.items()
            for word in (*currency.before, *currency.after)
        },
        kind={w.casefold(): kind for n in numbers for kind, ws in n.units.items() for w in ws},
        month={name: number for number, names in months for name in names},
        months=tuple(name for p in packs for name in p.month_names),
        digits={ch: v for n in numbers for ch, v in {**n.digits, **n.counting}.items()},
        small={ch: v for ch, v in multipliers.items() if v < 10**4},
        big={ch: v for ch, v in multipliers.items() if v >= 10**4},
        number_words={w.casefold(): v for n in numbers for w, v in n.words.items()},
        scales={
            w.casefold(): v for n in numbers for w, v in {**n.scales, **n.abbreviations}.items()
        },
        year_followers=frozenset(w for n in numbers for w in n.year_followers),
        not_figures=frozenset(w for n in numbers for w in n.not_figures),
    )


def chinese_currency(code: str) -> str:
    """How a Chinese text writes a currency after a figure: CNY -> 元, USD -> 美元."""
    currency = pack("zh").currencies.get(code)
    return currency.after[0] if currency else ""
