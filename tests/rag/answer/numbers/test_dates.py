"""Relative years made absolute by the report's publication year, for the figure checks."""

from __future__ import annotations

from datetime import datetime

import pytest

from rag.answer.numbers.dates import absolute_years
from rag.answer.numbers.quantities import quantities, supported
from tests.rag.answer.checking import checked

PUBLISHED = datetime(2025, 10, 3, 2, 9)


@pytest.mark.parametrize(
    ("text", "absolute"),
    [
        ("696 million by July this year", "696 million by July 2025"),
        ("to exceed 500 billion yuan this year", "to exceed 500 billion yuan this year (2025)"),
        ("building on last year's figures", "building on last year (2024)'s figures"),
        ("截至今年7月，用户达6.96亿，去年为6.62亿", "截至2025年7月，用户达6.96亿，2024年为6.62亿"),
        ("明年有望突破千亿，前年仅为373.9亿", "2026年有望突破千亿，2023年仅为373.9亿"),
    ],
)
def test_absolute_years__relative_years_given_as_the_publication_year_makes_them(text, absolute):
    assert absolute_years(text, PUBLISHED) == absolute


def test_absolute_years__without_a_publication_date_the_text_is_as_written():
    assert absolute_years("by July this year", None) == "by July this year"


def test_a_claimed_month_and_year_is_the_sources_month_of_this_year():
    (_, july) = quantities("China had 696 million users by July 2025.")
    source = "Cailian Press\nThe user base reached 696 million by July this year."
    assert not supported(july, quantities(source))
    assert supported(july, quantities(absolute_years(source, PUBLISHED)))
    (_, wrong) = quantities("China had 696 million users by July 2024.")
    assert not supported(wrong, quantities(absolute_years(source, PUBLISHED)))


def test_checks__an_answer_dating_this_year_is_kept_when_the_source_was_published_then():
    source = absolute_years(
        "财联社\nThe user base reached 696 million by July this year.", PUBLISHED
    )
    shown = checked("China had 696 million users by July 2025 [1].", [source], "en")
    assert shown.text == "China had 696 million users by July 2025 [1]."
    assert shown.notices == []
