"""Language packs: the words the language rules read, one file per language (`zh.toml`,
`en.toml` beside this module), loaded once.

`pack(lang)` returns the `LanguagePack` of a language: scale words, currencies, months, counted
nouns, question and function words, the leads of the sources' figures lines, the phrasings that
say the sources agree or that the sources lack an answer. A pack file that cannot be read, or that
lacks a field, raises `LanguagePackError` naming the file and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rag.errors import RagError

LANGS = ("zh", "en")


class LanguagePackError(RagError):
    """A language pack file is missing, unreadable or lacks a field."""


@dataclass(frozen=True)
class ConflictWords:
    differ: str  # the lead of a line giving disagreeing sources' figures
    listed: str  # ...of one giving each source's figure, asked for
    separator: str
    end: str
    agree: re.Pattern[str]  # "the reports agree": untrue once a disagreement is found
    denied: re.Pattern[str]  # ...unless denied ("do not agree")


@dataclass(frozen=True)
class PageWords:
    title: str  # a collection's page title, from its name: "{name}"
    example: str  # an example question about a document, from its title: "{title}"


@dataclass(frozen=True)
class LanguagePack:
    lang: str
    source: str  # the file it was read from
    conflicts: ConflictWords
    counted: dict[str, tuple[str, ...]]  # what a count counts, by the noun after it
    phrase_ends: frozenset[str]  # words that end an English noun phrase
    function_words: frozenset[str]  # question and function words: never part of a name
    proper_noun_tags: frozenset[str]  # jieba's tags of proper nouns (Chinese)
    each_source: re.Pattern[str]  # the question asks for each source's figure
    dated: re.Pattern[str]  # where a question says when it was asked: "(as of 2022-12-10)"
    adjective_suffixes: tuple[str, ...]  # English, European: capitalised, yet no names
    time_words: re.Pattern[str]  # words that place a date in time ("截至...末", "as of")
    asks: dict[str, re.Pattern[str]]  # question words by the kind of answer they ask for
    page: PageWords  # what the page says of a collection whose profile names nothing
    part_missing: str  # the line naming a part of a question no sentence answers: "{part}"
    refusal_phrasings: re.Pattern[str]  # "the sources do not mention it", in other words


def pack(lang: str) -> LanguagePack:
    """The pack of `lang` ("zh" or "en"; any other language reads the English one)."""
    return _load(lang if lang in LANGS else "en")


@cache
def _load(lang: str) -> LanguagePack:
    path = resources.files("rag.lang").joinpath(f"{lang}.toml")
    return load_file(Path(str(path)), lang)


def load_file(path: Path, lang: str) -> LanguagePack:
    """A pack from a TOML file; LanguagePackError names the file and the field at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise LanguagePackError(f"language pack {path}: cannot be read ({err})") from err
    read = _Reader(data, path)
    return LanguagePack(
        lang=lang,
        source=str(path),
        conflicts=ConflictWords(
            differ=read.text("conflicts.differ"),
            listed=read.text("conflicts.listed"),
            separator=read.text("conflicts.separator"),
            end=read.text("conflicts.end"),
            agree=read.pattern("conflicts.agree"),
            denied=read.pattern("conflicts.denied"),
        ),
        counted={k: tuple(v) for k, v in read.table("counted").items()},
        phrase_ends=frozenset(read.words("phrase_ends", required=False)),
        function_words=frozenset(read.words("function_words", required=False)),
        proper_noun_tags=frozenset(read.words("proper_noun_tags", required=False)),
        each_source=read.pattern("questions.each_source"),
        dated=read.pattern("questions.dated"),
        adjective_suffixes=tuple(read.words("adjective_suffixes", required=False)),
        time_words=read.pattern("time_words"),
        asks={kind: read.pattern(f"asks.{kind}") for kind in ("person", "date", "figure", "place")},
        page=PageWords(title=read.text("page.title"), example=read.text("page.example")),
        part_missing=read.text("answers.part_missing"),
        refusal_phrasings=read.pattern("refusals.phrasings"),
    )


class _Reader:
    """Typed reads of a pack's fields, each failing with the file and the field."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.data, self.path = data, path

    def _get(self, key: str, required: bool = True) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if not required:
                    return None
                raise LanguagePackError(f"language pack {self.path}: missing field {key!r}")
            node = node[part]
        return node

    def _fail(self, key: str, want: str) -> LanguagePackError:
        return LanguagePackError(f"language pack {self.path}: field {key!r} must be {want}")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def words(self, key: str, required: bool = True) -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if isinstance(value, str):  # a long list written as one string of words
            return value.split()
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise self._fail(key, "a list of strings")
        return value

    def table(self, key: str) -> dict[str, list[str]]:
        value = self._get(key)
        if not isinstance(value, dict):
            raise self._fail(key, "a table")
        return {k: self.words(f"{key}.{k}") for k in value}

    def pattern(self, key: str) -> re.Pattern[str]:
        value = self._get(key)
        if isinstance(value, list):
            value = "|".join(value)
        if not isinstance(value, str):
            raise self._fail(key, "a regular expression (a string, or a list of alternatives)")
        try:
            return re.compile(value, re.I)
        except re.error as err:
            raise self._fail(key, f"a valid regular expression ({err})") from err
