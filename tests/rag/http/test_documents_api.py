"""The documents API in process (FastAPI's test client), over a real embedded Chroma with the
hashing fake embedder: upload several files (bad ones too), list, ask, delete."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rag.assistant import Assistant
from rag.http.api import build_api
from tests.library_support import FISH, ORCHARD, fake_models, make_library

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FISH_Q = "How much cod did Port Alder land?"


@pytest.fixture
def client(monkeypatch, tmp_path):
    fake_models(monkeypatch)
    library = make_library(tmp_path / "idx", max_file_bytes=2000, max_upload_bytes=20_000)
    api = build_api(Assistant(library.settings), token=TOKEN, library=library)
    with TestClient(api) as client:
        yield client


def _upload(client, name, files, headers=AUTH):
    return client.post(f"/v1/collections/{name}/documents", files=files, headers=headers)


def test_documents__upload_list_ask_delete_round_trip(client):
    files = [
        ("files", ("fish.txt", FISH, "text/plain")),
        ("files", ("orchard.md", ORCHARD, "text/markdown")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("tool.exe", bytes(range(256)) * 4, "application/octet-stream")),
        ("files", ("big.txt", b"word " * 1000, "text/plain")),
        ("files", ("../../x.txt", FISH + b" More.", "text/plain")),
    ]
    reply = _upload(client, "渔业", files)
    assert reply.status_code == 200, reply.text
    results = reply.json()["files"]
    assert [(r["upload"], r["status"]) for r in results] == [
        ("fish.txt", "indexed"),
        ("orchard.md", "indexed"),
        ("empty.txt", "skipped"),
        ("tool.exe", "skipped"),
        ("big.txt", "skipped"),
        ("../../x.txt", "indexed"),
    ]
    assert results[5]["file"] == "x.txt" and "over the per-file limit" in results[4]["reason"]
    listed = client.get("/v1/collections/渔业/documents", headers=AUTH).json()["documents"]
    assert sorted(d["file"] for d in listed) == ["fish.txt", "orchard.md", "x.txt"]
    assert set(listed[0]) == {"id", "file", "pages", "chunks", "status", "source"}
    collections = client.get("/v1/collections", headers=AUTH).json()["collections"]
    assert {c["name"]: c["documents"] for c in collections} == {"reports": 0, "渔业": 3}

    chat = {"messages": [{"role": "user", "content": FISH_Q}], "collection": "渔业"}
    cited = client.post("/v1/chat/completions", json=chat, headers=AUTH).json()["citations"]
    assert cited and {c["file"] for c in cited} <= {"fish.txt", "x.txt"}
    fish = next(d for d in listed if d["file"] == "fish.txt")
    gone = client.delete(f"/v1/collections/渔业/documents/{fish['id']}", headers=AUTH)
    assert gone.json()["removed"]["file"] == "fish.txt"
    hits = client.post(
        "/v1/retrieve", json={"question": FISH_Q, "collection": "渔业"}, headers=AUTH
    ).json()["contexts"]
    assert "fish.txt" not in {h["file"] for h in hits}


def test_documents__unknown_collections_and_documents_get_404_bad_names_400(client):
    assert client.get("/v1/collections/nope/documents", headers=AUTH).status_code == 404
    _upload(client, "alpha", [("files", ("fish.txt", FISH, "text/plain"))])
    assert client.delete("/v1/collections/alpha/documents/0000", headers=AUTH).status_code == 404
    chat = {"messages": [{"role": "user", "content": FISH_Q}], "collection": "nope"}
    assert client.post("/v1/chat/completions", json=chat, headers=AUTH).status_code == 404
    retrieve = {"question": FISH_Q, "collection": "bad name!"}
    assert client.post("/v1/retrieve", json=retrieve, headers=AUTH).status_code == 400
    assert _upload(client, "a.b", [("files", ("f.txt", FISH, "text/plain"))]).status_code == 400


def test_documents__the_token_guards_them_and_an_oversized_upload_gets_413(client):
    files = [("files", ("fish.txt", FISH, "text/plain"))]
    assert _upload(client, "alpha", files, headers={}).status_code == 401
    assert client.get("/v1/collections", headers={}).status_code == 401
    too_big = [("files", (f"f{n}.txt", b"x" * 1900, "text/plain")) for n in range(12)]
    reply = _upload(client, "alpha", too_big)
    assert reply.status_code == 413 and "RAG_MAX_UPLOAD_BYTES" in reply.json()["detail"]
    assert client.get("/v1/collections/alpha/documents", headers=AUTH).status_code == 404
    not_multipart = client.post("/v1/collections/alpha/documents", content=b"x", headers=AUTH)
    assert not_multipart.status_code == 400
    assert _upload(client, "alpha", files).json()["files"][0]["status"] == "indexed"  # still up


def test_documents__a_body_without_a_length_is_cut_off_at_the_limit_while_read(client):
    def body():  # chunked: no content-length to refuse it by
        yield b"--b\r\nContent-Disposition: form-data; name=files; filename=f.txt\r\n\r\n"
        for _ in range(1000):
            yield b"x" * 1000
        yield b"\r\n--b--\r\n"

    headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}
    reply = client.post("/v1/collections/alpha/documents", content=body(), headers=headers)
    assert reply.status_code == 413
    assert client.get("/v1/collections/alpha/documents", headers=AUTH).status_code == 404


def test_collections__created_with_a_profile_its_text_or_the_neutral_one(client):
    profile = 'name = "fisheries"\n[page]\ntitle = { en = "Fisheries", zh = "渔业" }\n'
    made = client.post(
        "/v1/collections", json={"name": "fish", "profile_toml": profile}, headers=AUTH
    )
    assert made.status_code == 200, made.text
    assert made.json()["collection"]["name"] == "fish"
    assert client.post("/v1/collections", json={"name": "fish"}, headers=AUTH).status_code == 409
    plain = client.post("/v1/collections", json={"name": "plain"}, headers=AUTH)
    assert plain.status_code == 200
    bad = client.post(
        "/v1/collections", json={"name": "bad", "profile_toml": "name = ["}, headers=AUTH
    )
    assert bad.status_code == 400 and "not valid TOML" in bad.json()["detail"]
    assert client.post("/v1/collections", json={"name": "x"}).status_code == 401
    names = [c["name"] for c in client.get("/v1/collections", headers=AUTH).json()["collections"]]
    assert {"fish", "plain"} <= set(names) and "bad" not in names
