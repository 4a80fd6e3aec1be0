"""Security: servers private by default, logins and tokens enforced, no secret in any output, no
file served from outside the allowed folders, and parsers / citation checks that survive any
input (property-based, with hypothesis)."""

from __future__ import annotations

import contextlib
import http.client
import inspect
import json
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.chunking import chunk_all
from index.errors import UnreadableFileError
from index.formats.encoding import decode
from index.formats.generic import parse_generic
from index.formats.reports import _is_header, _is_source, parse_text
from index.text.rules import MARKER, split_sentences, strip_markers
from rag import Assistant, Settings
from rag.answer import checks
from rag.answer.findings import Context
from rag.answer.record import normalise_markers, parse, sources
from rag.answer.refusals import is_refusal
from rag.answer.render import link, render
from rag.http.api import build_api
from tests.reliability.conftest import REPO
from tests.support import free_port, http_server, running
from ui.cli import commands as cli_commands
from ui.cli.main import build_parser, main
from ui.page import answer_html

SENTINEL = "sk-test-SENTINEL-123"
TOKEN = "t0ken-for-the-api"
SEED = "002_c22822ce1c7e6321.txt"
PASSWD = "root:x:0:0"
# `tally` is a stateless counter, safe to share between examples
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def assistant(seeds_index) -> Assistant:
    return Assistant(Settings(index_dir=seeds_index, llm_backend="extractive"))


# --- private by default -----------------------------------------------------------------------
def test_servers__bind_loopback_by_default(monkeypatch, tally):
    parser = build_parser()
    assert parser.parse_args(["serve"]).host == "127.0.0.1"
    assert parser.parse_args(["ui"]).host == "127.0.0.1"
    from ui import app

    for fn in (app.launch, app.serve):
        assert inspect.signature(fn).parameters["host"].default == "127.0.0.1"

    import rag.http.api

    seen: dict[str, Any] = {}
    real_serve = rag.http.api.serve

    def fake_serve(*args: Any, **kwargs: Any) -> None:
        seen.update(inspect.signature(real_serve).bind(*args, **kwargs).arguments)

    monkeypatch.setattr(rag.http.api, "serve", fake_serve)
    monkeypatch.setenv("RAG_API_TOKEN", TOKEN)
    assert main(["serve", "--backend", "extractive"]) == 0
    assert seen["host"] == "127.0.0.1" and seen["token"] == TOKEN

    launched: dict[str, Any] = {}
    monkeypatch.setattr(app, "launch", lambda settings, **kw: launched.update(kw))
    assert main(["ui", "--backend", "extractive"]) == 0
    assert launched["host"] == "127.0.0.1"
    tally.add("inputs", 6)


# --- the API's bearer token -------------------------------------------------------------------
OPEN_ROUTES = {"/health"}


_DOCS = "/v1/collections/{name}/documents"


def _valid_body(path: str) -> dict[str, Any]:
    if path == "/v1/retrieve":
        return {"question": "短剧", "k": 2}
    if path == "/v1/chat/completions":
        return {"messages": [{"role": "user", "content": "郑州每天大约开机多少部短剧？"}]}
    if path == "/v1/collections":
        return {"name": "made-past-the-guard"}
    return {}


@pytest.mark.slow
@pytest.mark.integration
def test_api__every_route_but_health_wants_the_token(assistant, tally):
    api = build_api(assistant, token=TOKEN)
    routes = [
        (method, route.path)
        for route in api.routes
        if isinstance(route, APIRoute) and route.path not in OPEN_ROUTES
        for method in route.methods
    ]
    assert ("POST", "/v1/retrieve") in routes and ("POST", "/v1/chat/completions") in routes
    wrong = [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
        {"X-API-Key": TOKEN},
    ]
    collection = assistant.settings.collection
    with TestClient(api) as client:
        for method, route in routes:
            path = route.replace("{name}", collection).replace("{doc_id}", "0" * 16)
            body = _valid_body(path)
            for headers in wrong:
                reply = client.request(method, path, json=body, headers=headers)
                assert reply.status_code == 401, (path, headers)
                assert reply.headers["www-authenticate"] == "Bearer"
                assert TOKEN not in reply.text
            reply = client.request(method, f"{path}?token={TOKEN}", json=body)
            assert reply.status_code == 401
            reply = client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            # past the guard: answered, or the route's own answer to this body (an upload
            # that is not multipart: 400; a document that is not there: 404)
            expected = {("POST", _DOCS): 400, ("DELETE", _DOCS + "/{doc_id}"): 404}
            assert reply.status_code == expected.get((method, route), 200), (path, reply.text)
        assert client.get("/health").status_code == 200
    tally.add("requests", len(routes) * (len(wrong) + 2) + 1)
    tally.add("failures", len(routes) * (len(wrong) + 1))  # expected: every 401


