"""The language packs: each loads, a bad one names its file and field (at first use, never at
import), the groups join across packs, and the rules keep no vocabulary of their own."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import rag.lang
from rag.answer.numbers import patterns, quantities, words
from rag.corpus.profile import load_profile
from rag.lang import LANGS, LanguagePackError, groups, load_file, one_of, pack
from tests.conftest import REPO

PACKS = REPO / "rag" / "lang"


@pytest.mark.parametrize("lang", LANGS)
def test_pack__each_shipped_pack_loads(lang: str) -> None:
    loaded = pack(lang)
    assert loaded.lang == lang and Path(loaded.source).name == f"{lang}.toml"
    assert loaded.name and loaded.conflicts.differ and loaded.follow_ups.leads
    assert loaded.numbers.before and loaded.numbers.qualifiers and loaded.numbers.units
    assert set(loaded.currencies) == {"CNY", "USD", "HKD", "GBP", "EUR"}
    assert loaded.years.relative and loaded.metrics and loaded.roles


def test_pack__what_each_language_holds() -> None:
    zh, en = pack("zh"), pack("en")
    assert zh.numbers.digits["七"] == 7 and zh.numbers.counting == {"两": 2}
    assert zh.numbers.multipliers["亿"] == 10**8 and zh.currencies["USD"].after[0] == "美元"
    assert en.month_names[0] == "January" and en.months[9] == ("September", "Sept", "Sep")
    assert en.numbers.scales["billion"] == 10**9 and en.numbers.abbreviations["bn"] == 10**9
    assert zh.years.relative["前年"] == -2 and en.years.relative["last year"] == -1
    assert pack("ja") is en  # any other language reads the English pack


def test_pack__the_metric_and_role_groups_share_their_keys_across_packs() -> None:
    for section in ("metrics", "roles"):
        assert set(getattr(pack("zh"), section)) == set(getattr(pack("en"), section)), section


def test_groups__join_each_key_s_words_across_the_packs() -> None:
    mau = dict(groups("metrics"))["mau"]
    assert mau[:3] == ("月活", "月活跃用户", "月活跃用户数") and "monthly active users" in mau
    assert "首席执行官" in dict(groups("roles"))["ceo"] and "CEO" in dict(groups("roles"))["ceo"]


def test_name_table__joins_the_packs_groups_with_the_profile_s_words() -> None:
    names = load_profile("microdrama").names
    assert {"片酬", "薪资", "salary"} <= set(names.names_of("片酬"))  # the profile's, by key
    assert "box office" in names.names_of("票房")  # a group of the profile's own
    assert "MAU" in names.names_of("月活") and "CFO" in names.names_of("首席财务官")
    assert names.is_generic("July") and names.is_generic("微短剧") and not names.is_generic("Jul")


def test_one_of__longest_first_with_boundaries_spaces_and_exceptions() -> None:
    assert one_of(["超", "超过"]) == "超过|超"
    assert one_of(["more than", "+"], end=r"\b", space=r"\s+") == r"more\s+than\b|\+"
    assert re.fullmatch(one_of(["last year"], start=r"\b", space=r"\s+"), "last  year")
    written = one_of(["上下", "左右"], unless=["上下游"])
    assert re.match(written, "上下") and not re.match(written, "上下游")


# --- bad files ---------------------------------------------------------------------------------
def _bad(tmp_path: Path, old: str, new: str) -> Path:
    text = (PACKS / "en.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "en.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field", "want"),
    [
        ('name = "English"', "", "'name'", "missing field"),
        ('differ = "The sources give different figures: "', "", "'conflicts.differ'", "missing"),
        ('name = "English"', "name = 3", "'name'", "must be a string"),
        ("two = 2", 'two = "2"', "'numbers.words.two'", "must be a whole number"),
        ('words = ["how",', "words = [1,", "'questions.words'", "must be a list of strings"),
        ("[numbers.units]", "[numbers.units]\nmass = 3", "'numbers.units.mass'", "list of str"),
        ("'\\bconsistent\\b',", "'(unclosed',", "'questions.each_source'", "valid regular exp"),
        ('"~" = ["about",', '"about" = ["about",', "'numbers.qualifiers.about'", "one of ~"),
        ('1 = ["January", "Jan"]', '13 = ["January"]', "'months.13'", "1 to 12"),
        ('written = "{said} ({year})"', 'written = "{when}"', "'years.written'", "template"),
        (
            '"1-6" = ["first half", "H1"]',
            '"H1" = ["first half"]',
            "'periods.named.H1'",
            "first-last",
        ),
        ("for)\\s+(?P<a>", "for)\\s+(?P<m>", "'periods.months'", "group a"),
    ],
)
def test_load_file__a_bad_field_names_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, want: str
) -> None:
    path = _bad(tmp_path, old, new)
    with pytest.raises(LanguagePackError, match=re.escape(str(path))) as raised:
        load_file(path, "en")
    assert field in str(raised.value) and want in str(raised.value)


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"name = \xff\xfe", "cannot be read"), (b"name = [", "cannot be read")],
)
def test_load_file__an_undecodable_or_invalid_file_names_the_file(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "zh.toml"
    path.write_bytes(content)
    with pytest.raises(LanguagePackError, match=f"{re.escape(str(path))}: {why}"):
        load_file(path, "zh")
    with pytest.raises(LanguagePackError, match="cannot be read"):
        load_file(tmp_path / "missing.toml", "zh")


@pytest.fixture
def bad_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The English pack without its scale words; the number readers not yet built."""
    path = _bad(tmp_path, "[numbers.scales]\nthousand = 1_000", "[numbers.scales]\nthousand = 'k'")
    real = rag.lang._load
    monkeypatch.setattr(
        rag.lang, "_load", lambda lang: load_file(path, lang) if lang == "en" else real(lang)
    )
    for built in (words.figure_words, patterns.patterns, quantities._passes):
        built.cache_clear()
    yield path
    for built in (words.figure_words, patterns.patterns, quantities._passes):
        built.cache_clear()


