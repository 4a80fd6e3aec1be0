"""The built wheel is the product: it holds every package and the prompts, and an install of it
(in a fresh virtualenv, outside the source tree) indexes and answers."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of what a clone holds, so the build leaves nothing in the work tree."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("rag", "index", "ui", "prompts"):
        shutil.copytree(REPO / name, source / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(out.glob("report_rag-*.whl"))


def test_wheel__holds_the_prompts_the_profiles_and_every_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (REPO / "prompts").glob("*.txt")}
    assert shipped and {f"prompts/{n}" for n in shipped} <= names
    for package in ("rag/answer", "rag/llm", "rag/http", "rag/retrieval", "rag/evaluation",
                    "rag/bench", "rag/corpus", "index", "index/formats", "index/storage",
                    "index/text", "ui/cli"):  # fmt: skip
        assert f"{package}/__init__.py" in names, package
    assert "rag/corpus/profiles/microdrama.toml" in names  # the shipped corpus profile
    assert not any(n.startswith(("tests/", "seeds/")) for n in names)


def test_wheel__installed_in_a_fresh_virtualenv_answers_a_question(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    # The dependencies come from the project's environment (no network here); the product itself
    # only from the wheel: a plain path entry, so the editable install there is not seen.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    report = tmp_path / "report.txt"
    report.write_text(
        "郑州短剧产业\n郑州日报· 2025-06-01 08:00\n"
        "郑州每天开机的短剧近百部，已成为全国短剧拍摄重镇。\n",
        encoding="utf-8",
    )
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp_path / "index"), "HF_HUB_OFFLINE": "1"}
    rag = env_dir / "bin" / "rag"
    run = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 300}
    done = subprocess.run([rag, "index", str(report)], **run)
    assert done.returncode == 0, done.stderr[-800:]
    done = subprocess.run([rag, "ask", "郑州每天开机多少部短剧？", "--backend", "extractive",
                           "--json"], **run)  # fmt: skip
    assert done.returncode == 0, done.stderr[-800:]
    answer = json.loads(done.stdout)
    assert not answer["refused"] and "近百部" in answer["answer"]
    assert answer["citations"][0]["file"] == "report.txt"
    where = subprocess.run(
        [python, "-c", "import prompts, rag; print(prompts.__file__, rag.__file__)"], **run
    ).stdout
    assert str(REPO) not in where and str(env_dir) in where
