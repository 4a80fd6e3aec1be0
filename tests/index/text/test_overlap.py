"""Word overlap: the share of one text's keyword tokens another text has."""

from __future__ import annotations

import pytest

from index.text.overlap import word_overlap


def test_word_overlap__share_of_the_first_texts_words_in_the_second():
    assert word_overlap("Zhengzhou companies", "companies in Zhengzhou grew") == 1.0
    assert word_overlap("Zhengzhou companies grew", "companies") == pytest.approx(1 / 3)
    assert word_overlap("郑州短剧", "郑州的企业") > 0


def test_word_overlap__nothing_to_match_is_zero():
    assert word_overlap("", "anything") == 0.0
    assert word_overlap("the of", "the of") == 0.0  # stop words only
    assert word_overlap("Zhengzhou", "") == 0.0