# --- the page's login, and the files it will serve --------------------------------------------
@pytest.fixture(scope="module")
def page(seeds_index, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """`rag ui --auth ann:s3cret` for real (launch), logged in once."""
    from ui.app import launch

    port = free_port()
    settings_ = Settings(index_dir=seeds_index, llm_backend="extractive")
    demo = launch(settings_, port=port, auth="ann:s3cret", block=False)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base)
    try:
        yield {"port": port, "base": base, "client": client}
    finally:
        client.close()
        demo.close()


def _listening_addresses(port: int) -> list[str]:
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if local.endswith(f":{port:04X}") and state == "0A":  # LISTEN
                    out.append(local.rsplit(":", 1)[0])
    return out


@pytest.mark.slow
@pytest.mark.integration
def test_page__login_required_and_loopback_only(page, tally):
    assert _listening_addresses(page["port"]) == ["0100007F"]  # 127.0.0.1, nothing else
    base = page["base"]
    assert httpx.get(f"{base}/config").status_code == 401
    assert httpx.get(f"{base}/gradio_api/info").status_code == 401
    for user, password in [("ann", "wrong"), ("bob", "s3cret"), ("ann", ""), ("", "")]:
        reply = httpx.post(f"{base}/login", data={"username": user, "password": password})
        assert reply.status_code in (400, 401, 422), (user, password)
    client: httpx.Client = page["client"]
    reply = client.post("/login", data={"username": "ann", "password": "s3cret"})
    assert reply.status_code == 200 and client.get("/config").status_code == 200
    tally.add("requests", 7)
    tally.add("failures", 6)


