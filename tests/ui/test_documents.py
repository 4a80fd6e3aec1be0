"""The page's collection callbacks over a real library (hashing embedder, real Chroma): pick a
collection, add files, remove one, open a cited passage; and how they are wired."""

from __future__ import annotations

import gradio as gr
import pytest

from rag import Assistant
from rag.corpus.profile import load_profile
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
    status, docs, choices, emptied, *_ = d.add_files(library, "渔业", files, "en", progress)
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
    status, docs, choices, _, *shown = d.add_files(
        library, "a/b", _files(tmp_path, f_txt=FISH), "en", Progress()
    )
    assert "bad collection name" in status and 'role="alert"' in status
    assert shown == [gr.skip()] * 3, "the title, examples and publishers stay as they are"
    assert not (tmp_path / "idx" / "collections").exists()


MICRODRAMA = load_profile("microdrama")


def test_pick_collection__the_seeds_collection_shows_its_title_examples_and_publishers(library):
    out = dict(zip(d.PICK_OUT, d.pick_collection(library, "reports", "zh"), strict=True))
    assert out["header"].startswith("# 微短剧报告问答\n")
    assert out["examples"]["samples"] == [[q] for q in MICRODRAMA.examples]
    assert out["examples"]["visible"] is True
    assert out["publishers"]["choices"] == MICRODRAMA.publishers.choices("zh")
    assert out["publishers"]["value"] == [], "the filter of the last collection is cleared"


def test_pick_collection__a_new_name_shows_its_own_title_and_no_examples(library):
    out = dict(zip(d.PICK_OUT, d.pick_collection(library, "渔业", "en"), strict=True))
    assert out["header"].startswith("# 渔业 · report assistant\n")
    assert "Micro-drama" not in out["header"]
    assert out["examples"]["samples"] == [] and out["examples"]["visible"] is False
    assert out["publishers"]["choices"] == [] and out["publishers"]["value"] == []
    bad = dict(zip(d.PICK_OUT, d.pick_collection(library, "x y", "en"), strict=True))
    assert [bad[k] for k in d.HEADING_OUT] == [gr.skip()] * 3


def test_add_files__a_new_collection_then_shows_questions_about_its_documents(library, tmp_path):
    files = _files(tmp_path, fish_txt=FISH, orchard_md=ORCHARD)
    out = dict(zip(d.ADD_OUT, d.add_files(library, "渔业", files, "zh", Progress()), strict=True))
    assert out["header"].startswith("# 渔业 · 资料问答\n") and "微短剧" not in out["header"]
    assert sorted(out["examples"]["samples"]) == [
        ["What does “Fisheries of Port Alder” report?"],
        ["What does “Orchards of Vale” report?"],
    ]
    assert out["examples"]["visible"] is True and out["publishers"]["choices"] == []
    assert "value" not in out["publishers"], "adding files keeps the publishers chosen"


def test_refresh__on_load_the_chosen_collection_as_it_is_now(library, tmp_path):
    d.add_files(library, "c1", _files(tmp_path, fish_txt=FISH), "en", Progress())
    out = dict(zip(d.REFRESH_OUT, d.refresh(library, "c1", "en"), strict=True))
    assert (
        out["collection"]["choices"][-1] in ("c1", ("c1", "c1")) and "fish.txt" in out["documents"]
    )
    assert out["header"].startswith("# c1 · report assistant\n")
    assert out["examples"]["samples"] == [["What does “Fisheries of Port Alder” report?"]]
    out = dict(zip(d.REFRESH_OUT, d.refresh(library, "reports", "en"), strict=True))
    assert out["header"].startswith("# Micro-drama report assistant\n")


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
    chat, turns, sources, notices, last, viewer, status, docs, *_ = d.pick_collection(
        library, "c1", "en"
    )
    assert chat == [] and turns == [] and last is None and notices == "" and status == ""
    assert viewer["visible"] is False and "fish.txt" in docs
    docs_at = d.PICK_OUT.index("documents")
    assert "is a new collection" in d.pick_collection(library, "新的", "en")[docs_at]
    assert "bad collection name" in d.pick_collection(library, "x y", "en")[docs_at]


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
