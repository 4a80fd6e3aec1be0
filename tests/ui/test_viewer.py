"""The passage viewer's and the documents panel's HTML: pure functions, tested without Gradio."""

from __future__ import annotations

from index.types import Chunk
from rag.catalog import DocumentInfo, FileResult, Passage
from ui import shelf, viewer


def _chunk(text: str, position: int, **kw: object) -> Chunk:
    fields: dict = {"file": "年报 <1>.pdf", "title": "Report <b>", "page": 2} | kw
    return Chunk(f"c{position}", "a1", text, text, position=position, **fields)


def _passage(uploaded: bool = True, **kw: object) -> Passage:
    return Passage(
        chunk=_chunk("The cited <script>x</script> claim.", 5, section="Market & size", **kw),
        before=(_chunk("Just before.", 4),),
        after=(_chunk("Just after.", 6), _chunk("Then this.", 7)),
        uploaded=uploaded,
    )


def test_viewer__the_passage_marked_between_its_neighbours_everything_escaped():
    shown = viewer.viewer_html(_passage(), "行业报告", 3, "en")
    before, marked, after = shown.index("Just before."), shown.index("<mark>"), shown.index("Then")
    assert before < marked < shown.index("Just after.") < after
    assert "<mark>The cited &lt;script&gt;x&lt;/script&gt; claim.</mark>" in shown
    assert "<script>" not in shown and "Report &lt;b&gt;" in shown
    assert "年报 &lt;1&gt;.pdf · p. 2 · Market &amp; size" in shown
    assert '<span class="src-n">3</span>' in shown
    assert "第 2 页" in viewer.viewer_html(_passage(), "行业报告", 3, "zh")


def test_viewer__a_collection_pdf_gets_its_page_image_and_download_by_name_never_by_path():
    shown = viewer.viewer_html(_passage(path="/secret/dir/x.pdf"), "行业报告", 1, "en")
    collection, file = "%E8%A1%8C%E4%B8%9A%E6%8A%A5%E5%91%8A", "%E5%B9%B4%E6%8A%A5%20%3C1%3E.pdf"
    assert f'src="files/{collection}/{file}/page/2.png?chunk=c5"' in shown
    assert f'href="files/{collection}/{file}" download' in shown
    assert "/secret" not in shown


def test_viewer__no_image_for_a_file_without_pages_and_no_links_for_a_file_indexed_in_place():
    word = viewer.viewer_html(_passage(file="a.docx", page=None), "c", 1, "en")
    assert "<img" not in word and 'href="files/c/a.docx"' in word and " p. " not in word
    in_place = viewer.viewer_html(_passage(uploaded=False), "c", 1, "en")
    assert "<img" not in in_place and "files/" not in in_place and "<mark>" in in_place


def test_url__names_are_quoted_whole_so_no_slash_or_dots_reach_the_route():
    assert viewer.file_url("a/b", "../x y.pdf") == "files/a%2Fb/..%2Fx%20y.pdf"
    assert viewer.page_url("c", "f.pdf", 3, "id&x") == "files/c/f.pdf/page/3.png?chunk=id%26x"


def _doc(file: str, status: str = "indexed", pages: int | None = 3) -> DocumentInfo:
    return DocumentInfo("d1", file, pages, 7, status, "upload", "h", "/x/" + file)  # type: ignore[arg-type]


def test_documents__a_row_per_document_with_an_id_to_remove_never_a_path():
    shown = shelf.documents_html([_doc("<a>.pdf"), _doc("b.txt", "missing", 0)], "en")
    assert shown.count('<tr class="doc ') == 2 and "&lt;a&gt;.pdf" in shown
    assert 'data-doc="d1"' in shown and "/x/" not in shown
    assert "file missing" in shown and "<td>–</td>" in shown and "<td>3</td>" in shown
    assert "移除" in shelf.documents_html([_doc("a.pdf")], "zh")


def test_documents__empty_and_new_collections_say_what_to_do():
    assert "add files above" in shelf.documents_html([], "en")
    assert "“新库”是新资料库" in shelf.documents_html([], "zh", new="新库")


def test_upload_results__each_file_with_its_status_in_order():
    results = [
        FileResult("a.pdf", "a.pdf", "indexed", 12, None, "i1"),
        FileResult("copy.pdf", "a.pdf", "unchanged", 0, "same as a.pdf", "i1"),
        FileResult("<x>.bin", None, "skipped", 0, "binary file", None),
    ]
    shown = shelf.upload_results_html(results, "en")
    assert shown.index("a.pdf") < shown.index("copy.pdf") < shown.index("&lt;x&gt;.bin")
    assert "indexed, 12 passages" in shown
    assert "already in the collection as a.pdf" in shown
    assert "skipped: binary file" in shown
    assert "已索引，12 段" in shelf.upload_results_html(results, "zh")
    assert shelf.progress_text(3, 10, "en") == "Indexing: 3 of 10 passages"
    assert shelf.progress_text(0, 0, "zh") == "正在读取文件…"
