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
from collections.abc import Callable, Iterable
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from rag.lang.reader import LanguagePackError, Reader
from rag.lang.words import (
    ConflictWords,
    CountingWords,
    Currency,
    FollowUpWords,
    LanguagePack,
    NumberWords,
    PageWords,
    PeriodWords,
    YearWords,
)

LANGS = ("zh", "en")
_Record = TypeVar("_Record", FollowUpWords, NumberWords)

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
            rise=read.pattern("conflicts.rise"),
            fall=read.pattern("conflicts.fall"),
        ),
        counted=read.table("counted"),
        aliases=read.table("aliases", required=False),
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
        dated=read.pattern("questions.dated"),
        slot=read.pattern("questions.slot"),
        adjective_suffixes=tuple(read.words("adjective_suffixes", required=False)),
        time_words=read.pattern("time_words"),
        asks={
            kind: read.pattern(f"asks.{kind}")
            for kind in ("person", "date", "figure", "place", "name")
        },
        page=PageWords(title=read.text("page.title"), example=read.text("page.example")),
        counting=CountingWords(
            currency=read.pattern("counting.currency"),
            percent=read.pattern("counting.percent"),
            noun=read.pattern("counting.noun"),
        ),
        periods=_periods(read),
        part_missing=read.text("answers.part_missing"),
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


def _periods(read: Reader) -> PeriodWords:
    """The parts of a year, checked now: spans name their last month (`b`), months their month
    (`a`), named parts are keyed first-last ("1-6")."""
    spans, months = read.patterns("periods.spans"), read.patterns("periods.months")
    named = read.table("periods.named")
    if not all("b" in p.groupindex for p in spans):
        raise read.fail("periods.spans", "patterns naming the last month as group b")
    if not all("a" in p.groupindex for p in months):
        raise read.fail("periods.months", "patterns naming the month as group a")
    for key in named:
        if not re.fullmatch(r"(?:1[0-2]|[1-9])-(?:1[0-2]|[1-9])", key):
            raise read.fail(f"periods.named.{key}", 'a span of months, first-last ("1-6")')
    compared = read.pattern("periods.compared")
    return PeriodWords(spans=spans, months=months, named=named, compared=compared)


def _follow_ups(read: Reader) -> FollowUpWords:
    return _section(
        read,
        "follow_ups",
        FollowUpWords,
        leads=read.words("follow_ups.leads"),
        pronouns=read.source("follow_ups.pronouns"),
        of_which=read.text("follow_ups.of_which", required=False),
        expletive=read.source("follow_ups.expletive", required=False),
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
    marks = read.table("numbers.qualifiers")
    for mark in marks:
        if mark not in ("~", ">", "<", "?"):
            raise read.fail(f"numbers.qualifiers.{mark}", "one of ~ > < ?")
    return _section(
        read,
        "numbers",
        NumberWords,
        before=read.words("numbers.before"),
        after=read.words("numbers.after"),
        qualifiers={word: mark for mark, words in marks.items() for word in words},
        units=read.table("numbers.units"),
    )


_OPTIONAL: dict[str, Callable[[Reader, str], Any]] = {  # by a record field's type
    "tuple[str, ...]": lambda read, key: read.words(key, required=False),
    "frozenset[str]": lambda read, key: frozenset(read.words(key, required=False)),
    "dict[str, int]": lambda read, key: read.numbers(key, required=False),
}


def _section(read: Reader, section: str, record: type[_Record], **given: Any) -> _Record:
    """The `record` of a pack's `section`: the fields `given`, and the others read as optional
    word lists (or tables of numbers) under their own names (a language may have none)."""
    for field in fields(record):
        if field.name not in given:
            given[field.name] = _OPTIONAL[str(field.type)](read, f"{section}.{field.name}")
    return record(**given)
