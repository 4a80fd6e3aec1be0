"""What a question names, and whether passages name it too.

`key_terms` finds what a question names: the corpus's names table and metric words first, then
quoted names, capitalised English words and phrases, and Chinese words that jieba tags as places,
people, organisations or other proper nouns (`proper_nouns`, the one place jieba's tags are read).
Generic words (the corpus profile's, and the language packs' months) are not key terms. `missing`
keeps those that no passage mentions under any of their names: the same string (case and width
free), its pinyin (郑州 ~ Zhengzhou), an alias from the table (马来西亚 ~ Malaysia), a metric's
synonyms (月活 ~ MAU). Pure functions; the caller decides what to do with the missing terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from index.text.rules import HAN, HAN_CHAR, YEAR
from index.text.tokenize import pinyin as romanise
from index.text.tokenize import pos_tagger
from rag.corpus.names import NameTable, Span, name_key, name_pattern
from rag.lang import LANGS, one_of, pack

TermKind = Literal["name", "metric", "role", "year"]


@dataclass(frozen=True)
class Term:
    text: str  # as the question writes it
    kind: TermKind
    names: tuple[str, ...]  # every form a passage may use for it (the text first)
    # a name written in two scripts ("ReelShort+短剧"): mentioned too when each part that is no
    # generic word is, in any form; with `any_part`, a name of several Chinese proper nouns
    # written together ("休斯顿玛格丽特·詹金斯公园"): mentioned when one of them is
    parts: tuple[Term, ...] = ()
    any_part: bool = False
    quoted: bool = False  # written in quotation marks ("《狮城山海》", “安全账户”)

    def __str__(self) -> str:
        return self.text


_QUOTED = re.compile(
    r"《([^》]+)》|“([^”]+)”|「([^」]+)」|\"([^\"]+)\"|(?<![A-Za-z])['‘]([^'’]+)['’](?![A-Za-z])"
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.&+-]*[A-Za-z0-9]|[A-Za-z]")
_HAN_RUN = re.compile(f"[{HAN}]+")
_POSSESSIVE = re.compile(r"['’]s?$")


def _function_words() -> frozenset[str]:
    """Words that start a question or sit around a name in one but are not names themselves."""
    return pack("en").function_words


def key_terms(question: str, names: NameTable) -> list[Term]:
    """What the question names, in the order it names them, each once."""
    return list(_key_terms(question, names))


@lru_cache(maxsize=512)  # one question is checked against every passage, sentence and clause
def _key_terms(question: str, names: NameTable) -> tuple[Term, ...]:
    text = unicodedata.normalize("NFKC", question)
    found: list[tuple[int, Term]] = []
    text = _mask(text, [m.span() for m in dated_spans(text)])  # "(as of 2022-12-10)": a date
    text = _take_quoted(text, names, found)
    kinds: list[tuple[TermKind, Callable[[str], list[Span]]]] = [
        ("name", names.mentioned),
        ("metric", names.metrics_in),
        ("role", names.roles_in),
    ]
    for kind, spans_in in kinds:
        spans = spans_in(text)
        for span in spans:
            written = _POSSESSIVE.sub("", span.text)
            found.append((span.start, Term(written, kind, (written, *span.names))))
        text = _mask(text, [(s.start, s.end) for s in spans])
    found += [(m.start(), Term(m.group(0), "year", (m.group(0),))) for m in YEAR.finditer(text)]
    found += _capitalised(text, names) + _chinese_names(text, names)
    terms: dict[str, Term] = {}
    for _, term in sorted(found, key=lambda item: item[0]):
        if not names.is_generic(term.text):
            terms.setdefault(name_key(term.text), _aliased(term))
    return tuple(terms.values())


def _aliased(term: Term) -> Term:
    """`term` with the names the languages give it besides its own (我国 for 中国)."""
    extra = tuple(a for lang in LANGS for a in pack(lang).aliases.get(term.text, ()))
    return replace(term, names=(*term.names, *extra)) if extra else term


def missing_terms(question: str, passages: Sequence[str], names: NameTable) -> list[Term]:
    """The question's key terms that no passage mentions under any of their names."""
    return missing(key_terms(question, names), passages)


