"""The page's wiring and launch options, without starting a browser."""

from __future__ import annotations

import os

import pytest

from rag import Settings
from ui import app
from ui.app import build_app, is_loopback, page_language, parse_auth


class _Idle:
    """Enough of an Assistant to build the page."""

    settings = Settings(llm_backend="extractive")


def test_parse_auth__inline_and_file(tmp_path):
    assert parse_auth("ana:s3cret") == [("ana", "s3cret")]
    users = tmp_path / "users.txt"
    users.write_text("ana:one\nbo:two:with-colon\n\n", encoding="utf-8")
    assert parse_auth(str(users)) == [("ana", "one"), ("bo", "two:with-colon")]
    assert parse_auth(None) is None


@pytest.mark.parametrize("value", ["just-a-name", "ana:", ":secret"])
def test_parse_auth__rejects_a_value_without_user_and_password(value):
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)


def test_page_language__follows_the_browser():
    assert page_language("en-US,en;q=0.9,zh-CN;q=0.8") == "en"
    assert page_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert page_language("fr-FR,fr;q=0.9") == "zh"
    assert page_language(None) == "zh"


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_build_app__one_answer_at_a_time_whichever_button_asked():
    demo = build_app(_Idle())  # type: ignore[arg-type]
    respond = [f for f in demo.fns.values() if f.name == "respond"]
    assert len(respond) == 1, "Ask and Enter share one event (one concurrency group)"
    assert respond[0].concurrency_limit == 1 and respond[0].queue
    assert demo._queue.default_concurrency_limit == 1
    assert demo._queue.max_size == app.QUEUE_SIZE
    assert demo.analytics_enabled is False
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


def _fake_launch(monkeypatch):
    calls: dict = {}

    class Blocks:
        def launch(self, **kwargs):
            calls.update(kwargs)

    class Assistant:
        def __init__(self, settings):
            self.settings = settings

        def warm_up(self):
            pass

    monkeypatch.setattr(app, "Assistant", Assistant)
    monkeypatch.setattr(app, "build_app", lambda assistant, lang: Blocks())
    return calls


def test_launch__private_by_default(monkeypatch, capsys):
    calls = _fake_launch(monkeypatch)
    app.launch(Settings(), block=False)
    assert calls["server_name"] == "127.0.0.1" and calls["share"] is False
    assert calls["run_history"] is False and calls["footer_links"] == []
    assert calls["auth"] is None
    assert capsys.readouterr().err == ""


def test_launch__another_host_without_auth_warns(monkeypatch, capsys):
    calls = _fake_launch(monkeypatch)
    app.launch(Settings(), host="0.0.0.0", block=False)
    assert "without --auth" in capsys.readouterr().err
    assert calls["server_name"] == "0.0.0.0"


def test_launch__another_host_with_auth_is_quiet(monkeypatch, capsys):
    calls = _fake_launch(monkeypatch)
    app.launch(Settings(), host="0.0.0.0", auth="ana:s3cret", block=False)
    assert capsys.readouterr().err == ""
    assert calls["auth"] == [("ana", "s3cret")]
