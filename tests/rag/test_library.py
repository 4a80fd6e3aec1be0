"""The library of collections over a real embedded Chroma, with the hashing fake embedder."""

from __future__ import annotations

import pytest

from index.storage.chroma import collection_names
from index.storage.collections import CollectionNameError, UnknownCollectionError, chroma_name
from rag import Assistant, Settings
from rag.errors import (
    NotInCollectionError,
    RagError,
    UnknownDocumentError,
    UnknownPassageError,
)
from tests.conftest import SEEDS
from tests.library_support import FISH, ORCHARD, WIND, fake_models, make_library

FISH_Q = "How much cod did Port Alder land?"


@pytest.fixture
def embedder(monkeypatch):
    return fake_models(monkeypatch)


@pytest.fixture
def library(tmp_path, embedder):
    return make_library(tmp_path / "idx", max_file_bytes=2000)


def test_add__indexes_good_files_and_gives_each_bad_one_its_reason(library, tmp_path):
    results = library.add(
        "alpha",
        [
            ("fish.txt", FISH),
            ("empty.txt", b""),
            ("big.txt", b"word " * 1000),
            ("../../escape.md", ORCHARD),
            ("blob.bin", bytes(range(256)) * 4),
        ],
    )
    by_upload = {r.upload: r for r in results}
    assert [r.upload for r in results] == [
        "fish.txt",
        "empty.txt",
        "big.txt",
        "../../escape.md",
        "blob.bin",
    ]
    assert by_upload["fish.txt"].status == "indexed" and by_upload["fish.txt"].chunks > 0
    assert "empty" in by_upload["empty.txt"].reason
    assert "over the per-file limit of 2,000 bytes" in by_upload["big.txt"].reason
    assert by_upload["../../escape.md"].file == "escape.md"  # the path parts dropped
    blob = by_upload["blob.bin"]
    assert (
        blob.status == "skipped"
        and "unsupported file type" in blob.reason
        and str(tmp_path) not in blob.reason
    )
    files = tmp_path / "idx" / "collections" / "alpha" / "files"
    assert sorted(p.name for p in files.iterdir()) == ["escape.md", "fish.txt"]
    assert not list(tmp_path.glob("escape.md")) and not (tmp_path / "idx" / "escape.md").exists()
    assert {d.file for d in library.documents("alpha")} == {"fish.txt", "escape.md"}


def test_add__the_same_content_is_not_embedded_again_and_a_name_clash_gets_a_suffix(
    library, embedder
):
    [fish] = library.add("alpha", [("fish.txt", FISH)])
    before = embedder.embedded
    again = library.add(
        "alpha", [("copy of fish.txt", FISH), ("twice.txt", WIND), ("again.txt", WIND)]
    )
    assert again[0].status == "unchanged" and again[0].file == "fish.txt"
    assert again[0].id == fish.id and "same content as fish.txt" in again[0].reason
    assert again[1].status == "indexed" and again[2].status == "unchanged"  # in one batch too
    wind_chunks = again[1].chunks
    assert embedder.embedded == before + wind_chunks
    clash = library.add("alpha", [("fish.txt", ORCHARD)])
    assert clash[0].status == "indexed" and clash[0].file == "fish-2.txt"
    assert sorted(d.file for d in library.documents("alpha")) == [
        "fish-2.txt",
        "fish.txt",
        "twice.txt",
    ]


def test_collections__a_question_in_one_never_cites_another(library):
    library.add("alpha", [("fish.txt", FISH)])
    library.add("行业报告", [("orchard.txt", ORCHARD)])
    alpha, other = library.assistant("alpha"), library.assistant("行业报告")
    assert {h.item.file for h in alpha.retrieve(FISH_Q, k=10)} == {"fish.txt"}
    assert {h.item.file for h in other.retrieve(FISH_Q, k=10)} == {"orchard.txt"}
    answer = other.ask(FISH_Q)
    assert all(c.file == "orchard.txt" for c in answer.citations)
    assert "fish.txt" in {c.file for c in alpha.ask(FISH_Q).citations}
    infos = {i.name: (i.documents, i.chunks > 0, i.default) for i in library.collections()}
    assert infos == {
        "reports": (0, False, True),
        "alpha": (1, True, False),
        "行业报告": (1, True, False),
    }
    assert chroma_name("行业报告").startswith("h.")
    assert alpha.embedder is other.embedder  # one model in memory


