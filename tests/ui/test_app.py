"""The page's callbacks, called as Gradio calls them but without it, over a fake-backed
Assistant; and the page's wiring and launch options, without starting a browser."""

from __future__ import annotations

import importlib
import inspect
import os

import pytest

import rag.factory
from rag import Answer, Assistant, Settings, Turn
from rag.corpus.profile import load_profile
from rag.http.security import is_loopback, parse_auth
from rag.library import Library
from tests.conftest import SEEDS
from tests.fakes import HashEmbedding, ScriptedLLM
from ui import app
from ui.app import (
    RELABEL_IN,
    RELABEL_OUT,
    RESET_OUT,
    RESPOND_IN,
    RESPOND_OUT,
    build_app,
    relabel,
    reset,
)
from ui.app import respond as page_respond

SEED = SEEDS / "002_c22822ce1c7e6321.txt"  # Cailian Press: 696 million micro-drama users
QUESTION = "How many micro-short drama users did China have by July?"
REPLY = "China had 696 million micro-short drama users by July [1]."

PROFILE = load_profile("microdrama")


def _fake_parts(monkeypatch, llm: ScriptedLLM) -> None:
    """The factory builds the hashing embedder and the scripted LLM; everything else is real."""
    monkeypatch.setattr(rag.factory, "make_embedder", lambda settings: HashEmbedding())
    monkeypatch.setattr(
        rag.factory, "make_llm", lambda settings, backend: None if backend == "extractive" else llm
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page") / "idx"
    with pytest.MonkeyPatch.context() as mp:
        _fake_parts(mp, ScriptedLLM([]))
        Assistant(Settings(index_dir=folder, llm_backend="extractive")).index([SEED])
    return folder


@pytest.fixture
def llm(monkeypatch) -> ScriptedLLM:
    scripted = ScriptedLLM([REPLY])
    _fake_parts(monkeypatch, scripted)
    return scripted


@pytest.fixture
def assistant(index_dir, llm) -> Assistant:
    return Assistant(Settings(index_dir=index_dir, llm_backend="local"))


def respond(assistant, text, history=(), lang="en", d_from="", chat=()) -> list[tuple]:
    """Every update `respond` sends to the page, as the page receives them (each one at once:
    the chat list is copied, since `respond` goes on changing it)."""
    library = Library(assistant.settings, assistant)
    collection = assistant.settings.collection
    updates = page_respond(
        library, text, list(chat), list(history), collection, lang, "local", 4, [], d_from, ""
    )
    return [tuple(list(v) if isinstance(v, list) else v for v in u) for u in updates]


def _shown(value) -> str:
    return value if isinstance(value, str) else ""  # gr.skip() leaves a widget as it is


# --- respond -----------------------------------------------------------------------------------
def test_respond__sources_first_then_the_answer_token_by_token_then_cited(assistant):
    updates = respond(assistant, QUESTION)
    assert all(len(u) == len(RESPOND_OUT) for u in updates)
    chats = [u[0] for u in updates]
    sources = [_shown(u[2]) for u in updates]
    assert chats[0][-1]["content"] == "…" and "Searching the reports" in sources[0]
    pending = next(i for i, s in enumerate(sources) if "src-pending-card" in s)
    typed = [i for i, c in enumerate(chats) if c[-1]["content"] not in ("…",)]
    assert typed and pending < typed[0], "the sources show before the first token"
    assert len(typed) >= 2, "the checked sentences are shown as they are written, then the answer"
    assert "696 million" in chats[typed[0]][-1]["content"]

    chat, turns, panel, notices, box, last = updates[-1]
    assert isinstance(last, Answer) and "696 million" in last.text
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert 'href="#src-1"' in chat[-1]["content"] and 'id="src-1"' in panel
    assert turns == [Turn("user", QUESTION), Turn("assistant", last.text)]
    assert notices == "" and box == ""


def test_respond__a_follow_up_reaches_the_assistant_with_the_history(assistant, llm):
    first = respond(assistant, QUESTION)[-1]
    llm.replies[:] = ["How many users did China have by July?", REPLY]  # condense, then answer
    chat, turns, *_ = respond(assistant, "And by July?", history=first[1], chat=first[0])[-1]
    assert len(chat) == 4 and len(turns) == 4
    assert QUESTION in llm.prompts[-2], "the follow-up was condensed with the history"


def test_respond__a_bad_date_is_said_in_the_page_and_nothing_is_asked(assistant, llm):
    updates = respond(assistant, QUESTION, d_from="2025-13-45")
    chat, turns, _, notices, box, _ = updates[-1]
    assert "2025-13-45" in notices and "YYYY-MM-DD" in notices and 'role="alert"' in notices
    assert chat == [] and turns == [] and box == QUESTION  # the question stays to be fixed
    assert llm.prompts == []


def test_respond__an_empty_question_is_said_in_the_page(assistant, llm):
    chat, _, _, notices, _, _ = respond(assistant, "   ")[-1]
    assert "the question is empty" in notices and chat == [] and llm.prompts == []


def test_respond__a_missing_index_says_to_build_it(tmp_path, llm):
    nothing = Assistant(Settings(index_dir=tmp_path / "none", llm_backend="local"))
    earlier = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    chat, _, panel, notices, box, _ = respond(nothing, QUESTION, chat=earlier)[-1]
    assert "rag index" in notices and chat == earlier and box == QUESTION
    assert "Sources appear here" in panel


def test_respond__an_unexpected_error_stays_in_the_log(assistant, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("/home/x/secret.py line 3")

    monkeypatch.setattr(assistant.retriever, "retrieve", broken)
    *_, notices, _, _ = respond(assistant, QUESTION)[-1]
    assert "secret" not in notices and "went wrong on the server" in notices
    assert "secret.py" in caplog.text


# --- reset, relabel, and their wiring ----------------------------------------------------------
def test_callbacks__take_and_give_what_the_page_wires_to_them(assistant):
    for callback, wired in ((page_respond, RESPOND_IN), (relabel, RELABEL_IN)):
        parameters = list(inspect.signature(callback).parameters)
        assert parameters[0] == "library" and len(parameters[1:]) == len(wired)
    assert len(reset("en")) == len(RESET_OUT)
    library = Library(assistant.settings, assistant)
    assert len(relabel(library, "reports", "en", None)) == len(RELABEL_OUT)


def test_reset__empties_the_conversation_in_the_page_language():
    chat, turns, panel, notices, last = reset("zh")
    assert chat == [] and turns == [] and last is None and notices == ""
    assert "找到资料后" in panel


def test_relabel__every_label_in_the_new_language_and_the_last_answer_again(assistant):
    library = Library(assistant.settings, assistant)
    out = dict(zip(RELABEL_OUT, relabel(library, "reports", "en", None), strict=True))
    assert "Micro-drama report assistant" in out["header"]
    assert out["send"]["value"] == "Ask" and out["accordion"]["label"] == "Model & filters"
    assert out["examples"]["label"] == "Examples"
    assert out["examples"]["samples"] == [[q] for q in PROFILE.examples]
    assert out["publishers"]["label"] == "Only these publishers"
    assert out["publishers"]["choices"][0][0].startswith("36Kr · ")
    assert "value" not in out["publishers"], "the toggle keeps the publishers chosen"
    assert "Sources appear here" in out["sources"]

    answer = respond(assistant, QUESTION)[-1][-1]
    out = dict(zip(RELABEL_OUT, relabel(library, "reports", "zh", answer), strict=True))
    assert out["send"]["value"] == "提问" and "出处" in out["sources_title"]
    assert "微短剧报告问答" in out["header"] and out["examples"]["label"] == "示例问题"
    assert "引用 1 条" in out["sources"] and 'id="src-1"' in out["sources"]


def test_relabel__a_new_collection_keeps_its_own_title_in_the_new_language(assistant):
    library = Library(assistant.settings, assistant)
    out = dict(zip(RELABEL_OUT, relabel(library, "渔业", "zh", None), strict=True))
    assert out["header"].startswith("# 渔业 · 资料问答\n") and "微短剧" not in out["header"]
    assert out["examples"]["samples"] == [] and out["examples"]["visible"] is False
    assert out["publishers"]["choices"] == [] and out["publishers"]["label"] == "只看这些媒体"


# --- the page as Gradio builds it ----------------------------------------------------------------
def test_build_app__one_answer_at_a_time_whichever_button_asked():
    demo = build_app(Assistant(Settings(llm_backend="extractive")))
    events = [d for d in demo.get_config_file()["dependencies"] if d["api_name"] == "respond"]
    assert len(events) == 1, "Ask and Enter share one event (one concurrency group)"
    assert len(events[0]["targets"]) == 2 and events[0]["queue"]
    (event,) = [f for f in demo.fns.values() if f.api_name == "respond"]  # not in the config
    assert (event.concurrency_limit, event.concurrency_id) == (1, "answer")
    assert demo._queue.default_concurrency_limit == 1
    assert demo._queue.max_size == app.QUEUE_SIZE


def test_build_app__sends_no_analytics_even_when_the_environment_allows_them(monkeypatch):
    import gradio.analytics

    sent: list[str] = []
    for name in ("version_check", "initiated_analytics", "launched_analytics"):
        monkeypatch.setattr(gradio.analytics, name, lambda *a, name=name, **k: sent.append(name))
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "True")
    demo = build_app(Assistant(Settings(llm_backend="extractive")))
    assert demo.analytics_enabled is False and sent == []


def test_importing_the_page__leaves_the_environment_alone(monkeypatch):
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED")
    before = dict(os.environ)
    importlib.reload(app)
    assert dict(os.environ) == before


# --- launching ----------------------------------------------------------------------------------
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


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def _fake_launch(monkeypatch):
    calls: dict = {}

    class Blocks:
        title = "微短剧报告问答 · Micro-drama report assistant"

        def launch(self, **kwargs):
            calls.update(kwargs)

    class Assistant:
        def __init__(self, settings):
            self.settings = settings

        def warm_up(self):
            pass

    monkeypatch.setattr(app, "Assistant", Assistant)
    monkeypatch.setattr(app, "build_app", lambda assistant, **kwargs: Blocks())
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
