"""The page's collection callbacks over a real library (hashing embedder, real Chroma): pick a
collection, add files, remove one, open a cited passage; and how they are wired."""

from __future__ import annotations

import gradio as gr
import pytest

from rag import Assistant
from tests.docs_factory import make_pdf
from tests.library_support import FISH, ORCHARD, fake_models, make_library
from ui import documents as d
from ui.app import build_app


class Progress:
    """Records what the page's progress bar is told."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, str]] = []

    def __call__(self, value: object, desc: str = "") -> None:
        self.calls.append((value, desc))


@pytest.fixture
def library(tmp_path, monkeypatch):
    fake_models(monkeypatch)
    return make_library(tmp_path / "idx")


def _files(tmp_path, **named: bytes) -> list[str]:
    paths = []
    for name, data in named.items():
        (tmp_path / "uploads").mkdir(exist_ok=True)
        path = tmp_path / "uploads" / name.replace("_", ".")
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_add_files__each_file_gets_its_status_and_the_new_collection_its_documents(
    library, tmp_path
):
    progress = Progress()
    files = _files(tmp_path, fish_txt=FISH, empty_txt=b"", orchard_md=ORCHARD)
    status, docs, choices, emptied = d.add_files(library, "渔业", files, "en", progress)
    assert "fish.txt</b>: indexed, " in status and "orchard.md</b>: indexed" in status
    assert "empty.txt</b>: skipped: " in status and "empty" in status.split("empty.txt")[1]
    assert "fish.txt" in docs and "orchard.md" in docs and "empty.txt" not in docs
    assert choices["choices"][-1] in ("渔业", ("渔业", "渔业")) and choices["value"] == "渔业"
    assert emptied is None, "the file box is emptied for the next files"
    assert progress.calls[0][1] == "Reading the files…"
    done, total = progress.calls[-1][0]
    assert done == total > 0 and progress.calls[-1][1] == f"Indexing: {done} of {total} passages"

    again, *_ = d.add_files(library, "渔业", files[:1], "zh", Progress())
    assert "未变化" in again


def test_add_files__a_bad_collection_name_is_said_and_nothing_is_written(library, tmp_path):
    status, docs, choices, _ = d.add_files(
        library, "a/b", _files(tmp_path, f_txt=FISH), "en", Progress()
    )
    assert "bad collection name" in status and 'role="alert"' in status
    assert not (tmp_path / "idx" / "collections").exists()


def test_remove_document__by_id_then_the_list_without_it(library, tmp_path):
    d.add_files(
        library, "c1", _files(tmp_path, fish_txt=FISH, orchard_md=ORCHARD), "en", Progress()
    )
    fish = next(doc for doc in library.documents("c1") if doc.file == "fish.txt")
    status, docs = d.remove_document(library, "c1", "en", fish.id)
    assert "Removed fish.txt." in status and "fish.txt" not in docs and "orchard.md" in docs
    status, docs = d.remove_document(library, "c1", "en", "../../etc")
    assert "no document" in status and docs is not None


def test_pick_collection__a_new_conversation_and_its_documents(library, tmp_path):
    d.add_files(library, "c1", _files(tmp_path, fish_txt=FISH), "en", Progress())
    chat, turns, sources, notices, last, viewer, status, docs = d.pick_collection(
        library, "c1", "en"
    )
    assert chat == [] and turns == [] and last is None and notices == "" and status == ""
    assert viewer["visible"] is False and "fish.txt" in docs
    assert "is a new collection" in d.pick_collection(library, "新的", "en")[-1]
    assert "bad collection name" in d.pick_collection(library, "x y", "en")[-1]


def test_open_passage__citation_n_of_the_last_answer_in_context(library, tmp_path):
    pdf = make_pdf(tmp_path / "年报.pdf").read_bytes()
    library.add("c1", [("年报.pdf", pdf)])
    answer = library.assistant("c1").ask("协会会员单位共有多少家？", backend="extractive")
    cited = answer.citations[0]
    column, shown, viewing = d.open_passage(library, "c1", answer, "zh", cited.n)
    assert column["visible"] is True and viewing == cited.n
    marked = shown.split("<mark>")[1].split("</mark>")[0]
    assert "356" in marked and "第 2 页" in shown
    assert "/page/2.png?chunk=" in shown and "下载原文件" in shown
    nothing = (gr.skip(),) * 3  # no such citation: the viewer stays as it is
    assert d.open_passage(library, "c1", answer, "zh", 99) == nothing
    assert d.open_passage(library, "c1", None, "zh", 1) == nothing


def test_wiring__adding_files_never_waits_for_an_answer(library):
    demo = build_app(Assistant(library.settings), library=library)
    groups = {f.api_name: (f.concurrency_id, f.concurrency_limit) for f in demo.fns.values()}
    assert groups["add_files"] == ("library", 1) and groups["respond"] == ("answer", 1)
    assert groups["opening"][0] == "viewer"
    routes = {r.path for r in demo.serving["app_kwargs"]["routes"]}
    assert routes == {"/files/{collection}/{file}", "/files/{collection}/{file}/page/{page}.png"}


def test_relabel__the_collection_widgets_in_the_new_language(library, tmp_path):
    d.add_files(library, "c1", _files(tmp_path, fish_txt=FISH), "en", Progress())
    out = dict(zip(d.RELABEL_OUT, d.relabel(library, "c1", "zh", None, None), strict=True))
    assert out["collection"]["label"] == "资料库" and out["docs_accordion"]["label"] == "文档"
    assert "文件" in out["documents"] and "fish.txt" in out["documents"]
    assert out["close"]["value"] == "关闭" and "原文上下文" in out["viewer_title"]
