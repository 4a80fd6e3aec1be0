"""Typed reads of a language pack's fields, each failing with the file and the field at fault
(`LanguagePackError`); the loader (`rag.lang.load_file`) is the only caller."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.errors import RagError


class LanguagePackError(RagError):
    """A language pack file is missing, unreadable or lacks a field."""


class Reader:
    """The fields of one pack file, read by dotted key ("numbers.units.percent")."""

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

    def fail(self, key: str, want: str) -> LanguagePackError:
        return LanguagePackError(f"language pack {self.path}: field {key!r} must be {want}")

    def text(self, key: str, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, "a string")
        return value

    def template(self, key: str, *fields: str) -> str:
        """A string to format with `fields` ("{year}年")."""
        value = self.text(key)
        try:
            value.format(**{name: "" for name in fields})
        except (KeyError, IndexError, ValueError) as err:
            raise self.fail(key, f"a template of {', '.join(fields)} ({err!r})") from err
        return value

    def words(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if isinstance(value, str):  # a long list written as one string of words
            return tuple(value.split())
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise self.fail(key, "a list of strings")
        return tuple(value)

    def keys(self, key: str, required: bool = True) -> dict[str, Any]:
        value = self._get(key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "a table")
        return value

    def table(self, key: str, required: bool = True) -> dict[str, tuple[str, ...]]:
        """A table of word lists: counted nouns, synonym groups."""
        return {k: self.words(f"{key}.{k}") for k in self.keys(key, required)}

    def numbers(self, key: str, required: bool = True) -> dict[str, int]:
        """A table of words and the whole numbers they stand for ("million" = 1000000)."""
        out = {}
        for word, value in self.keys(key, required).items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.fail(f"{key}.{word}", "a whole number")
            out[word] = value
        return out

    def source(self, key: str, required: bool = True) -> str:
        """A regular expression as written (a string, or a list of alternatives), checked."""
        value = self._get(key, required)
        if value is None:
            return ""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "|".join(value)
        if not isinstance(value, str):
            raise self.fail(key, "a regular expression (a string, or a list of alternatives)")
        try:
            re.compile(value)
        except re.error as err:
            raise self.fail(key, f"a valid regular expression ({err})") from err
        return value

    def pattern(self, key: str, required: bool = True) -> re.Pattern[str]:
        """A regular expression, compiled case-free."""
        return re.compile(self.source(key, required), re.I)

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        """Regular expressions kept apart (each may name the same groups), compiled case-free."""
        compiled = []
        for written in self.words(key):
            try:
                compiled.append(re.compile(written, re.I))
            except re.error as err:
                raise self.fail(key, f"valid regular expressions ({err})") from err
        return tuple(compiled)
