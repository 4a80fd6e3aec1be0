"""Figures with their units, in Chinese and English: what each text states, and which claims a
source's figures support."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rag.answer.numbers.quantities import quantities, source_figure, supported, unsupported


def _one(text: str):
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, value, kind, approx",
    [
        ("820", 820, "count", ""),
        ("700万", 7_000_000, "count", ""),
        ("nearly 700 million", 700_000_000, "count", "<"),
        ("50.44 billion", Decimal("50440000000"), "count", ""),
        ("5,000万", 50_000_000, "count", ""),
        ("1.2万亿", 1_200_000_000_000, "count", ""),
        ("3千万", 30_000_000, "count", ""),
        ("2 trillion", 2 * 10**12, "count", ""),
        ("10k", 10_000, "count", ""),
        ("三千万", 30_000_000, "count", ""),
        ("一百二十", 120, "count", ""),
        ("两家", 2, "count", ""),
        ("半年", Decimal("0.5"), "count", ""),
        ("十几个", 10, "count", ">"),
        ("数百家", 100, "count", "?"),
        ("近百部", 100, "count", "<"),
        ("上百部", 100, "count", ">"),
        ("约100部", 100, "count", "~"),
        ("超过820家", 820, "count", ">"),
        ("逾万人", 10_000, "count", ">"),
        ("100多部", 100, "count", ">"),
        ("20余万", 200_000, "count", ">"),
        ("100部左右", 100, "count", "~"),
        ("100万上下", 1_000_000, "count", "~"),
        ("about 5", 5, "count", "~"),
        ("around 100", 100, "count", "~"),
        ("over 100", 100, "count", ">"),
        ("more than 100", 100, "count", ">"),
        ("almost 100", 100, "count", "<"),
        ("roughly 100", 100, "count", "~"),
        ("up to 40 times", 40, "multiple", "<"),
        ("100+", 100, "count", ">"),
        ("two models", 2, "count", ""),
        ("30%", 30, "percent", ""),
        ("３０％", 30, "percent", ""),
        ("百分之二十", 20, "percent", ""),
        ("百分之五十五点五", Decimal("55.5"), "percent", ""),
        ("七成用户", 70, "percent", ""),
        ("一半", 50, "percent", ""),
        ("12 percent", 12, "percent", ""),
        ("3个百分点", 3, "points", ""),
        ("3 percentage points", 3, "points", ""),
        ("30倍", 30, "multiple", ""),
        ("5 times", 5, "multiple", ""),
        ("3x", 3, "multiple", ""),
        ("a 2-fold rise", 2, "multiple", ""),
    ],
)
def test_quantities__value_kind_and_qualifier(text, value, kind, approx):
    q = _one(text)
    assert (q.value, q.kind, q.approx) == (Decimal(value), kind, approx)


@pytest.mark.parametrize(
    "text, low, high, kind",
    [
        ("30到40倍", 30, 40, "multiple"),
        ("30至40倍", 30, 40, "multiple"),
        ("30-40倍", 30, 40, "multiple"),
        ("30-40 times", 30, 40, "multiple"),
        ("30–40%", 30, 40, "percent"),
        ("40%-60%", 40, 60, "percent"),
        ("between 30 and 40", 30, 40, "count"),
        ("30-40万", 300_000, 400_000, "count"),
        ("1亿-2亿", 10**8, 2 * 10**8, "count"),
        ("30 to 40 million", 30 * 10**6, 40 * 10**6, "count"),
    ],
)
def test_quantities__ranges(text, low, high, kind):
    q = _one(text)
    assert (q.value, q.high, q.kind) == (low, high, kind)


@pytest.mark.parametrize(
    "text, date",
    [
        ("2025年", (2025, None, None)),
        ("2025-09-24", (2025, 9, 24)),
        ("2025年7月", (2025, 7, None)),
        ("2025年7月24日", (2025, 7, 24)),
        ("7月24日", (None, 7, 24)),
        ("July 2025", (2025, 7, None)),
        ("July 24, 2025", (2025, 7, 24)),
        ("24 July 2025", (2025, 7, 24)),
        ("In 2025, the market grew", (2025, None, None)),
        ("２０２５年", (2025, None, None)),
    ],
)
def test_quantities__dates_stay_dates(text, date):
    q = _one(text)
    assert (q.kind, q.date) == ("date", date)


@pytest.mark.parametrize(
    "text, currency",
    [("50亿元", "CNY"), ("5 billion yuan", "CNY"), ("RMB 5 billion", "CNY"), ("¥5亿", "CNY")]
    + [("300万美元", "USD"), ("$3 million", "USD"), ("USD 3 million", "USD")],
)
def test_quantities__currency_is_a_unit(text, currency):
    q = _one(text)
    assert (q.kind, q.currency) == ("count", currency)


@pytest.mark.parametrize(
    "text",
    [
        "[12]",
        "see [1, 2]",
        "【3】",
        "十分重要",
        "第一",
        "第43期",
        "百度",
        "万一",
        "千万不要",
        "统一",
    ]
    + ["一二线城市", "5G", "v2.5", "Q3", "上半年"],
)
def test_quantities__markers_ordinals_and_words_are_no_figures(text):
    assert [q for q in quantities(text) if q.kind != "date"] == []


@pytest.mark.parametrize(
    "claim, source",
    [
        ("50亿", "5 billion"),
        ("5 billion", "50亿"),
        ("504.4亿", "50.44 billion"),
        ("50.44 billion", "504.4亿"),
        ("504亿", "504.4亿"),  # rounded the source's way, within the last digit shown
        ("505亿", "504.4亿"),
        ("7亿", "696 million"),
        ("about 700 million", "696 million"),
        ("近7亿", "nearly 700 million"),
        ("近百部", "近百部"),
        ("nearly 100", "近百部"),
        ("30到40倍", "30-40 times"),
        ("30-40 times", "30到40倍"),
        ("up to 40 times", "30到40倍"),
        ("百分之二十", "20%"),
        ("20%", "百分之二十"),
        ("三千万", "30 million"),
        ("30 million", "三千万"),
        ("820", "over 820"),  # the hedge dropped, the figure kept
        ("100", "around 100"),
        ("over 800", "逾800"),
        ("5 times", "5倍"),
        ("July 2025", "2025-07-24"),
        ("2025年", "July 2025"),
        ("5 billion", "50亿元"),  # no currency named: fits any
        ("数百家", "数百"),
        ("数百家", "500家"),  # a vague figure: the same order of magnitude
        ("24,000", "24000"),
    ],
)
def test_supported__same_quantity_in_other_words(claim, source):
    assert supported(_one(claim), quantities(source))


@pytest.mark.parametrize(
    "claim, source",
    [
        ("700万", "nearly 700 million"),
        ("about 700 million", "700万"),
        ("over 100", "近百部"),
        ("超过100部", "nearly 100"),
        ("近百部", "over 100"),
        ("约100%", "300%"),
        ("300%", "约100%"),
        ("20%", "20"),  # a percentage is no count
        ("20", "20%"),
        ("3 percentage points", "3%"),
        ("2025", "2025 companies"),  # a year never supports a count, nor a count a year
        ("2025家", "2025年"),
        ("2025 companies", "In 2025, revenue grew"),
        ("504.4亿", "504亿"),  # more precise than the source
        ("503亿", "504.4亿"),
        ("6.96 billion", "696 million"),
        ("30倍", "30%"),
        ("35 times", "30到40倍"),
        ("5 billion dollars", "50亿元"),  # another currency
        ("数百家", "50家"),
        ("500", "数百"),
    ],
)
def test_supported__a_different_quantity_is_not(claim, source):
    assert not supported(_one(claim), quantities(source))


def test_unsupported__lists_only_the_figures_no_source_states():
    sources = ["用户规模近7亿。", "市场规模504.4亿元，同比增长34.9%。"]
    found = unsupported("Nearly 700 million users; the market was 50.44 billion, up 40%.", sources)
    assert [q.text for q in found] == ["40%"]


def test_source_figure__the_sources_own_wording_of_the_nearest_figure():
    sources = ["Revenue: 50.44 billion yuan in 2024.", "用户规模近7亿，增长300%。"]
    assert source_figure(_one("504亿元"), sources) == "50.44 billion yuan"
    assert source_figure(_one("about 650 million"), sources) == "近7亿"
    assert source_figure(_one("30%"), sources) is None  # 300% is ten times as much
    assert source_figure(_one("700万"), sources) is None
    assert source_figure(_one("2024年"), sources) == "2024"


# --- properties -----------------------------------------------------------------------------
_CN_UNITS = {10**4: "万", 10**8: "亿", 10**12: "万亿"}
_EN_UNITS = {10**3: "thousand", 10**6: "million", 10**9: "billion", 10**12: "trillion"}


def _english(value: Decimal) -> str:
    scale = max((s for s in _EN_UNITS if value >= s), default=1)
    number = format((value / scale).normalize(), "f")
    return f"{number} {_EN_UNITS[scale]}" if scale > 1 else number


@given(n=st.integers(1, 99_999), places=st.integers(0, 2), scale=st.sampled_from(list(_CN_UNITS)))
def test_chinese_and_english_renderings__same_value_and_support_each_other(n, places, scale):
    value = Decimal(n).scaleb(-places) * scale
    chinese = _one(f"{format(Decimal(n).scaleb(-places), 'f')}{_CN_UNITS[scale]}")
    english = _one(_english(value))
    assert chinese.value == english.value == value
    assert supported(chinese, [english]) and supported(english, [chinese])


@given(
    n=st.integers(1, 10**6),
    scale=st.sampled_from(["", "万", "亿", " million", " billion", "%", "倍"]),
    factor=st.sampled_from([10, 10_000]),
    approx=st.sampled_from(["", "约", "近", "about ", "over "]),
)
def test_supported__a_value_ten_or_ten_thousand_times_off_never_is(n, scale, factor, approx):
    source = _one(f"{n}{scale}")
    assert not supported(_one(f"{approx}{n * factor}{scale}"), [source])
    assert not supported(_one(f"{approx}{n}{scale}"), [_one(f"{n * factor}{scale}")])


@given(n=st.integers(1000, 10**12), scale=st.sampled_from(["", "万", " million", "%"]))
def test_quantities__thousands_separators_do_not_change_the_value(n, scale):
    assume(scale or not 1900 <= n <= 2100)  # a bare 2025 is a year, 2,025 a count
    plain, grouped = _one(f"{n}{scale}"), _one(f"{n:,}{scale}")
    assert (plain.value, plain.kind) == (grouped.value, grouped.kind)
    assert supported(grouped, [plain]) and supported(plain, [grouped])


@given(n=st.integers(1, 10**6), scale=st.sampled_from(["", "万", " billion", "%", "倍"]))
def test_quantities__full_width_digits_read_as_ascii(n, scale):
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in str(n))
    assert _one(f"{wide}{scale}").value == _one(f"{n}{scale}").value


@given(year=st.integers(1990, 2099), n=st.integers(1990, 2099))
def test_supported__a_year_never_supports_a_count(year, n):
    assert not supported(_one(f"{n}家公司"), quantities(f"{year}年"))
    assert not supported(_one(f"{n} companies"), quantities(f"In {year}, revenue grew"))


def test_quantities__a_titles_digits_are_no_figure():
    assert [q.text for q in quantities("《家里家外2》上线后播放量超过10亿")] == ["超过10亿"]
