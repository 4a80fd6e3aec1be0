"""The shared text rules: Han characters, language, sentences, markers, numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.text.rules import (
    HAN_CHAR,
    MARKER,
    WIDE_CHAR,
    clauses,
    clean_prose,
    detect_lang,
    drop_thousands,
    join_clauses,
    split_sentences,
    strip_markers,
)

# Answers and prose as the stages meet them: sentences in both languages, markers, stray text.
_PIECES = st.one_of(
    st.sampled_from(
        [
            "Users reached 696 million [4].",
            " [1][2] ",
            "市场规模50亿元。",
            "[3]",
            "\n",
            'He said: "fine." ',
            "U.S. market. ",
            "他说：“很好。”",
            "[[1]2]",
            "！？",
        ]
    ),
    st.text(max_size=20),
)
TEXT = st.lists(_PIECES, max_size=12).map("".join)


def _squash(text: str) -> str:
    return "".join(text.split())


# --- characters -------------------------------------------------------------------------------
@pytest.mark.parametrize("ch", ["中", "㐀", "鿿", "豈", "䶵"])  # unified, Ext A, compatibility
def test_han_char__covers_ext_a_unified_and_compatibility_ideographs(ch):
    assert HAN_CHAR.fullmatch(ch) and WIDE_CHAR.fullmatch(ch)


@pytest.mark.parametrize("ch", ["a", "1", "。", "，", "ｶ", "ー", "한"])
def test_han_char__not_latin_kana_hangul_or_punctuation(ch):
    assert not HAN_CHAR.fullmatch(ch)


def test_wide_char__han_and_cjk_punctuation_but_not_latin():
    assert all(WIDE_CHAR.fullmatch(ch) for ch in "中。，（）　")
    assert not any(WIDE_CHAR.fullmatch(ch) for ch in "a.,() ")


# --- language ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("郑州每天大约开机多少部短剧？", "zh"),
        ("那西安呢？", "zh"),
        ("How many users did China have?", "en"),
        ("据人民日报海外版，中国有多少家微短剧相关企业？", "zh"),
        ("微短剧用户规模达6.62亿", "zh"),
    ],
)
def test_detect_lang__questions_and_prose(text, lang):
    assert detect_lang(text) == lang


def test_detect_lang__an_english_question_naming_a_chinese_app_is_english():
    assert detect_lang("What is 红果?") == "en"
    assert detect_lang("The micro-short drama market 红果 grew fast") == "en"


def test_detect_lang__han_counted_two_to_a_word():
    assert detect_lang("红果短剧 app") == "zh"  # 4 Han = 2 words >= 1 Latin word
    assert detect_lang("红果 app users") == "en"  # 2 Han = 1 word < 2 Latin words


def test_detect_lang__no_han_is_english():
    assert detect_lang("") == "en"
    assert detect_lang("2024, 50%") == "en"


# --- prose ------------------------------------------------------------------------------------
def test_clean_prose__drops_wrap_spaces_between_han_only():
    assert clean_prose("新华 社  报道， 微短剧 market  grew") == "新华社报道，微短剧 market grew"


# --- sentences --------------------------------------------------------------------------------
def test_split_sentences__chinese_and_english_ends_with_closing_quotes():
    text = '他说:"很好。"然后离开。Prices rose 2.5% in the U.S. market. Then fell!'
    assert split_sentences(text) == [
        '他说:"很好。"',
        "然后离开。",
        "Prices rose 2.5% in the U.S. market.",
        "Then fell!",
    ]


def test_split_sentences__keeps_trailing_markers():
    assert split_sentences("It grew 10%. [1] Then it fell [2]。好") == [
        "It grew 10%.[1]",
        "Then it fell [2]。",
        "好",
    ]
    assert split_sentences("市场扩大。[3][4]用户增加。") == ["市场扩大。[3][4]", "用户增加。"]


def test_split_sentences__splits_at_line_breaks():
    assert split_sentences("Intro line\n- first point [1]\n\n- second") == [
        "Intro line",
        "- first point [1]",
        "- second",
    ]
    assert split_sentences("It grew.\n[1] Next") == ["It grew.[1]", "Next"]


def test_split_sentences__no_end_before_a_lowercase_word_or_inside_a_number():
    assert split_sentences("In 2024. the U.S. share was 2.5 percent. Fine") == [
        "In 2024. the U.S. share was 2.5 percent.",
        "Fine",
    ]


def test_split_sentences__leading_markers_with_nothing_before_stay():
    assert split_sentences("[1] Users grew.") == ["[1] Users grew."]
    assert split_sentences("  \n ") == []


@given(TEXT)
def test_split_sentences__joined_back_keeps_every_non_space_character(text):
    assert _squash("".join(split_sentences(text))) == _squash(text)


@given(TEXT)
def test_split_sentences__pieces_are_stripped_and_on_one_line(text):
    for sentence in split_sentences(text):
        assert sentence and sentence == sentence.strip() and "\n" not in sentence


# --- markers ----------------------------------------------------------------------------------
def test_strip_markers__no_space_left_before_punctuation():
    assert strip_markers("rose 20% [4][5].  Next   [6], then") == "rose 20%. Next, then"
    assert strip_markers("规模50亿元[1]。 [2]") == "规模50亿元。"


def test_strip_markers__keeps_line_breaks_and_other_brackets():
    assert strip_markers("- a [1]\n- b [2]") == "- a\n- b"
    assert strip_markers("[a] and [1a] stay") == "[a] and [1a] stay"


def test_strip_markers__markers_brought_together_by_stripping_go_too():
    assert strip_markers("x [[1]2] y") == "x y"


@given(TEXT)
def test_strip_markers__leaves_no_marker_and_is_idempotent(text):
    stripped = strip_markers(text)
    assert not MARKER.search(stripped)
    assert strip_markers(stripped) == stripped


@given(TEXT)
def test_strip_markers__keeps_all_other_non_space_characters(text):
    assert _squash(strip_markers(text)) == _squash(MARKER.sub("", _fixpoint(text)))


def _fixpoint(text: str) -> str:
    while (once := MARKER.sub("", text)) != text:
        text = once
    return text


def test_marker__captures_the_number():
    assert [m.group(1) for m in MARKER.finditer("a [12] b [3]")] == ["12", "3"]


# --- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("24,000 people", "24000 people"),
        ("1,234,567", "1234567"),
        ("1,5", "1,5"),
        ("2024,12", "2024,12"),
        ("a,000", "a,000"),
        ("12,3456", "12,3456"),
    ],
)
def test_drop_thousands__only_groups_of_three_digits(text, out):
    assert drop_thousands(text) == out


@pytest.mark.parametrize(
    ("sentence", "parts", "ending"),
    [
        ("A, b [1].", ["A,", " b"], " [1]."),
        ("郑州有800多家，占全国40%。[2]", ["郑州有800多家，", "占全国40%"], "。[2]"),
        ("No clause here", ["No clause here"], ""),
        ("Over 1,000 firms, 30,000 staff.", ["Over 1,000 firms,", " 30,000 staff"], "."),
    ],
)
def test_clauses__split_after_commas_with_the_ending_apart(sentence, parts, ending):
    assert clauses(sentence) == (parts, ending)
    assert join_clauses(parts, ending) == sentence
    assert join_clauses(parts[:1], ending) == parts[0].rstrip("，,") + ending


def test_split_sentences__abbreviations_and_initialisms_end_no_sentence():
    text = "She won the U.S. Open [1]. Dr. Smith met the No. 3 seed, e.g. Keys. Plan B. Done."
    assert split_sentences(text) == [
        "She won the U.S. Open [1].",
        "Dr. Smith met the No. 3 seed, e.g. Keys.",
        "Plan B.",
        "Done.",
    ]
