"""The page's launch options, without starting a server."""

from __future__ import annotations

import pytest

from ui.app import parse_auth


def test_parse_auth__inline_and_file(tmp_path):
    assert parse_auth("ana:s3cret") == [("ana", "s3cret")]
    users = tmp_path / "users.txt"
    users.write_text("ana:one\nbo:two:with-colon\n\n", encoding="utf-8")
    assert parse_auth(str(users)) == [("ana", "one"), ("bo", "two:with-colon")]
    assert parse_auth(None) is None


def test_parse_auth__rejects_a_value_without_a_password():
    with pytest.raises(ValueError, match="user:password"):
        parse_auth("just-a-name")


def test_page_language__follows_the_browser():
    from ui.app import page_language

    assert page_language("en-US,en;q=0.9,zh-CN;q=0.8") == "en"
    assert page_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert page_language("fr-FR,fr;q=0.9") == "zh"
    assert page_language(None) == "zh"