def test_remove__the_document_leaves_the_store_the_second_set_the_folder_and_the_answers(
    library,
):
    library.add("alpha", [("fish.txt", FISH), ("orchard.txt", ORCHARD)])
    assistant = library.assistant("alpha")
    assert "fish.txt" in {h.item.file for h in assistant.retrieve(FISH_Q)}  # loaded, cached
    fish = next(d for d in library.documents("alpha") if d.file == "fish.txt")
    removed = library.remove("alpha", fish.id)
    assert removed.file == "fish.txt"
    assert [d.file for d in library.documents("alpha")] == ["orchard.txt"]
    assert "fish.txt" not in {h.item.file for h in assistant.retrieve(FISH_Q)}
    store = library._store("alpha")
    assert store.second is not None and store.second.store.count() == store.count()
    with pytest.raises(NotInCollectionError):
        library.file_path("alpha", "fish.txt")
    with pytest.raises(UnknownDocumentError, match="no document"):
        library.remove("alpha", fish.id)


def test_file_path__only_files_inside_the_collection_folder(library, tmp_path):
    library.add("alpha", [("fish.txt", FISH)])
    assert library.file_path("alpha", "fish.txt").read_bytes() == FISH
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    files = tmp_path / "idx" / "collections" / "alpha" / "files"
    (files / "link.txt").symlink_to(outside)
    for bad in ("../collection.json", "/etc/passwd", "link.txt", "..", "", "missing.txt"):
        with pytest.raises(NotInCollectionError):
            library.file_path("alpha", bad)


def test_remove_collection__drops_its_chroma_collections_and_folder_not_the_default(
    library, tmp_path
):
    library.add("alpha", [("fish.txt", FISH)])
    library.add("beta", [("orchard.txt", ORCHARD)])
    library.remove_collection("alpha")
    names = collection_names(tmp_path / "idx", None)
    assert names == ["beta", "beta.usem3"]
    assert not (tmp_path / "idx" / "collections" / "alpha").exists()
    with pytest.raises(UnknownCollectionError):
        library.documents("alpha")
    with pytest.raises(RagError, match="--force"):
        library.remove_collection("reports")
    with pytest.raises(CollectionNameError):
        library.add("../x", [("a.txt", FISH)])


def test_default_collection__answers_from_the_existing_seeds_layout(tmp_path, embedder):
    settings = Settings(index_dir=tmp_path / "idx", llm_backend="extractive")
    Assistant(settings).index([SEEDS])  # the layout shipped indexes have: reports + reports.usem3
    embedded = embedder.embedded
    library = make_library(tmp_path / "idx")
    assert collection_names(tmp_path / "idx", None) == ["reports", "reports.usem3"]
    [info] = library.collections()
    assert (info.name, info.documents, info.chunks, info.default) == ("reports", 5, 265, True)
    answer = library.assistant().ask("郑州每天大约开机多少部短剧？")
    assert answer.citations and all(c.file.startswith("00") for c in answer.citations)
    assert embedder.embedded == embedded  # nothing embedded again
    assert library.assistant("reports") is library.assistant()


def test_add__questions_in_other_collections_go_on_while_it_embeds(library, embedder, monkeypatch):
    import threading

    library.add("beta", [("orchard.txt", ORCHARD)])
    beta = library.assistant("beta")
    beta.retrieve("orchards")  # loaded before the upload starts
    started, release = threading.Event(), threading.Event()
    embed = type(embedder)._get_text_embeddings

    def held(self, texts):
        started.set()
        release.wait(10)
        return embed(self, texts)

    monkeypatch.setattr(type(embedder), "_get_text_embeddings", held)
    upload = threading.Thread(target=library.add, args=("alpha", [("fish.txt", FISH)]))
    upload.start()
    try:
        assert started.wait(10)
        answered = threading.Thread(target=beta.ask, args=("How many hectares of orchards?",))
        answered.start()
        answered.join(5)
        assert not answered.is_alive()  # not queued behind alpha's embedding
    finally:
        release.set()
        upload.join(10)
    assert [d.file for d in library.documents("alpha")] == ["fish.txt"]


def test_add__a_pdf_over_the_page_limit_is_skipped_and_a_short_one_cited_to_its_page(
    tmp_path, embedder
):
    from tests.docs_factory import REPORT_PAGES, make_pdf

    library = make_library(tmp_path / "idx", max_pages=len(REPORT_PAGES))
    short = make_pdf(tmp_path / "short.pdf").read_bytes()
    long = make_pdf(tmp_path / "long.pdf", [*REPORT_PAGES, ["附录"]]).read_bytes()
    short_result, long_result = library.add("pdfs", [("报告.pdf", short), ("长报告.pdf", long)])
    assert short_result.status == "indexed"
    assert long_result.status == "skipped" and str(len(REPORT_PAGES)) in long_result.reason
    (doc,) = library.documents("pdfs")
    assert doc.file == "报告.pdf" and doc.pages == len(REPORT_PAGES)
    answer = library.assistant("pdfs").ask(REPORT_PAGES[1][1])
    assert answer.citations and answer.citations[0].page == 2