def missing(terms: Sequence[Term], passages: Sequence[str]) -> list[Term]:
    """The terms that no passage mentions under any of their names."""
    if not terms:
        return []
    text = unicodedata.normalize("NFKC", "\n".join(passages))
    pinyin = _PinyinText(text)
    return [t for t in terms if not _mentioned(t, text, pinyin)]


def _mentioned(term: Term, text: str, pinyin: _PinyinText) -> bool:
    prefix = term.kind == "metric"
    if any(name_pattern(name, prefix).search(text) for name in term.names):
        return True
    for name in term.names:  # then across scripts (the passages' pinyin is made once, if needed)
        if HAN_CHAR.search(name):
            romanised = " ".join(romanise(name))
            if len(name_key(romanised)) >= 4 and (
                name_pattern(romanised).search(text) or pinyin.has(romanised)
            ):  # Zhengzhou for 郑州; 休斯敦 for 休斯顿 (a name transliterated alike)
                return True
        elif len(name_key(name)) >= 4 and pinyin.has(name):
            return True
    if _ACRONYM.fullmatch(term.text) and _spelled_out(term.text).search(text):
        return True  # FDA for "Food and Drug Administration"
    if term.parts and term.any_part:
        return any(_mentioned(part, text, pinyin) for part in term.parts)
    if term.parts:  # "ReelShort's short dramas" for "ReelShort+短剧"
        return all(_mentioned(part, text, pinyin) for part in term.parts)
    if term.kind == "name" and " " in term.text:  # a long phrase: all its words will do
        words = [w for w in term.text.split() if w.casefold() not in _function_words()]
        return all(_mentioned(Term(w, "name", (w,)), text, pinyin) for w in words)
    return False


_ACRONYM = re.compile(r"[A-Z]{2,6}")


@lru_cache(maxsize=256)
def _spelled_out(acronym: str) -> re.Pattern[str]:
    """The capitalised words an acronym abbreviates, one per letter, the language's function
    words between them left out ("Food and Drug Administration" for FDA). Lowercase words are
    never taken for one ("all-inclusive" is no AI)."""
    linking = one_of(w for w in pack("en").function_words if w.isalpha())
    words = rf" (?:(?:{linking}) )?".join(rf"{ch}[a-z]+" for ch in acronym)
    return re.compile(rf"(?<![\w-]){words}(?![\w-])")


class _PinyinText:
    """The passages' Chinese in pinyin, made once and only when a Latin name needs it, so that
    Hongguo finds 红果 and Zhengzhou 郑州."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pinyin: str | None = None

    def has(self, name: str) -> bool:
        if self._pinyin is None:
            runs = _HAN_RUN.findall(self._text)
            self._pinyin = "\n".join(" ".join(romanise(run)) for run in runs)
        letters = " ?".join(re.escape(ch) for ch in name_key(name))
        return re.search(rf"(?<![a-z]){letters}(?![a-z])", self._pinyin) is not None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:  # same length, so later offsets hold; a separator for jieba
        text = text[:start] + "，" * (end - start) + text[end:]
    return text


def _take_quoted(text: str, names: NameTable, found: list[tuple[int, Term]]) -> str:
    spans = []
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g).strip()
        if inner and not _generic(inner, names):
            parts = _script_parts(inner, names)
            term = Term(inner, "name", names.names_of(inner), parts, quoted=True)
            found.append((m.start(), term))
        spans.append((m.start(), m.end()))
    return _mask(text, spans)


_SCRIPT_RUN = re.compile(f"[A-Za-z0-9]+|[{HAN}]+")


def _script_parts(name: str, names: NameTable) -> tuple[Term, ...]:
    """A name mixing Latin and Chinese ("ReelShort+短剧"), as its runs of one script that are
    not generic words ("ReelShort"); none for a name in one script."""
    runs = _SCRIPT_RUN.findall(name)
    if not (any(HAN_CHAR.match(r) for r in runs) and any(not HAN_CHAR.match(r) for r in runs)):
        return ()
    return tuple(Term(r, "name", names.names_of(r)) for r in runs if not names.is_generic(r))


def _generic(name: str, names: NameTable) -> bool:
    """A generic word, or a name mixing scripts made of generic words only ("AI+短剧")."""
    runs = _SCRIPT_RUN.findall(name)
    mixed = any(HAN_CHAR.match(r) for r in runs) and any(not HAN_CHAR.match(r) for r in runs)
    return names.is_generic(name) or (mixed and all(names.is_generic(r) for r in runs))


_NUMBER_LIKE = re.compile(r"[0-9][0-9.,:/-]*")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+")


def _ordinary(word: str, text: str, m: re.Match[str]) -> bool:
    """A capitalised word that names nothing by itself: the question's first word ("Speaking
    of ...") or an adjective of nationality or language before a noun ("an English city", "the
    European summit"), by the English pack's suffixes. Only single title-case words: "English
    Premier League" and "iQIYI" stay names."""
    if not _TITLE_WORD.fullmatch(word):
        return False
    if not text[: m.start()].strip(" \"'“‘(（[【¿¡"):
        return True
    after = _WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
    english = pack("en")
    return (
        after is not None
        and after.group(0).islower()
        and after.group(0) not in _function_words()
        and word.casefold().endswith(english.adjective_suffixes)
    )


