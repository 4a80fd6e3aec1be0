"""Which llama.cpp build the model process loads (rag/llm/isa.py): a faster one only on a CPU that
has every extension it was compiled for, and only when it is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.llm import isa

[VARIANT] = isa.VARIANTS
CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
flags\t\t: fpu sse2 avx avx2 fma f16c bmi2 {extra}
bugs\t\t: spectre_v1
"""


def _installed(tmp_path: Path) -> Path:
    folder = tmp_path / VARIANT.folder
    folder.mkdir()
    (folder / "libllama.so").write_bytes(b"\x7fELF")
    return tmp_path


def test_cpu_flags__reads_the_flags_line() -> None:
    flags = isa.cpu_flags(CPUINFO.format(extra="avx512f avx512_vnni"))
    assert {"avx2", "fma", "avx512f", "avx512_vnni"} <= flags
    assert "spectre_v1" not in flags
    assert isa.cpu_flags("processor : 0\n") == frozenset()


def test_library__the_variant_on_a_cpu_with_all_its_extensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RAG_LLAMA_ISA", raising=False)
    package = _installed(tmp_path)
    flags = isa.cpu_flags(CPUINFO.format(extra=" ".join(sorted(VARIANT.needs))))

    assert isa.library("auto", flags, package) == (VARIANT.name, package / VARIANT.folder)
    assert isa.library(VARIANT.name, flags, package)[0] == VARIANT.name


@pytest.mark.parametrize("missing", sorted(VARIANT.needs))
def test_library__the_baseline_when_the_cpu_lacks_one_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.delenv("RAG_LLAMA_ISA", raising=False)
    flags = frozenset(VARIANT.needs - {missing})  # e.g. AVX-512 without VNNI (Skylake-SP)

    assert isa.library("auto", flags, _installed(tmp_path)) == (isa.BASELINE, None)
    assert isa.library(VARIANT.name, flags, tmp_path) == (isa.BASELINE, None)


def test_library__the_baseline_when_the_variant_is_not_installed_or_not_wanted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RAG_LLAMA_ISA", raising=False)
    flags = VARIANT.needs

    assert isa.library("auto", flags, tmp_path) == (isa.BASELINE, None)  # RAG_LLAMA_VARIANTS=none
    package = _installed(tmp_path)
    assert isa.library("baseline", flags, package) == (isa.BASELINE, None)
    monkeypatch.setenv("RAG_LLAMA_ISA", "baseline")
    assert isa.library("auto", flags, package) == (isa.BASELINE, None)


def test_library__an_unknown_build_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_LLAMA_ISA", "avx1024")
    with pytest.raises(ValueError, match="avx1024.*auto, baseline"):
        isa.library("auto", VARIANT.needs, tmp_path)