def _raw_get(port: int, path: str, cookies: httpx.Cookies | None = None) -> tuple[int, bytes]:
    """A GET whose path goes out exactly as written (httpx would resolve the dot segments)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    try:
        conn.request("GET", path, headers=headers)
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def _outside_paths(seeds_index: Path, secret: Path) -> list[str]:
    depth = "../" * 12
    return [
        "/etc/passwd",
        f"{depth}etc/passwd",
        "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "%252e%252e/%252e%252e/%252e%252e/etc/passwd",
        "....//....//....//etc/passwd",
        "/proc/self/environ",
        str(secret),
        secret.name,  # relative to the working directory
        str(REPO / "seeds" / SEED),
        str(REPO / "rag" / "settings.py"),
        str(seeds_index / "chroma.sqlite3"),
        f"{depth}{str(REPO / 'README.md').lstrip('/')}",
    ]


def _assert_not_served(status: int, body: bytes, path: str, secret: Path) -> None:
    assert status in (400, 403, 404), (path, status, body[:200])
    assert PASSWD.encode() not in body and secret.read_bytes() not in body
    assert SENTINEL.encode() not in body


@pytest.fixture
def secret(tmp_path, monkeypatch) -> Path:
    """A file in the working directory and an API key in the environment, neither to be served."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAG_OPENAI_API_KEY", SENTINEL)
    path = tmp_path / "secret.txt"
    path.write_text("do-not-serve-7f3a", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.integration
def test_page__file_routes_serve_nothing_outside_its_own_folders(page, seeds_index, secret, tally):
    client: httpx.Client = page["client"]
    client.post("/login", data={"username": "ann", "password": "s3cret"})
    paths = _outside_paths(seeds_index, secret)
    for prefix in ("/gradio_api/file=", "/file=", "/gradio_api/static/", "/static/", "/assets/"):
        for path in paths:
            status, body = _raw_get(page["port"], prefix + path, client.cookies)
            _assert_not_served(status, body, prefix + path, secret)
    # an upload named like a path lands inside the page's upload folder, nowhere else
    target = secret.parent / "planted.txt"
    name = "../" * 12 + str(target).lstrip("/")
    reply = client.post("/gradio_api/upload", files={"files": (name, b"planted")})
    assert not target.exists()
    if reply.status_code == 200:
        (stored,) = reply.json()
        assert Path(stored).name == "planted.txt" and Path(stored).resolve() != target
        Path(stored).unlink(missing_ok=True)
    tally.add("inputs", len(paths) * 5 + 1)
    tally.add("requests", len(paths) * 5 + 2)
    tally.add("failures", len(paths) * 5)


@pytest.mark.slow
@pytest.mark.integration
def test_mounted_page__file_routes_serve_nothing_outside_its_own_folders(
    assistant, seeds_index, secret, tally
):
    from ui.app import mount

    api = mount(build_api(assistant, token=TOKEN), assistant, "/ui")
    paths = _outside_paths(seeds_index, secret)
    with running(api) as url:
        port = int(url.rsplit(":", 1)[1])
        assert _raw_get(port, "/ui/config")[0] == 200  # the page answers, without a login here
        for prefix in ("/ui/gradio_api/file=", "/ui/file=", "/ui/static/", "/"):
            for path in paths:
                status, body = _raw_get(port, prefix + path)
                _assert_not_served(status, body, prefix + path, secret)
    tally.add("inputs", len(paths) * 4)
    tally.add("requests", len(paths) * 4 + 1)
    tally.add("failures", len(paths) * 4)


@pytest.mark.slow
@pytest.mark.integration
def test_file_filters__name_files_in_the_index_never_paths_on_disk(
    assistant, secret, monkeypatch, capsys, tally
):
    names = ["../../../../etc/passwd", "/etc/passwd", str(secret), f"../seeds/{SEED}", "*", ".*"]
    with TestClient(build_api(assistant)) as client:
        for name in [*names, SEED]:
            reply = client.post(
                "/v1/retrieve", json={"question": "短剧 郑州", "filters": {"files": [name]}}
            )
            assert reply.status_code == 200 and PASSWD not in reply.text
            files = {c["file"] for c in reply.json()["contexts"]}
            assert files == ({SEED} if name == SEED else set()), name
            assert str(REPO) not in reply.text  # the server's folders stay private
    monkeypatch.setattr(cli_commands, "assistant_from", lambda args: assistant)
    for name in names[:3]:
        assert main(["ask", "短剧", "--file", name, "--json"]) == 0
        record = json.loads(capsys.readouterr().out)
        assert record["refused"] and record["retrieved"] == []
    tally.add("inputs", len(names) + 1 + 3)
    tally.add("requests", len(names) + 1)


# --- no secret in settings, logs or results -------------------------------------------------
def test_settings__never_show_the_api_key(monkeypatch, tally):
    monkeypatch.setenv("RAG_OPENAI_API_KEY", SENTINEL)
    s = Settings()
    assert s.openai_api_key.get_secret_value() == SENTINEL  # it is read...
    for shown in (repr(s), str(s), s.model_dump_json(), json.dumps(s.model_dump(mode="json"))):
        assert SENTINEL not in shown  # ...and never shown
    tally.add("inputs")


class _EchoesTheKey(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that rejects the key and quotes it back, as some do."""

    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802  (http.server's name)
        self.rfile.read(int(self.headers.get("content-length", 0)))
        key = self.headers.get("authorization", "").removeprefix("Bearer ")
        self.seen.append(key)
        body = json.dumps(
            {"error": {"message": f"Incorrect API key provided: {key}", "code": "invalid_api_key"}}
        ).encode()
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echoing_endpoint() -> Iterator[str]:
    with http_server(_EchoesTheKey) as url:
        yield url


def _everything_written(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


@pytest.mark.slow
@pytest.mark.integration
def test_secrets__api_key_never_in_logs_results_or_answers(
    seeds_index, tmp_path, monkeypatch, caplog, capsys, echoing_endpoint, tally
):
    import logging

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("RAG_OPENAI_API_KEY", SENTINEL)
    monkeypatch.setenv("RAG_LLM_TIMEOUT_S", "10")
    monkeypatch.setenv("RAG_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # dead
    lines = (REPO / "tests" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    common = ["--index-dir", str(seeds_index), "--backend", "openai"]

    assert main(["eval", str(questions), "--out", str(out), *common]) == 0
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(results) == len(lines)
    assert all(r["backend"] == "extractive (fallback from openai)" for r in results)
    assert main(["-v", "ask", "郑州每天大约开机多少部短剧？", "--json", *common]) == 0

    monkeypatch.setenv("RAG_OPENAI_BASE_URL", echoing_endpoint)  # alive, and it quotes the key
    _EchoesTheKey.seen.clear()
    assert main(["-v", "ask", "郑州每天大约开机多少部短剧？", "--json", *common]) == 0
    assert _EchoesTheKey.seen == [SENTINEL]  # the key was sent...
    printed = capsys.readouterr()
    last = json.loads(printed.out.strip().splitlines()[-1])
    assert any("HTTP 401" in n["message"] and "***" in n["message"] for n in last["notices"])
    everything = "\n".join([caplog.text, printed.out, printed.err, _everything_written(out)])
    assert "Incorrect API key" in everything  # ...the endpoint's reply was logged...
    assert SENTINEL not in everything  # ...and the key itself nowhere
    tally.add("inputs", len(lines) + 2)
    tally.add("faults", len(lines) + 2)
    tally.add("requests", 1)


# --- property-based: parsers and citation checks on any input -------------------------------
def _squash(text: str) -> str:
    return "".join(text.split())


_SOURCE_LINES = st.builds(
    "{}· {}-{}-{} {}:{:02d}".format,
    st.sampled_from(["3 6 Ke", "财联社", "", "Yi Cai", "a·b"]),
    st.integers(1, 2999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
)
_BULLETS = st.lists(
    st.tuples(
        st.sampled_from(["Core Insights", "Market Dynamics", "", "Group 1: Survey"]),
        st.text(
            st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("短剧。，"),
            max_size=40,
        ),
        st.lists(st.integers(0, 40), max_size=3),
    ),
    min_size=1,
    max_size=5,
).map(
    lambda items: " ".join(
        f"{head} - {claim} " + "".join(f"[{n}]" for n in refs) for head, claim, refs in items
    )
)
_LINE = st.one_of(
    st.sampled_from(["Workflow", "icon", "Search documents", "微短剧精品化", "", "  ", "- item"]),
    st.sampled_from(["# 标题", "## Section", "1. first", "* star", "本文由第三方AI基于财新文章"]),
    _SOURCE_LINES,
    st.dates().map(str),
    _BULLETS,
    st.text(st.sampled_from("微短剧市场规模用户亿元。，！？“”"), min_size=1, max_size=250),
    st.text(max_size=80),
    st.text(min_size=200, max_size=300),
    st.just(
        "本文由第三方AI基于财新文章 https://example.com/a?b=1 提炼总结而成，可能与原文存在偏差。"
    ),
)
REPORT_TEXT = st.one_of(st.text(max_size=400), st.lists(_LINE, max_size=25).map("\n".join))


def _assert_made_of(articles: list[Any], text: str, kept: str | None = None) -> None:
    """Titles, paragraphs and sections are runs of the input (or of `kept`: the input less the
    lines the export parser drops); chunk ids are unique and refs are the input's markers."""
    sources = [_squash(text), _squash(text if kept is None else kept)]

    def from_input(piece: str) -> bool:
        return any(_squash(piece) in source for source in sources)

    for a in articles:
        assert a.file == "f.txt" and a.path == "/in/f.txt" and a.paragraphs
        assert from_input(a.title.removesuffix("…")), a.title
        for para in a.paragraphs:
            assert from_input(para.text), para.text
            assert para.section is None or from_input(para.section)
        assert a.url is None or a.url in text
    chunks = chunk_all(articles)
    assert len({c.chunk_id for c in chunks}) == len(chunks), "chunk ids collide"
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    for c in chunks:
        assert c.text.strip() and set(c.refs) <= markers


@PROPERTY
@given(text=REPORT_TEXT)
def test_parse_text__any_text_gives_articles_made_of_it(text, tally):
    tally.add("inputs")
    # header lines (Workflow, icon, ...) and source lines are dropped: text runs across them
    kept = "\n".join(
        ln for ln in text.split("\n") if not (_is_header(ln.strip()) or _is_source(ln.strip()))
    )
    _assert_made_of(parse_text(text, "f.txt", "/in/f.txt"), text, kept)


@PROPERTY
@given(text=REPORT_TEXT)
def test_parse_generic__any_text_gives_articles_made_of_it(text, tally):
    tally.add("inputs")
    _assert_made_of(parse_generic(text, "f.txt", "/in/f.txt"), text)


@PROPERTY
@given(data=st.binary(max_size=300) | REPORT_TEXT.map(lambda t: t.encode("utf-8", "replace")))
def test_decode__any_bytes_give_text_or_the_documented_error(data, tally):
    tally.add("inputs")
    try:
        text = decode(data, "f.txt")
    except UnreadableFileError as err:
        assert str(err).startswith("f.txt: ")
    else:
        assert "\r" not in text and not text.startswith("\ufeff")


_ANSWER_PIECES = st.one_of(
    st.integers(-1, 12).map(lambda n: f"[{n}]"),
    st.sampled_from(["[1, 2]", "【3】", "[1，2]", "[2][2]", "[ 4 ]", "[", "]", "[x]", "[]"]),
    st.sampled_from(["。", ". ", "! ", "\n", " 696 million", "50亿", "2025", "6.62", "1,000"]),
    st.text(max_size=15),
)
ANSWER = st.lists(_ANSWER_PIECES, max_size=20).map("".join)
SOURCES = st.lists(
    st.one_of(
        st.sampled_from(["Users reached 696 million [4].", "市场规模50亿元。", "Xi'an: 10 crews."]),
        st.text(max_size=60),
    ),
    max_size=6,
)


def _markers(text: str) -> list[int]:
    return [int(n) for n in MARKER.findall(text)]


@PROPERTY
@given(text=ANSWER, n_sources=st.integers(0, 8))
def test_link__markers_stay_in_range_renumbered_and_idempotent(text, n_sources, tally):
    tally.add("inputs")
    linked, order = link(normalise_markers(text), n_sources)
    assert all(1 <= n <= n_sources for n in order) and len(set(order)) == len(order)
    assert set(_markers(linked)) == set(range(1, len(order) + 1))
    assert link(linked, len(order)) == (linked, list(range(1, len(order) + 1)))


@PROPERTY
@given(text=ANSWER, texts=SOURCES)
def test_checks__citations_point_at_the_sources_given(text, texts, tally):
    tally.add("inputs")
    ctx = Context(sources=sources(list(texts)), lang="en")
    shown = render(checks.run(parse(text), ctx), "en", len(ctx.pool))
    assert all(1 <= n <= len(texts) for n in shown.cited)
    assert len(set(shown.cited)) == len(shown.cited)
    assert set(_markers(shown.text)) <= set(range(1, len(shown.cited) + 1))
    assert all(isinstance(n, str) for n in shown.notices)
    is_refusal(shown.text, ["The reports do not contain the answer to this question."])


@PROPERTY
@given(text=ANSWER)
def test_marker_helpers__idempotent_and_lose_no_text(text, tally):
    tally.add("inputs")
    once = normalise_markers(text)
    assert normalise_markers(once) == once
    stripped = strip_markers(text)
    assert strip_markers(stripped) == stripped and not MARKER.search(stripped)
    assert _squash("".join(split_sentences(text))) == _squash(text)


@PROPERTY
@given(text=ANSWER | st.text(), known=st.sets(st.integers(0, 12)))
def test_answer_html__only_its_own_tags_survive(text, known, tally):
    tally.add("inputs")
    html = answer_html(text, known)
    own = re.sub(r'<a class="cite" href="#src-\d+" title="source \d+">\[\d+\]</a>|<br>', "", html)
    assert "<" not in own and ">" not in own
