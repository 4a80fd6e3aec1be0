"""Every supported type is indexed from a folder, and every bad file is skipped with a short
reason that says what to do, while the run goes on (real files, the real embedded Chroma)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.errors import UnsupportedFileError
from index.formats.dispatch import parse_bytes, supported, what_is
from index.indexer import index_paths
from index.storage.store import open_store
from tests.docs_factory import make_docx, make_html, make_pdf, make_zip_bomb
from tests.fakes import HashEmbedding

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)


def _store(tmp_path: Path):
    return open_store(
        index_dir=tmp_path / "idx",
        url=None,
        collection="reports",
        embedder_name="fake/hash-64",
        create=True,
    )


def test_supported__by_suffix_in_any_case():
    assert all(supported(Path(f"a{s}")) for s in (".pdf", ".PDF", ".docx", ".htm", ".JPG"))
    assert not supported(Path("a.csv")) and not supported(Path("a.doc"))


def test_what_is__names_the_bytes():
    assert (what_is(b"%PDF-1.7 ..."), what_is(EXE), what_is(ELF)) == (
        "a PDF",
        "a Windows program",
        "a Linux program",
    )


@pytest.mark.parametrize(
    ("file", "data", "reason"),
    [
        ("setup.pdf", EXE, "not a PDF: the file is a Windows program"),
        ("tool.pdf", ELF, "not a PDF: the file is a Linux program"),
        ("report.docx", b"plain text, not a zip", "not a Word .docx file: the file is unknown"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "save it as .docx"),
        ("photo.png", b"\xff\xd8\xff\xe0" + bytes(50), "not a PNG image: the file is a JPEG"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type .csv"),
    ],
)
def test_parse_bytes__refuses_bytes_that_are_not_what_the_name_says(file, data, reason):
    with pytest.raises(UnsupportedFileError, match=reason):
        parse_bytes(data, file)


def test_index__every_supported_type_is_indexed_with_its_provenance(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seeds_dir / "000_8a877e92fa28b082.txt", corpus)
    make_pdf(corpus / "report.pdf")
    make_docx(corpus / "review.docx")
    make_html(corpus / "news.html")
    store = _store(tmp_path)
    report = index_paths([corpus], store, HashEmbedding())
    assert (report.files, report.skipped) == (4, [])
    chunks = {s.chunk.file: [] for s in store.all_chunks()}
    for s in store.all_chunks():
        chunks[s.chunk.file].append(s.chunk)
    pdf = chunks["report.pdf"]
    assert {c.page for c in pdf} == {1, 2, 3} and {c.pages for c in pdf} == {3}
    assert next(c for c in pdf if "356家" in c.text).page == 2
    assert all(c.page is None and c.pages == 0 for f in ("review.docx", "news.html")
               for c in chunks[f])  # fmt: skip
    assert next(c for c in chunks["review.docx"] if "662 million" in c.text).section == (
        "Market size"
    )
    assert next(c for c in chunks["news.html"] if "DramaBox" in c.text).section == "市场格局"
    assert all(c.refs for f in ("review.docx", "news.html") for c in chunks[f])  # ¶ numbers


def test_index__bad_files_are_skipped_with_their_reasons_and_the_run_goes_on(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seeds_dir / "000_8a877e92fa28b082.txt", corpus)
    make_pdf(corpus / "locked.pdf", password="secret")
    good = make_pdf(corpus / "whole.pdf").read_bytes()
    (corpus / "truncated.pdf").write_bytes(good[: len(good) // 2])
    (corpus / "setup.pdf").write_bytes(EXE)
    make_zip_bomb(corpus / "bomb.docx")
    make_pdf(corpus / "long.pdf", [["第一页"]] * 30, title=None)
    (corpus / "empty.pdf").write_bytes(b"")
    (corpus / "big.html").write_text("<p>" + "word " * 20_000 + "</p>", encoding="utf-8")
    (corpus / "notes.csv").write_text("a,b\n", encoding="utf-8")
    report = index_paths(
        [corpus, corpus / "notes.csv"],
        _store(tmp_path),
        HashEmbedding(),
        max_pages=20,
        max_file_bytes=60_000,
    )
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons["locked.pdf"].startswith("encrypted: ")
    assert reasons["truncated.pdf"].startswith("damaged PDF")
    assert reasons["setup.pdf"].startswith("not a PDF: the file is a Windows program")
    assert "zip bomb" in reasons["bomb.docx"]
    assert reasons["long.pdf"].startswith("30 pages, over the limit of 20")
    assert reasons["empty.pdf"] == "empty file (0 bytes) - nothing to index"
    assert "over the per-file limit of 60,000 bytes" in reasons["big.html"]
    assert reasons["notes.csv"].startswith("unsupported file type .csv")
    assert len(reasons) == 8 and " - " in "".join(reasons.values())  # each says what to do
    assert report.files == 2  # the seed and whole.pdf
