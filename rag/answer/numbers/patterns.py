"""The patterns of figures as written, and each match turned into the fields of a Quantity:
dates, 百分之…, 一半 / 半年, figures in digits or English words (with multipliers, units, ranges
and qualifiers), Chinese numerals. `rag.answer.numbers.quantities` runs them in that order, each on
the text the earlier ones left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from index.text.rules import HAN, YEAR_DIGITS
from rag.answer.numbers.numerals import cn_value, multiplier
from rag.answer.numbers.words import FigureWords, figure_words
from rag.lang import LANGS, one_of, pack

_LOWER_WORD = re.compile(r"\s*([a-z]+)")
_HAN_AFTER = re.compile(rf"\s*[{HAN}]")


@dataclass(frozen=True)
class Patterns:
    """The patterns of figures, built once from the language packs' words."""

    arabic: re.Pattern[str]  # digits or English number words, and all that goes with them
    cn_figure: re.Pattern[str]  # Chinese numerals
    cn_percent: re.Pattern[str]  # 百分之…
    half: re.Pattern[str]  # 一半, 半年
    date: re.Pattern[str]
    lone: frozenset[str]  # what follows a lone Chinese digit that is a figure (两家, 三倍)


@cache
def patterns() -> Patterns:
    words, zh = figure_words(), pack("zh").numbers
    big = "".join(words.big)
    cn_num = rf"[{words.numeral_chars}几]+(?:点[{''.join(zh.digits)}]+[{big}]*)?"
    pre, suf = _qualifiers()
    return Patterns(
        arabic=_arabic(words, pre, suf),
        cn_figure=re.compile(
            rf"(?P<pre>(?:{one_of((*zh.before, *zh.before_numerals))})\s*)?(?P<n>{cn_num})"
            rf"(?P<more>{one_of(zh.right_after)})?(?P<mul>[{big}]+)?"
            rf"(?P<unit>{_units(('zh',), words)})?{suf}"
        ),
        cn_percent=re.compile(rf"{pre}百分之(?P<n>{cn_num}|\d+(?:\.\d+)?){suf}"),
        half=re.compile(rf"{pre}(?:一半|半数|过半)|(?<![上下前后多])半(?=[年个天月小])"),
        date=_date(words),
        lone=frozenset((*zh.measure_words, *_unit_words(("zh",), "multiple", "tenths"), *big)),
    )


def _qualifiers() -> tuple[str, str]:
    """Qualifiers before a figure (约, about) and after it (左右 or 个左右, or more)."""
    zh, en = pack("zh").numbers, pack("en").numbers
    pre = rf"(?P<pre>(?:{one_of(zh.before)})\s*|\b(?:{one_of(en.before)})\s+)?"
    after = one_of(zh.after, unless=zh.not_figures)
    measure = "".join(zh.measure_words)
    after_en = one_of(en.after, end=r"\b")
    suf = rf"(?:\s*(?P<suf>[{measure}]?(?:{after})|{after_en}))?"
    return pre, suf


def _arabic(words: FigureWords, pre: str, suf: str) -> re.Pattern[str]:
    zh = pack("zh").numbers
    before = [w for lang in LANGS for c in pack(lang).currencies.values() for w in c.before]
    codes = [w for w in before if w.isascii() and w.isalpha()]  # "USD 5": a space may follow
    symbols = [w for w in before if w not in codes]
    cur = rf"(?:{one_of(symbols)}|(?:{one_of(codes)})\s*)"
    scales = one_of(words.scales, end=r"\b")
    mul = rf"[{''.join(words.small)}{''.join(words.big)}]+|{scales}"
    num = rf"\d+(?:,\d{{3}}(?!\d))*(?:\.\d+)?|(?:{one_of(words.number_words)})\b"
    more, more2 = one_of(zh.right_after), one_of(zh.after_scale)
    return re.compile(
        rf"(?<![A-Za-z0-9_.])(?P<between>\bbetween\s+)?{pre}(?P<cur>{cur})?(?P<a>{num})"
        rf"(?:\s*(?P<amul>{mul}))?(?P<apct>\s*%)?"
        rf"(?:(?P<conn>(?(between)\s+and\s+|(?:\s*[-–—~到至]\s*|\s+to\s+)))(?P<cur2>{cur})?"
        rf"(?P<b>{num}))?(?P<more>{more})?(?:\s*(?P<mul>{mul}))?(?P<more2>{more2})?"
        rf"(?:\s*(?P<unit>{_units(LANGS, words, 'percent', 'points', 'multiple')}))?{suf}"
        r"(?![A-Za-z0-9])",
        re.I,
    )


def _unit_words(langs: tuple[str, ...], *kinds: str) -> list[str]:
    return [w for lang in langs for k in kinds for w in pack(lang).numbers.units.get(k, ())]


