"""Collection names and their Chroma names; upload names made safe."""

from __future__ import annotations

import pytest

from index.storage.collections import CollectionNameError, check_name, chroma_name, is_second_set
from index.storage.uploads import UploadNameError, free_name, safe_file_name, write_new
from rag.settings import Settings


def test_chroma_name__ascii_names_stay_others_are_hashed_apart_from_them():
    assert chroma_name("reports") == "reports"  # the shipped index keeps its collection
    assert chroma_name("q3-2025_notes") == "q3-2025_notes"
    for name in ("行业报告", "ab", "_x_", "Résumé"):
        hashed = chroma_name(name)
        assert hashed.startswith("h.") and 3 <= len(hashed) <= 512
    assert chroma_name("行业报告") != chroma_name("行业报告2")
    assert is_second_set("reports.usem3", {"reports", "reports.usem3"})
    assert not is_second_set("reports", {"reports", "reports.usem3"})


@pytest.mark.parametrize("bad", ["", " ", "a/b", "a.b", "../x", "a b", "x" * 49, "名\u200b"])
def test_check_name__refuses_what_is_not_letters_digits_dash_underscore(bad):
    with pytest.raises(CollectionNameError, match="1 to 48 letters"):
        check_name(bad)


def test_settings__the_collection_is_validated_like_any_setting():
    assert Settings(collection="行业报告").collection == "行业报告"
    with pytest.raises(ValueError, match="bad collection name"):
        Settings(collection="../etc")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../x.txt", "x.txt"),
        ("C:\\Users\\me\\年报.docx", "年报.docx"),
        (".bashrc", "bashrc"),
        ("a\x00b\u202e.txt", "ab.txt"),
        ('what?<"x">.md', "what___x__.md"),
    ],
)
def test_safe_file_name__keeps_a_plain_name_only(given, safe):
    assert safe_file_name(given) == safe


def test_safe_file_name__caps_long_names_keeping_the_suffix_and_refuses_empty_ones():
    long = safe_file_name("报" * 200 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 150
    for bad in ("", "..", "../", "\x00"):
        with pytest.raises(UploadNameError):
            safe_file_name(bad)


def test_free_name_and_write_new__never_overwrite(tmp_path):
    assert free_name("a.txt", {"a.txt", "a-2.txt"}) == "a-3.txt"
    write_new(tmp_path, "a.txt", b"1")
    with pytest.raises(FileExistsError):
        write_new(tmp_path, "a.txt", b"2")
    assert (tmp_path / "a.txt").read_bytes() == b"1"
    assert write_new(tmp_path, "../b.txt", b"3") == tmp_path / "b.txt"