def _capitalised(text: str, names: NameTable) -> list[tuple[int, Term]]:
    """Runs of capitalised English words (Tencent Video, ReelShort, MAU), function words and
    generic words left out."""
    runs: list[list[re.Match[str]]] = []
    for m in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", m.group(0)).rstrip(".")
        is_name = any(ch.isupper() for ch in word) or any(ch.isdigit() for ch in word[1:])
        if (
            not is_name
            or _NUMBER_LIKE.fullmatch(word)  # 2022-12-10, 3.5: dates and figures, not names
            or len(word) <= 2  # US, UK, EU: too short to tell what they name, never required
            or word.casefold() in _function_words()
            or names.is_generic(word)
            or _ordinary(word, text, m)
        ):
            runs.append([])
            continue
        joined = runs and runs[-1] and text[runs[-1][-1].end() : m.start()] == " "
        runs[-1].append(m) if joined else runs.append([m])
    out = []
    for run in filter(None, runs):
        phrase = " ".join(_POSSESSIVE.sub("", m.group(0)).rstrip(".") for m in run)
        if phrase.isdigit():
            continue
        out.append((run[0].start(), Term(phrase, "name", names.names_of(phrase))))
    return out


def _chinese_names(text: str, names: NameTable) -> list[tuple[int, Term]]:
    """Chinese places, people, organisations and other proper nouns; not what a question word
    asks for ("哪座城市": jieba tags 城市 as a place). Proper nouns written together, or joined by
    a name separator (休斯顿玛格丽特·詹金斯), are one name of several parts."""
    out: list[tuple[int, int, Term]] = []
    for at, word, _, asked in proper_nouns(text):
        if asked or names.is_generic(word):
            continue
        term = Term(word, "name", names.names_of(word))
        end = at + len(word)
        if out and text[out[-1][1] : at].strip("·•・") == "":
            start, _, last = out.pop()
            parts = last.parts if last.any_part else (last,)
            joined = text[start:end]
            term = Term(joined, "name", (joined,), (*parts, term), any_part=True)
            at = start
        out.append((at, end, term))
    return [(at, term) for at, _, term in out]


def dated_spans(text: str) -> list[re.Match[str]]:
    """Where a question says when it was asked ("(as of 2022-12-10)"): a date, not a name."""
    return [m for lang in ("en", "zh") for m in pack(lang).dated.finditer(text)]


def proper_nouns(text: str) -> list[tuple[int, str, str, bool]]:
    """(offset, word, jieba tag, asked) for each Chinese word of two or more characters that
    jieba tags as a proper noun (the Chinese pack's tags); `asked`: right after 哪/哪个/什么 (and
    measure words between), so what a question word asks for, not a name."""
    zh = pack("zh")
    out = []
    for run in _HAN_RUN.finditer(text):
        at = run.start()
        asked = False
        for pair in pos_tagger().cut(run.group(0)):
            word, flag = pair.word, pair.flag
            if flag in zh.proper_noun_tags and len(word) >= 2:
                out.append((at, word, flag, asked))
            asked = flag in zh.asking_tags or (asked and flag in zh.measure_tags)
            at += len(word)
    return out