def test_pack__a_bad_pack_fails_at_first_use_naming_file_and_field(bad_english: Path) -> None:
    with pytest.raises(LanguagePackError, match="'numbers.scales.thousand'") as raised:
        quantities.quantities("a figure read for the first time: 17 people")
    assert str(bad_english) in str(raised.value)


def test_import__no_pack_is_read_when_the_rules_are_imported() -> None:
    code = (
        "import rag.factory, rag.answer.answerer, rag.answer.condense, rag.question, "
        "rag.corpus.profile, rag.answer.numbers.quantities, rag.answer.localise\n"
        "import rag.lang\nprint(rag.lang._load.cache_info().currsize)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "0"


# --- one rule, one place -------------------------------------------------------------------------
def test_sources__the_han_range_is_written_only_in_the_text_rules() -> None:
    """HAN and HAN_CHAR (index/text/rules.py) are the one definition of Chinese characters."""
    written = re.compile(r"\\u(?:3400|4dbf|4e00|9fff|f900|faff)|[\u3400\u4e00]-", re.I)
    for folder in ("rag/answer", "rag/question", "rag/lang"):
        for path in sorted((REPO / folder).rglob("*.py")):
            assert not written.search(path.read_text(encoding="utf-8")), path


def test_sources__months_and_scale_words_are_written_only_in_the_packs() -> None:
    said = re.compile(r"\b(?:September|trillion)\b|今年|去年|美元")
    for folder in ("rag/answer", "rag/question", "rag/corpus"):
        for path in sorted((REPO / folder).rglob("*.py")):
            code = re.sub(r'"""[\s\S]*?"""|#.*', "", path.read_text(encoding="utf-8"))
            assert not said.search(code), path
    profile = (REPO / "rag" / "corpus" / "profiles" / "microdrama.toml").read_text("utf-8")
    assert "September" not in profile and "首席执行官" not in profile
