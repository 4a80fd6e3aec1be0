"""The HTTP API on a loopback port, used through the real OpenAI client library."""

from __future__ import annotations

import httpx
import pytest

from rag import Assistant, Settings
from rag.http.api import build_api
from tests.conftest import SEEDS
from tests.support import running

pytestmark = [pytest.mark.slow, pytest.mark.integration]

TOKEN = "test-token"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    assistant = Assistant(
        Settings(index_dir=tmp_path_factory.mktemp("api") / "idx", llm_backend="extractive")
    )
    assistant.index([SEEDS / "002_c22822ce1c7e6321.txt"])
    with running(build_api(assistant, token=TOKEN, max_body=4096)) as url:
        yield url


def _client(base_url: str, key: str = TOKEN):
    from openai import OpenAI

    return OpenAI(base_url=f"{base_url}/v1", api_key=key, max_retries=0)


QUESTION = "How many micro-short drama users did China have by July?"


def test_chat__an_openai_client_gets_an_answer_with_citations(base_url):
    reply = _client(base_url).chat.completions.create(
        model="report-rag", messages=[{"role": "user", "content": QUESTION}]
    )
    assert "696" in reply.choices[0].message.content
    extra = reply.model_extra
    assert extra["refused"] is False
    assert extra["citations"][0]["title"] == "“抢场地、抢演员、AIGC助力” 记者实探郑州短剧基地"
    assert extra["citations"][0]["publisher"] == "Cailian Press"


def test_chat__streaming_ends_with_the_checked_answer_and_citations(base_url):
    stream = _client(base_url).chat.completions.create(
        model="report-rag", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "696" in text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] and "696" in last.model_extra["answer"]


def test_chat__a_wrong_token_is_refused(base_url):
    from openai import AuthenticationError

    with pytest.raises(AuthenticationError):
        _client(base_url, key="wrong").chat.completions.create(
            model="report-rag", messages=[{"role": "user", "content": QUESTION}]
        )


def test_chat__an_oversized_request_gets_413(base_url):
    big = {"model": "x", "messages": [{"role": "user", "content": "短剧" * 5000}]}
    reply = httpx.post(
        f"{base_url}/v1/chat/completions", json=big, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert reply.status_code == 413


def test_chat__an_empty_question_gets_400(base_url):
    reply = httpx.post(
        f"{base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "  "}]},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert reply.status_code == 400 and "empty" in reply.json()["detail"]


def test_retrieve_and_health(base_url):
    reply = httpx.post(
        f"{base_url}/v1/retrieve",
        json={"question": "郑州有多少家制作公司？", "k": 3},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    contexts = reply.json()["contexts"]
    # one article indexed, at most two contexts per article
    assert reply.status_code == 200 and len(contexts) == 2 and contexts[0]["rank"] == 1
    assert contexts[0]["page"] is None and "section" in contexts[0]  # a text export: no pages
    health = httpx.get(f"{base_url}/health").json()
    generation = health.pop("generation")
    assert health == {"status": "ok", "chunks": 10, "requests_inside": 0, "requests_limit": 36}
    assert generation.startswith("1-")  # one indexing run: one write batch
    assert httpx.get(f"{base_url}/openapi.json").json()["paths"]["/v1/retrieve"]