def _units(langs: tuple[str, ...], words: FigureWords, *kinds: str) -> str:
    """The unit words (of `kinds`, all by default) and currency words after a figure, of the
    packs of `langs`: a unit word ends at a word boundary, one written as a Latin letter (3x)
    where no letter follows."""
    kinds = kinds or tuple(dict.fromkeys(k for lang in langs for k in pack(lang).numbers.units))
    found = _unit_words(langs, *kinds)
    found += [w for lang in langs for c in pack(lang).currencies.values() for w in c.after]
    letters = [w for w in found if len(w) == 1 and w.isascii() and w.isalpha()]
    spelled = one_of([w for w in found if w not in letters], end=r"\b", unless=words.not_figures)
    return "|".join(filter(None, (spelled, one_of(letters, end="(?![A-Za-z])"))))


def _date(words: FigureWords) -> re.Pattern[str]:
    """2025-09-24, 2025年7月, 7月24日, 24 July 2025, July 24, 2025, July 2025."""
    year, months = YEAR_DIGITS, one_of(words.month)
    return re.compile(
        rf"(?<![\d.])(?:(?P<y1>{year})[-/.](?P<m1>\d{{1,2}})[-/.](?P<d1>\d{{1,2}})(?!\d)"
        rf"|(?P<y2>{year})\s*年(?:\s*(?P<m2>\d{{1,2}})\s*月(?:\s*(?P<d2>\d{{1,2}})\s*[日号])?)?"
        rf"|(?P<m3>\d{{1,2}})\s*月(?:\s*(?P<d3>\d{{1,2}})\s*[日号])?"
        rf"|(?P<d5>\d{{1,2}})\s+(?P<mon5>{months})\.?\s+(?P<y5>{year})(?!\d)"
        rf"|\b(?P<mon>{months})\.?\s+(?:(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y4>{year}))?"
        rf"|(?P<y4b>{year}))(?!\d))"
    )


def approx_of(*words: str | None) -> str:
    """The first qualifier among `words`: `nearly` -> `<`, `多` -> `>`, none -> ``."""
    for word in words:
        if word:
            key = " ".join(word.casefold().split())
            qualifier = figure_words().qualifier
            return qualifier.get(key) or qualifier.get(key[1:], "")
    return ""


Fields = dict[str, object]


def _fields(m: re.Match[str], value: Decimal, kind: str, **more: object) -> Fields:
    return {"value": value, "kind": kind, "text": m.group(0).strip(), "start": m.start(), **more}


def date_figure(m: re.Match[str], text: str) -> list[Fields]:
    """2025-09-24, 2025年7月, 7月24日, July 2025, 24 July 2025 -> (year, month, day)."""
    g = m.groupdict()
    year = g["y1"] or g["y2"] or g["y4"] or g["y4b"] or g["y5"]
    month = g["m1"] or g["m2"] or g["m3"]
    name = g["mon"] or g["mon5"]
    day = g["d1"] or g["d2"] or g["d3"] or g["d4"] or g["d5"]
    parts = (
        int(year) if year else None,
        figure_words().month[name] if name else int(month) if month else None,
        int(day) if day else None,
    )
    if not (parts[1] is None or 1 <= parts[1] <= 12) or not (parts[2] is None or parts[2] <= 31):
        return []
    return [_fields(m, Decimal(parts[0] or 0), "date", date=parts)]


def cn_percent(m: re.Match[str], text: str) -> list[Fields]:
    """百分之二十 -> 20%."""
    n = m["n"]
    value, step = (Decimal(n), _step(n)) if n[0].isdigit() else cn_value(n)
    return [_fields(m, value, "percent", step=step, approx=approx_of(m["pre"], m["suf"]))]


def half_figure(m: re.Match[str], text: str) -> list[Fields]:
    """一半 / 半数 -> 50%, 过半 -> over 50%; 半年 -> 0.5 (of a year)."""
    word = m.group(0)
    if word == "半":
        return [_fields(m, Decimal("0.5"), "count", step=Decimal("0.5"))]
    approx = ">" if word.endswith("过半") else approx_of(m["pre"])
    return [_fields(m, Decimal(50), "percent", step=Decimal(10), approx=approx)]


def _step(raw: str) -> Decimal:
    """The place of the last digit: `504.4` -> 0.1, `5,000` -> 1."""
    _, _, decimals = raw.partition(".")
    return Decimal(1).scaleb(-len(decimals))


def _number(raw: str) -> tuple[Decimal, Decimal]:
    word = figure_words().number_words.get(raw.casefold())
    if word is not None:
        return Decimal(word), Decimal(1)
    raw = raw.replace(",", "")
    return Decimal(raw), _step(raw)


def _unit(word: str | None) -> tuple[str, str]:
    """(kind, currency) of a unit word: `%` -> percent, `亿元` -> count in CNY."""
    if not word:
        return "count", ""
    key = " ".join(word.casefold().split())
    words = figure_words()
    if key in words.currency:
        return "count", words.currency[key]
    return words.kind.get(key, "count"), ""


