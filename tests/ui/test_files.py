"""The page's file routes over a real library (hashing embedder, real Chroma, real PDFs): a
collection's own files only, by name; everything else 404; behind the page's login."""

from __future__ import annotations

import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rag import Assistant
from tests.docs_factory import make_pdf
from tests.library_support import FISH, fake_models, make_library
from ui.files import file_routes

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def library(tmp_path, monkeypatch):
    fake_models(monkeypatch)
    library = make_library(tmp_path / "idx")
    pdf = make_pdf(tmp_path / "年报.pdf").read_bytes()
    library.add("行业报告", [("年报.pdf", pdf), ("fish.txt", FISH)])
    (tmp_path / "secret.txt").write_text("secret")
    return library


@pytest.fixture
def client(library):
    return TestClient(FastAPI(routes=file_routes(library)))


def _chunk_on_page(library, file: str, page: int):
    chunks = [s.chunk for s in library._store("行业报告").all_chunks()]
    return next(c for c in chunks if c.file == file and c.page == page)


def test_download__the_original_bytes_as_an_attachment_by_its_name(client, tmp_path):
    reply = client.get("/files/行业报告/年报.pdf")
    assert reply.status_code == 200 and reply.content == (tmp_path / "年报.pdf").read_bytes()
    assert reply.headers["content-disposition"].startswith("attachment;")
    assert "%E5%B9%B4%E6%8A%A5.pdf" in reply.headers["content-disposition"]
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert client.get("/files/行业报告/fish.txt").content == FISH


@pytest.mark.parametrize(
    "url",
    [
        "/files/行业报告/..%2F..%2Fsecret.txt",
        "/files/行业报告/..",
        "/files/行业报告/%2E%2E",
        "/files/行业报告/collection.json",
        "/files/行业报告/missing.pdf",
        "/files/行业报告/%2Fetc%2Fpasswd",
        "/files/nowhere/年报.pdf",
        "/files/bad.name!/年报.pdf",
        "/files/..%2F..%2F/年报.pdf",
        "/files/行业报告/../../secret.txt",
    ],
)
def test_download__anything_but_a_file_of_the_collection_is_404(client, url):
    assert client.get(url).status_code == 404


def test_download__a_link_out_of_the_folder_is_404(client, library, tmp_path):
    (library.file_path("行业报告", "fish.txt").parent / "link.txt").symlink_to(
        tmp_path / "secret.txt"
    )
    assert client.get("/files/行业报告/link.txt").status_code == 404


def test_page_image__the_cited_page_with_the_passage_highlighted(client, library):
    import numpy as np
    from PIL import Image

    chunk = _chunk_on_page(library, "年报.pdf", 2)
    plain = client.get("/files/行业报告/年报.pdf/page/2.png")
    marked = client.get(f"/files/行业报告/年报.pdf/page/2.png?chunk={chunk.chunk_id}")
    assert plain.status_code == marked.status_code == 200
    assert marked.headers["content-type"] == "image/png" and marked.content.startswith(PNG)

    def yellow(png: bytes) -> int:
        rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        return int(((r > 240) & (g > 200) & (b < 150)).sum())

    assert yellow(plain.content) == 0 and yellow(marked.content) > 200


@pytest.mark.parametrize(
    "url",
    [
        "/files/行业报告/年报.pdf/page/9.png",  # past the last page
        "/files/行业报告/年报.pdf/page/0.png",
        "/files/行业报告/fish.txt/page/1.png",  # no pages
        "/files/行业报告/年报.pdf/page/2.png?chunk=nope",
        "/files/nowhere/年报.pdf/page/1.png",
        "/files/行业报告/..%2F..%2Fsecret.txt/page/1.png",
    ],
)
def test_page_image__bad_pages_files_and_chunks_are_404(client, url):
    assert client.get(url).status_code == 404


def test_page_image__a_chunk_of_another_file_is_404(client, library):
    fish = next(
        s.chunk for s in library._store("行业报告").all_chunks() if s.chunk.file == "fish.txt"
    )
    reply = client.get(f"/files/行业报告/年报.pdf/page/1.png?chunk={fish.chunk_id}")
    assert reply.status_code == 404


def test_routes__behind_the_page_login_when_it_has_one(library):
    from ui.app import mount

    assistant = Assistant(library.settings)
    api = mount(FastAPI(), assistant, "/ui", [("ann", "pw")], library=library)
    with TestClient(api) as client:
        assert client.get("/ui/files/行业报告/fish.txt").status_code == 401
        login = client.post("/ui/login", data={"username": "ann", "password": "pw"})
        assert login.status_code == 200
        assert client.get("/ui/files/行业报告/fish.txt").content == FISH
