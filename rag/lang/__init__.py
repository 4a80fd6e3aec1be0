"""Language packs: the words the language rules read, one file per language (`zh.toml`,
`en.toml` beside this module), loaded once, at first use.

`pack(lang)` returns the `LanguagePack` of a language (`words.py`): scale words, currencies,
months, relative years, qualifiers, units, number words and digits, counted nouns, question,
function and follow-up words, metrics and roles, the leads of the sources' figures lines, the
phrasings that say the sources agree, that they lack an answer or that give an assistant orders.
`groups(section)` joins a section's synonym groups (metrics, roles) across the packs by key;
`one_of(words)` writes a word list as a regular expression. A pack file that cannot be read, or
that lacks a field or has one of the wrong type, raises `LanguagePackError` naming the file and
the field. The rules build what they need from the packs once (functools.cache), never at import.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from rag.lang.reader import LanguagePackError, Reader
from rag.lang.words import (
    ConflictWords,
    Currency,
    FollowUpWords,
    LanguagePack,
    NumberWords,
    YearWords,
)

LANGS = ("zh", "en")

__all__ = ["LANGS", "LanguagePack", "LanguagePackError", "groups", "load_file", "one_of", "pack"]


def pack(lang: str) -> LanguagePack:
    """The pack of `lang` ("zh" or "en"; any other language reads the English one)."""
    return _load(lang if lang in LANGS else "en")


@cache
def _load(lang: str) -> LanguagePack:
    path = resources.files("rag.lang").joinpath(f"{lang}.toml")
    return load_file(Path(str(path)), lang)


@cache
def groups(section: Literal["metrics", "roles"]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(key, words) of a section's synonym groups, each key's words of every pack joined
    (Chinese first): mau -> 月活, ..., MAU, monthly active users."""
    joined: dict[str, list[str]] = {}
    for lang in LANGS:
        for key, words in getattr(pack(lang), section).items():
            joined.setdefault(key, []).extend(w for w in words if w not in joined.get(key, ()))
    return tuple((key, tuple(words)) for key, words in joined.items())


def one_of(
    words: Iterable[str],
    *,
    start: str = "",
    end: str = "",
    space: str = " ",
    unless: Iterable[str] = (),
) -> str:
    """A regular expression matching any of `words`, longest first: `start` before and `end` after
    a word beginning or ending in a Latin letter (r"\\b"), `space` between the words of a phrase
    (r"\\s+"); a word is not matched where it starts one of `unless` (上下 in 上下游)."""
    out = []
    others = tuple(unless)
    for word in sorted(dict.fromkeys(words), key=len, reverse=True):
        written = space.join(re.escape(part) for part in word.split(" "))
        tails = [o[len(word) :] for o in others if o.startswith(word) and o != word]
        if tails:
            written += f"(?!{'|'.join(re.escape(t) for t in tails)})"
        if start and _latin_letter(word[0]):
            written = start + written
        if end and _latin_letter(word[-1]):
            written += end
        out.append(written)
    return "|".join(out)


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def load_file(path: Path, lang: str) -> LanguagePack:
    """A pack from a TOML file; LanguagePackError names the file and the field at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise LanguagePackError(f"language pack {path}: cannot be read ({err})") from err
    read = Reader(data, path)
    return LanguagePack(
        lang=lang,
        source=str(path),
        name=read.text("name"),
        conflicts=ConflictWords(
            differ=read.text("conflicts.differ"),
            listed=read.text("conflicts.listed"),
            separator=read.text("conflicts.separator"),
            end=read.text("conflicts.end"),
            agree=read.pattern("conflicts.agree"),
            denied=read.pattern("conflicts.denied"),
        ),
        counted=read.table("counted"),
        phrase_ends=frozenset(read.words("phrase_ends", required=False)),
        function_words=frozenset(read.words("function_words", required=False)),
        proper_noun_tags=frozenset(read.words("proper_noun_tags", required=False)),
        place_tags=frozenset(read.words("place_tags", required=False)),
        subject_end_tags=frozenset(read.words("subject_end_tags", required=False)),
        asking_tags=frozenset(read.words("asking_tags", required=False)),
        measure_tags=frozenset(read.words("measure_tags", required=False)),
        conjunctions=read.words("conjunctions"),
        question_words=read.words("questions.words"),
        each_source=read.pattern("questions.each_source"),
        refusal_phrasings=read.pattern("refusals.phrasings"),
        orders=read.source("orders.phrasings"),
        follow_ups=_follow_ups(read),
        months=_months(read),
        years=YearWords(
            written=read.template("years.written", "said", "year"),
            relative=read.numbers("years.relative"),
        ),
        numbers=_numbers(read),
        currencies={
            code: Currency(
                before=read.words(f"currencies.{code}.before", required=False),
                after=read.words(f"currencies.{code}.after"),
            )
            for code in read.keys("currencies")
        },
        metrics=read.table("metrics"),
        roles=read.table("roles"),
    )


def _follow_ups(read: Reader) -> FollowUpWords:
    def optional(key: str) -> tuple[str, ...]:
        return read.words(f"follow_ups.{key}", required=False)

    return FollowUpWords(
        leads=read.words("follow_ups.leads"),
        prepositions=optional("prepositions"),
        trailing=optional("trailing"),
        endings=optional("endings"),
        pronouns=read.source("follow_ups.pronouns"),
        possessives=optional("possessives"),
        of_which=read.text("follow_ups.of_which", required=False),
        expletive=read.source("follow_ups.expletive", required=False),
        auxiliaries=optional("auxiliaries"),
        copulas=optional("copulas"),
        subject_ends=optional("subject_ends"),
        articles=optional("articles"),
        verb_endings=optional("verb_endings"),
        label=read.text("follow_ups.label"),
    )


def _months(read: Reader) -> dict[int, tuple[str, ...]]:
    months = {}
    for key in read.keys("months", required=False):
        if not (key.isdigit() and 1 <= int(key) <= 12):
            raise read.fail(f"months.{key}", "named by a month's number, 1 to 12")
        months[int(key)] = read.words(f"months.{key}")
    return months


def _numbers(read: Reader) -> NumberWords:
    def optional(key: str) -> tuple[str, ...]:
        return read.words(f"numbers.{key}", required=False)

    def values(key: str) -> dict[str, int]:
        return read.numbers(f"numbers.{key}", required=False)

    marks = read.table("numbers.qualifiers")
    for mark in marks:
        if mark not in ("~", ">", "<", "?"):
            raise read.fail(f"numbers.qualifiers.{mark}", "one of ~ > < ?")
    return NumberWords(
        before=read.words("numbers.before"),
        before_numerals=optional("before_numerals"),
        after=read.words("numbers.after"),
        right_after=optional("right_after"),
        after_scale=optional("after_scale"),
        qualifiers={word: mark for mark, words in marks.items() for word in words},
        words=values("words"),
        digits=values("digits"),
        counting=values("counting"),
        multipliers=values("multipliers"),
        scales=values("scales"),
        abbreviations=values("abbreviations"),
        written_scales=optional("written_scales"),
        measure_words=optional("measure_words"),
        not_figures=optional("not_figures"),
        units=read.table("numbers.units"),
        year_followers=frozenset(optional("year_followers")),
    )
