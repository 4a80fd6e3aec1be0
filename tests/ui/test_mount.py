"""`rag serve --ui`: the chat page mounted on the API server, both answering on one port."""

from __future__ import annotations

import httpx
import pytest

from rag import Assistant, Settings
from rag.http.api import build_api
from tests.conftest import SEEDS
from tests.support import running
from ui.app import mount

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    assistant = Assistant(
        Settings(index_dir=tmp_path_factory.mktemp("page") / "idx", llm_backend="extractive")
    )
    assistant.index([SEEDS / "002_c22822ce1c7e6321.txt"])
    api = mount(build_api(assistant, token="t0ken"), assistant, "/ui", [("ann", "pw")])
    with running(api) as url:
        yield url


def test_page__mounted_next_to_the_api_and_behind_its_own_login(base_url):
    assert httpx.get(f"{base_url}/health").json()["status"] == "ok"
    assert httpx.post(f"{base_url}/v1/retrieve", json={"question": "短剧"}).status_code == 401
    assert httpx.get(f"{base_url}/ui/", follow_redirects=True).status_code == 200
    assert httpx.get(f"{base_url}/ui/config").status_code == 401  # the page's own login


def test_page__answers_through_the_mounted_queue(base_url):
    from gradio_client import Client

    client = Client(f"{base_url}/ui/", auth=("ann", "pw"), verbose=False)
    chat, sources, notices, question_box = client.predict(
        text="How many micro-drama users are there?",
        chat=[],
        collection="reports",
        lang_now="en",
        backend_name="extractive",
        k_value=4,
        pubs=[],
        d_from="",
        d_to="",
        api_name="/respond",
    )
    answer = chat[-1]["content"][0]["text"]
    assert "696 million" in answer and 'class="cite"' in answer
    assert "002_c22822ce1c7e6321.txt" in sources or "src-1" in sources
    assert notices == "" and question_box == ""