def arabic_figure(m: re.Match[str], text: str) -> list[Fields]:
    """Figures in digits or English words, with multipliers, units, ranges and qualifiers."""
    if text[max(m.start() - 1, 0) : m.start()] == "第":
        return []  # 第43期: an ordinal label
    a, a_step = _number(m["a"])
    kind, currency = _unit(m["unit"])
    kind = "percent" if m["apct"] else kind
    currency = currency or _currency(m["cur"]) or _currency(m["cur2"])
    approx = approx_of(m["pre"], m["more"], m["more2"], m["suf"])
    if not m["b"]:
        if _is_year(m, text, currency, kind, approx):
            return [_fields(m, a, "date", date=(int(a), None, None))]
        scale = Decimal(multiplier(m["amul"] or m["mul"] or ""))
        step = a_step * scale
        return [_fields(m, a * scale, kind, approx=approx, step=step, currency=currency)]
    scale = Decimal(multiplier(m["mul"])) if m["mul"] else Decimal(1)
    a_scale = Decimal(multiplier(m["amul"])) if m["amul"] else scale
    b, b_step = _number(m["b"])
    first = {"text": m.group(0)[: max(m.end("a"), m.end("amul"), m.end("apct")) - m.start()]}
    if _is_year(m, text, currency, kind, approx, "a") and 1900 <= b <= 2100 and "." not in m["b"]:
        return [_fields(m, a, "date", date=(int(a), None, None)) | first, _two(m, "b", b)]
    if m["conn"].strip() in ("to", "到", "至") and (m["apct"] or m["amul"]):
        one = _fields(m, a * a_scale, kind, step=a_step * a_scale, currency=currency) | first
        two = _fields(m, b * scale, kind, step=b_step * scale, currency=currency)
        return [one, two | _at(m, "b")]
    step = min(a_step * a_scale, b_step * scale)
    high = {"high": b * scale, "approx": approx, "currency": currency}
    return [_fields(m, a * a_scale, kind, step=step, **high)]


def _two(m: re.Match[str], group: str, year: Decimal) -> Fields:
    return _fields(m, year, "date", date=(int(year), None, None)) | _at(m, group)


def _at(m: re.Match[str], group: str) -> Fields:
    return {"text": m.group(0)[m.start(group) - m.start() :].strip(), "start": m.start(group)}


def _currency(word: str | None) -> str:
    return figure_words().currency.get(word.casefold().strip(), "") if word else ""


def _is_year(
    m: re.Match[str], text: str, currency: str, kind: str, approx: str, group: str = "a"
) -> bool:
    """A bare 1900..2100 with no unit, multiplier or qualifier that no counted noun follows:
    `in 2025,` is a year, `2000家` and `2000 companies` are counts."""
    raw = m[group]
    if currency or kind != "count" or approx or m["mul"] or m["amul"] or m["between"]:
        return False
    if not (raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100):
        return False
    end = m.end() if group == "b" or not m["b"] else m.end("a")
    if _HAN_AFTER.match(text, end):
        return False
    word = _LOWER_WORD.match(text, end)
    return not word or word.group(1) in figure_words().year_followers


def cn_figure(m: re.Match[str], text: str) -> list[Fields]:
    """Chinese numerals: 三千万, 一百二十, 近百部, 十几个 (over ten), 数百 / 几十万 (vague), 三成;
    a lone digit only before a measure word (两家, 三大), never 第一 or 十分."""
    n, pre, after = m["n"], m["pre"] or "", text[m.end() : m.end() + 1]
    approx = approx_of(pre, m["more"], m["suf"])
    if text[max(m.start() - 1, 0) : m.start()] == "第" or not _counts(m, n, pre, after):
        return []
    if "几" in n:
        approx = "?" if n.startswith("几") else ">"
        n = n.replace("几", "一") if n.startswith("几") else n.replace("几", "")
    value, step = cn_value(n + (m["mul"] or ""))
    kind, currency = _unit(m["unit"])
    if kind == "tenths":  # 三成: three tenths
        kind, value, step = "percent", value * 10, step * 10
    return [_fields(m, value, kind, approx=approx, step=step, currency=currency)]


def _counts(m: re.Match[str], n: str, pre: str, after: str) -> bool:
    if n.startswith("几") or n.endswith("几"):
        return len(n) > 1
    words = figure_words()
    if not any(ch in words.small or ch in words.big for ch in n):
        lone = len(n) == 1 and (n != "一" or bool(m["unit"]))
        return lone and (bool(m["unit"] or m["mul"]) or after in patterns().lone)
    if n[0] in words.hundred_up and not pre.strip():
        return False  # 百度, 千万不要, 万一, 亿万: words, not figures
    return n + after not in words.not_figures and not (n == "十" and not after)  # 十分, 十足
