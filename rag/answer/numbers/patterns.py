"""The patterns of figures as written, and each match turned into the fields of a Quantity:
dates, 百分之…, 一半 / 半年, figures in digits or English words (with multipliers, units, ranges
and qualifiers), Chinese numerals. `rag.answer.numbers.quantities` runs them in that order, each on
the text the earlier ones left.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rag.answer.numbers.numerals import CN_NUMERAL, EN_WORDS, cn_value, multiplier

_QUALIFIERS = {
    "~": "大约|大概|约|左右|上下|来|about|around|approximately|roughly|some|an estimated|or so",
    ">": "超过|超|逾|多于|高于|以上|多|余|几|过|上|over|more than|above|at least|exceeding"
    "|upwards of|in excess of|or more|+",
    "<": "将近|接近|近|不到|不足|少于|低于|以下|以内|nearly|almost|close to|up to|less than"
    "|fewer than|under|below",
    "?": "数",
}
QUALIFIER = {w: mark for mark, words in _QUALIFIERS.items() for w in words.split("|")}
_EN_PRE = "an estimated|approximately|about|around|roughly|some|over|more than|above|at least"
_EN_PRE += "|exceeding|upwards of|in excess of|nearly|almost|close to|up to|less than|fewer than"
_EN_PRE += "|under|below"
_ZH_PRE = "大约|大概|约|超过|超|逾|多于|高于|将近|接近|近|不到|不足|少于|低于"
_MEASURE_CHARS = "个家部种条名位集天年月周项类大款只次场张份层轮季期届人"
_MEASURE = set(_MEASURE_CHARS + "倍成万亿")
MEASURE_WORDS = frozenset(_MEASURE_CHARS)  # what a Chinese count is counted in: 个, 家, 部
PRE = rf"(?P<pre>(?:{_ZH_PRE})\s*|\b(?:{_EN_PRE})\s+)?"
SUF = (
    rf"(?:\s*(?P<suf>[{_MEASURE_CHARS}]?(?:左右|上下(?!游)|以上|以下|以内)|or more\b|or so\b|\+))?"
)
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "dollar": "USD"}
_CURRENCY |= {"dollars": "USD", "¥": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY"}
_CURRENCY |= {"yuan": "CNY", "人民币": "CNY", "港元": "HKD", "hkd": "HKD"}
_CUR_PRE = r"(?:US\$|\$|¥|(?:USD|RMB|CNY|HKD)\s*)"
_UNIT = (
    r"%|percent\b|per cent\b|个百分点|百分点|percentage points?\b|pp\b|倍|times\b|-?fold\b"
    r"|x(?![A-Za-z])|×|港元|美元|人民币|元|yuan\b|RMB\b|CNY\b|USD\b|HKD\b|dollars?\b"
)
_KINDS = {"%": "percent", "percent": "percent", "per cent": "percent", "倍": "multiple"}
_KINDS |= {"times": "multiple", "fold": "multiple", "-fold": "multiple", "x": "multiple"}
_KINDS |= {"×": "multiple", "个百分点": "points", "百分点": "points", "pp": "points"}
_KINDS |= {"percentage point": "points", "percentage points": "points", "成": "percent"}
_MUL = r"[十百千万亿]+|thousand\b|million\b|billion\b|trillion\b|bn\b|mn\b|k\b"
_NUM = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|(?:" + "|".join(EN_WORDS) + r")\b"
ARABIC = re.compile(
    rf"(?<![A-Za-z0-9_.])(?P<between>\bbetween\s+)?{PRE}(?P<cur>{_CUR_PRE})?(?P<a>{_NUM})"
    rf"(?:\s*(?P<amul>{_MUL}))?(?P<apct>\s*%)?"
    rf"(?:(?P<conn>(?(between)\s+and\s+|(?:\s*[-–—~到至]\s*|\s+to\s+)))(?P<cur2>{_CUR_PRE})?"
    rf"(?P<b>{_NUM}))?(?P<more>多|余|来)?(?:\s*(?P<mul>{_MUL}))?(?P<more2>多|余)?"
    rf"(?:\s*(?P<unit>{_UNIT}))?{SUF}(?![A-Za-z0-9])",
    re.I,
)
_CN_NUM = rf"[{CN_NUMERAL}几]+(?:点[零〇一二三四五六七八九]+[万亿]*)?"
CN_FIGURE = re.compile(
    rf"(?P<pre>(?:{_ZH_PRE}|上|数)\s*)?(?P<n>{_CN_NUM})(?P<more>多|余|来)?(?P<mul>[万亿]+)?"
    rf"(?P<unit>倍|成(?![为本员功长立果熟交绩就])|%|个百分点|百分点|港元|美元|人民币|元)?{SUF}"
)
CN_PERCENT = re.compile(rf"{PRE}百分之(?P<n>{_CN_NUM}|\d+(?:\.\d+)?){SUF}")
HALF = re.compile(rf"{PRE}(?:一半|半数|过半)|(?<![上下前后多])半(?=[年个天月小])")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November"
_MONTHS += "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_YEAR = r"(?:19|20)\d{2}"
DATE = re.compile(
    rf"(?<![\d.])(?:(?P<y1>{_YEAR})[-/.](?P<m1>\d{{1,2}})[-/.](?P<d1>\d{{1,2}})(?!\d)"
    rf"|(?P<y2>{_YEAR})\s*年(?:\s*(?P<m2>\d{{1,2}})\s*月(?:\s*(?P<d2>\d{{1,2}})\s*[日号])?)?"
    rf"|(?P<m3>\d{{1,2}})\s*月(?:\s*(?P<d3>\d{{1,2}})\s*[日号])?"
    rf"|(?P<d5>\d{{1,2}})\s+(?P<mon5>{_MONTHS})\.?\s+(?P<y5>{_YEAR})(?!\d)"
    rf"|\b(?P<mon>{_MONTHS})\.?\s+(?:(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y4>{_YEAR}))?"
    rf"|(?P<y4b>{_YEAR}))(?!\d))"
)
_MONTH_NUMBER = {name: i % 12 + 1 for i, name in enumerate(_MONTHS.split("|"))}
_MONTH_NUMBER |= {"Jun": 6, "Jul": 7, "Aug": 8, "Sept": 9, "Sep": 9, "Oct": 10, "Nov": 11}
_MONTH_NUMBER |= {"Dec": 12}
_YEAR_FOLLOWERS = {"the", "and", "or", "to", "in", "on", "at", "by", "for", "of", "from", "with"}
_YEAR_FOLLOWERS |= {"was", "were", "is", "are", "has", "had", "have", "saw", "when", "as", "vs"}
_YEAR_FOLLOWERS |= {"through", "compared", "onwards", "onward", "alone", "levels", "figures"}
_LOWER_WORD = re.compile(r"\s*([a-z]+)")
_HAN_AFTER = re.compile(r"\s*[\u4e00-\u9fff]")


def approx_of(*words: str | None) -> str:
    """The first qualifier among `words`: `nearly` -> `<`, `多` -> `>`, none -> ``."""
    for word in words:
        if word:
            key = " ".join(word.casefold().split())
            return QUALIFIER.get(key) or QUALIFIER.get(key[1:], "")
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
        _MONTH_NUMBER[name] if name else int(month) if month else None,
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
    word = EN_WORDS.get(raw.casefold())
    if word is not None:
        return Decimal(word), Decimal(1)
    raw = raw.replace(",", "")
    return Decimal(raw), _step(raw)


def _unit(word: str | None) -> tuple[str, str]:
    """(kind, currency) of a unit word: `%` -> percent, `亿元` -> count in CNY."""
    if not word:
        return "count", ""
    key = " ".join(word.casefold().split())
    if key in _CURRENCY:
        return "count", _CURRENCY[key]
    return _KINDS.get(key, "count"), ""


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
    return _CURRENCY.get(word.casefold().strip(), "") if word else ""


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
    return not word or word.group(1) in _YEAR_FOLLOWERS


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
    if m["unit"] and m["unit"].startswith("成"):
        value, step = value * 10, step * 10
    return [_fields(m, value, kind, approx=approx, step=step, currency=currency)]


def _counts(m: re.Match[str], n: str, pre: str, after: str) -> bool:
    if n.startswith("几") or n.endswith("几"):
        return len(n) > 1
    if not any(ch in n for ch in "十百千万亿"):
        lone = len(n) == 1 and (n != "一" or bool(m["unit"]))
        return lone and (bool(m["unit"] or m["mul"]) or after in _MEASURE)
    if n[0] in "百千万亿" and not pre.strip():
        return False  # 百度, 千万不要, 万一, 亿万: words, not figures
    return not (n == "十" and after in "分足")