LONG = (
    "Harbour report\n\n"
    + "\n\n".join(
        f"Section {i}: the harbour of Port Alder counted {i * 100} boats in month {i}."
        for i in range(1, 9)
    )
    + "\n"
).encode()


def test_passage__the_chunk_with_its_neighbours_in_order_and_whether_it_is_an_upload(
    library, tmp_path
):
    library.add("alpha", [("harbour.txt", LONG)])
    chunks = sorted(
        (s.chunk for s in library._store("alpha").all_chunks()), key=lambda c: c.position
    )
    assert len(chunks) >= 4, "the test needs a document of several chunks"
    middle = chunks[len(chunks) // 2]
    passage = library.passage("alpha", middle.chunk_id, around=1)
    assert passage.chunk == middle and passage.uploaded
    assert [c.position for c in passage.before] == [middle.position - 1]
    assert [c.position for c in passage.after] == [middle.position + 1]
    first = library.passage("alpha", chunks[0].chunk_id, around=2)
    assert first.before == () and len(first.after) == 2

    in_place = tmp_path / "reports"
    in_place.mkdir()
    (in_place / "fish.txt").write_bytes(FISH)
    library.assistant("alpha").index([in_place / "fish.txt"], remember=False)
    fish = next(s.chunk for s in library._store("alpha").all_chunks() if s.chunk.file == "fish.txt")
    assert not library.passage("alpha", fish.chunk_id).uploaded  # indexed in place: no download
    with pytest.raises(UnknownPassageError, match="no passage"):
        library.passage("alpha", "nope")
    with pytest.raises(UnknownCollectionError):
        library.passage("nowhere", middle.chunk_id)


def test_profiles__each_collection_answers_with_its_own(library, tmp_path):
    # the seeds' collection: the micro-drama profile; a new one: the neutral profile
    assert library.assistant().profile.name == "microdrama"
    library.add("alpha", [("fish.txt", FISH)])
    alpha = library.assistant("alpha")
    assert alpha.profile.name == "neutral"
    assert alpha.profile.names.entries == () and not alpha.profile.examples
    assert library.assistant().profile.name == "microdrama"  # the base keeps its own
    # created with a profile file: kept beside the collection, read by every worker alike
    profile = tmp_path / "fisheries.toml"
    profile.write_text(
        'name = "fisheries"\n[page]\ntitle = { zh = "渔业报告", en = "Fisheries reports" }\n'
        'examples = ["How much cod was landed?"]\n'
        '[[names]]\nzh = "奥尔德港"\nen = "Port Alder"\n',
        encoding="utf-8",
    )
    info = library.create("fish", profile)
    assert (info.name, info.documents) == ("fish", 0)
    fish = library.assistant("fish")
    assert fish.profile.name == "fisheries" and fish.profile.title("en") == "Fisheries reports"
    assert fish.reader.read("奥尔德港的鳕鱼有多少？").other_names == ("Port Alder",)
    assert make_library(tmp_path / "idx").assistant("fish").profile.name == "fisheries"


def test_create__an_existing_collection_or_a_bad_profile_is_refused(library, tmp_path):
    from rag.corpus.profile import ProfileError
    from rag.errors import CollectionExistsError

    library.add("alpha", [("fish.txt", FISH)])
    with pytest.raises(CollectionExistsError, match="'alpha' exists"):
        library.create("alpha")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml"):
        library.create("beta", bad)
    with pytest.raises(ProfileError, match="no corpus profile named 'nosuch'"):
        library.create("beta", "nosuch")
    assert not library.exists("beta")


def test_page__a_new_collection_shows_its_own_title_and_examples(library):
    assert library.assistant().page_title("zh") == "微短剧报告问答"  # the seeds' profile
    library.add("渔业", [("fish.txt", FISH), ("orchard.txt", ORCHARD)])
    fish = library.assistant("渔业")
    assert fish.page_title("zh") == "渔业 · 资料问答"
    assert fish.page_title("en") == "渔业 · report assistant"
    assert sorted(fish.page_examples()) == [
        "What does “Fisheries of Port Alder” report?",
        "What does “Orchards of Vale” report?",
    ]


def test_find__a_collection_that_exists_or_none(library):
    assert library.find("harbour") is None  # a name the page is about to create: nothing made
    assert not library.exists("harbour")
    library.add("harbour", [("fish.txt", FISH)])
    assert library.find("harbour") is library.assistant("harbour")
    assert library.find(library.default) is library.assistant()
