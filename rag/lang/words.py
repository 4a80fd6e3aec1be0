"""What a language pack holds: `LanguagePack` and its parts, plain records of words (read by
`rag.lang.load_file`, the only reader of the pack files)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ConflictWords:
    differ: str  # the lead of a line giving disagreeing sources' figures
    listed: str  # ...of one giving each source's figure, asked for
    separator: str
    end: str
    agree: re.Pattern[str]  # "the reports agree": untrue once a disagreement is found
    denied: re.Pattern[str]  # ...unless denied ("do not agree")
    rise: re.Pattern[str]  # words right before a figure saying it went up ("增长3.1%", "rose 5%")
    fall: re.Pattern[str]  # ...down ("下降16.8%", "fell 8.3%")


@dataclass(frozen=True)
class FollowUpWords:
    """The words of follow-ups ("And Xi'an?", "那西安呢？", "它们…"): rag/answer/condense.py."""

    leads: tuple[str, ...]  # and / what about / 那么: the question goes on from the last one
    prepositions: tuple[str, ...]  # "How about in 2024?"
    trailing: tuple[str, ...]  # after the one thing an elliptical follow-up names ("instead")
    endings: tuple[str, ...]  # a follow-up's last word ("呢")
    pronouns: str  # a regular expression: words standing for the last question's subject
    possessives: tuple[str, ...]  # those of them written "<subject>'s"
    of_which: str  # "其中" opening a question: of what the last question asked about
    expletive: str  # a regular expression: "it" standing for nothing ("it takes ... to")
    auxiliaries: tuple[str, ...]  # ahead of a question's subject, a verb after it
    copulas: tuple[str, ...]  # ahead of a subject that may run to the end
    subject_ends: tuple[str, ...]  # words after a question's subject
    articles: tuple[str, ...]  # words before it that are no part of it
    verb_endings: tuple[str, ...]  # of a subject's last word that is a verb ("expected")
    label: str  # what a small model may write before its rewrite ("standalone question:")


@dataclass(frozen=True)
class NumberWords:
    """The words of figures: rag/answer/numbers/."""

    before: tuple[str, ...]  # qualifiers before a figure ("about", 约)
    before_numerals: tuple[str, ...]  # ...before a Chinese numeral only (上百, 数百)
    after: tuple[str, ...]  # qualifiers after a figure ("or more", 左右)
    right_after: tuple[str, ...]  # ...right after its digits (800多, 10来个)
    after_scale: tuple[str, ...]  # ...after its scale word (3万多)
    qualifiers: dict[str, str]  # qualifier -> what it makes of a figure: ~ > < ?
    words: dict[str, int]  # number words: "two" -> 2
    digits: dict[str, int]  # digit characters: 一 -> 1
    counting: dict[str, int]  # digits before a measure word or scale only: 两 -> 2
    multipliers: dict[str, int]  # characters that multiply: 千 -> 1000, 万 -> 10000
    scales: dict[str, int]  # scale words: "million" -> 10**6
    abbreviations: dict[str, int]  # ...abbreviated ("bn"): read, never rewritten
    written_scales: tuple[str, ...]  # how an amount is written, largest first: 万亿, 亿, 万
    measure_words: tuple[str, ...]  # after a lone Chinese digit, a count (两家)
    not_figures: tuple[str, ...]  # words that start with a qualifier or unit (上下游, 成本)
    units: dict[str, tuple[str, ...]]  # kind (percent, points, multiple, tenths) -> words
    year_followers: frozenset[str]  # words after which a bare 1900..2100 is a year


@dataclass(frozen=True)
class Currency:
    before: tuple[str, ...]  # written before a figure: US$, ¥
    after: tuple[str, ...]  # ...after it, the way this language writes it first: yuan, 元


@dataclass(frozen=True)
class YearWords:
    written: str  # how a relative year is written as an absolute one: "{said} ({year})"
    relative: dict[str, int]  # "last year" -> -1: from the year the text was written


@dataclass(frozen=True)
class CountingWords:
    """How a question says what its figure counts (rag.question.counts)."""

    currency: re.Pattern[str]  # an amount of money: 多少亿元, how much money
    percent: re.Pattern[str]  # a share: 百分之几, what percentage
    noun: re.Pattern[str]  # the noun after the question word, in the group "noun"


@dataclass(frozen=True)
class PeriodWords:
    """How a text names a part of a year (rag/answer/numbers/periods.py): patterns whose groups
    `a` and `b` are its first and last month (a number, a numeral or a month's name)."""

    spans: tuple[re.Pattern[str], ...]  # 1至6月份, January to June; 前7个月 (b only: from 1)
    months: tuple[re.Pattern[str], ...]  # 6月份, in June (a only)
    named: dict[str, tuple[str, ...]]  # "1-6" -> 上半年, first half
    compared: re.Pattern[str]  # right before a period: it is what a figure is compared with


@dataclass(frozen=True)
class PageWords:
    title: str  # a collection's page title, from its name: "{name}"
    example: str  # an example question about a document, from its title: "{title}"


@dataclass(frozen=True)
class LanguagePack:
    lang: str
    source: str  # the file it was read from
    name: str  # how the answer prompt names the language
    conflicts: ConflictWords
    counted: dict[str, tuple[str, ...]]  # what a count counts, by the noun after it
    aliases: dict[str, tuple[str, ...]]  # how the language names a place besides its name (我国)
    phrase_ends: frozenset[str]  # words that end an English noun phrase
    function_words: frozenset[str]  # question and function words: never part of a name
    proper_noun_tags: frozenset[str]  # jieba's tags of proper nouns (Chinese)
    place_tags: frozenset[str]  # ...of places
    subject_end_tags: frozenset[str]  # ...of words after a question's subject
    asking_tags: frozenset[str]  # ...of question pronouns (哪)
    measure_tags: frozenset[str]  # ...of measure words (座)
    conjunctions: tuple[str, ...]  # between two citation markers ("[1] and [1]")
    question_words: tuple[str, ...]  # words that ask (how, 多少)
    each_source: re.Pattern[str]  # the question asks for each source's figure
    dated: re.Pattern[str]  # where a question says when it was asked: "(as of 2022-12-10)"
    slot: re.Pattern[str]  # the words standing where the answer goes: "a pod of which species"
    adjective_suffixes: tuple[str, ...]  # English, European: capitalised, yet no names
    time_words: re.Pattern[str]  # words that place a date in time ("截至...末", "as of")
    asks: dict[str, re.Pattern[str]]  # question words by the kind of answer they ask for
    page: PageWords  # what the page says of a collection whose profile names nothing
    counting: CountingWords  # what a question's figure counts
    periods: PeriodWords  # the parts of a year a figure is of
    part_missing: str  # the line naming a part of a question no sentence answers: "{part}"
    refusal_phrasings: re.Pattern[str]  # "the sources do not mention it", in other words
    orders: str  # a regular expression: text giving orders to an AI assistant
    follow_ups: FollowUpWords
    months: dict[int, tuple[str, ...]]  # month -> its names, the full name first
    years: YearWords
    numbers: NumberWords
    currencies: dict[str, Currency]  # by code: CNY, USD, HKD
    metrics: dict[str, tuple[str, ...]]  # synonym groups by key, joined across packs
    roles: dict[str, tuple[str, ...]]  # the same, of people's roles (CEO)

    @property
    def month_names(self) -> tuple[str, ...]:
        """The months' full names, January first."""
        return tuple(names[0] for _, names in sorted(self.months.items()))
