"""The installed llama.cpp is built for the stated baseline, not for the machine that built it.

The baseline (scripts/llama_wheel.sh): x86-64 with AVX2, FMA, F16C and BMI2. A build for the build
host (llama.cpp's default GGML_NATIVE=ON) holds AMX and AVX-512 code on a machine that has them,
and segfaults in the first decode on some of them (llama.cpp issue 20824). Two checks, each of
which fails on every machine if a native build comes back:

- the disassembly of every native library holds no instruction outside the baseline (AMX,
  AVX-512's registers and masks, VNNI, BF16), whatever CPU runs the test;
- the compiler's recorded command lines (`-frecord-gcc-switches`) never say `-march=native`, and
  do name the baseline's `-mavx2 -mfma -mf16c -mbmi2`, so even a host without AVX-512 (where a
  native build's code would look like the baseline's) cannot hide one.

The AVX-512 + VNNI variant installed beside it (`llama_cpp/lib-avx512-vnni/`, loaded only on a
CPU that lists every extension `rag/llm/isa.py` names for it) was compiled for exactly those
extensions, never `-march=native`, and holds no AMX or BF16 code.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from rag.llm import isa

# AT&T syntax, as objdump prints it.
OUTSIDE_BASELINE = {
    "AMX": re.compile(
        r"\b(?:tdpb\w*|tdpfp16ps|tileload\w*|tilestored|tilerelease|tilezero|"
        r"ldtilecfg|sttilecfg)\b"
    ),
    "AVX-512 zmm register": re.compile(r"%zmm\d+"),
    "AVX-512 upper xmm/ymm register": re.compile(r"%[xy]mm(?:1[6-9]|2\d|3[01])\b"),
    "AVX-512 mask register": re.compile(r"%k[0-7]\b"),
    "VNNI": re.compile(r"\bvpdp(?:bu|ws)sds?\b"),
    "BF16": re.compile(r"\b(?:vdpbf16ps|vcvtne2?ps2bf16)\b"),
}


def outside_baseline(disassembly: str) -> Counter[str]:
    """How many instructions of each kind outside the baseline a disassembly holds."""
    found: Counter[str] = Counter()
    for line in disassembly.splitlines():
        if "\t" not in line:  # labels and headers; instructions are tab-separated
            continue
        for kind, pattern in OUTSIDE_BASELINE.items():
            if pattern.search(line):
                found[kind] += 1
    return found


def _native_libraries() -> list[Path]:
    spec = importlib.util.find_spec("llama_cpp")
    assert spec and spec.origin, (
        "llama-cpp-python is not installed: run `make install` (scripts/llama_wheel.sh)"
    )
    libs = sorted((Path(spec.origin).parent / "lib").glob("lib*.so"))  # (.so.0... are copies)
    assert any(p.name.startswith("libggml-cpu") for p in libs), f"no libggml-cpu among {libs}"
    return libs


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install binutils"
    return path


def test_outside_baseline__counts_amx_and_avx512_and_passes_the_baseline() -> None:
    disassembly = "\n".join(
        [
            "0000000000012340 <ggml_amx>:",
            "   12340:\tc4 e2 73 5e c8       \ttdpbssd %tmm1,%tmm0,%tmm2",
            "   12345:\tc4 e2 7b 4b 04 08    \ttileloaddt1 (%rax,%rcx,1),%tmm0",
            "   1234b:\t62 f1 7c 48 10 00    \tvmovups (%rax),%zmm0",
            "   12351:\t62 f1 7c 29 11 07    \tvmovups %ymm0,(%rdi){%k1}",
            "   12357:\t62 e1 7c 28 10 c0    \tvmovups %ymm16,%ymm0",
            "   1235d:\tc4 e2 71 50 c2       \t{vex} vpdpbusd %xmm2,%xmm1,%xmm0",
            # the baseline: AVX2, FMA, F16C, BMI2
            "   12362:\tc5 fc 10 00          \tvmovups (%rax),%ymm0",
            "   12366:\tc4 e2 75 b8 c2       \tvfmadd231ps %ymm2,%ymm1,%ymm0",
            "   1236b:\tc4 e2 7d 13 00       \tvcvtph2ps (%rax),%ymm0",
            "   12370:\tc4 e2 f3 f5 c0       \tpdep   %rax,%rcx,%rax",
            "   12375:\tc5 7c 10 7f 20       \tvmovups 0x20(%rdi),%ymm15",
        ]
    )

    assert outside_baseline(disassembly) == Counter(
        {
            "AMX": 2,
            "AVX-512 zmm register": 1,
            "AVX-512 mask register": 1,
            "AVX-512 upper xmm/ymm register": 1,
            "VNNI": 1,
        }
    )


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 baseline")
def test_installed_llama_cpp__holds_no_instruction_outside_the_baseline() -> None:
    objdump = _tool("objdump")
    found = {}
    for lib in _native_libraries():
        disassembly = subprocess.run(
            [objdump, "-d", "--no-show-raw-insn", str(lib)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert disassembly.count("\n") > 1000, f"objdump read almost nothing of {lib}"
        if counts := outside_baseline(disassembly):
            found[lib.name] = dict(counts)
    assert not found, (
        f"llama.cpp was built for another CPU than the baseline: {found}. Rebuild it with "
        "`RAG_LLAMA_REBUILD=1 scripts/llama_wheel.sh .venv/bin/python`"
    )


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 baseline")
def test_installed_llama_cpp__was_compiled_for_the_baseline_not_the_build_host() -> None:
    readelf = _tool("readelf")
    [cpu] = [p for p in _native_libraries() if p.name.startswith("libggml-cpu")]
    recorded = subprocess.run(
        [readelf, "-p", ".GCC.command.line", str(cpu)], capture_output=True, text=True
    ).stdout
    assert "GNU C" in recorded, (
        f"{cpu.name} does not record how it was compiled (-frecord-gcc-switches): it was not "
        "built by scripts/llama_wheel.sh (rebuild with RAG_LLAMA_REBUILD=1 scripts/llama_wheel.sh)"
    )
    assert "-march=native" not in recorded and "-mtune=native" not in recorded
    for flag in ("-mavx2", "-mfma", "-mf16c", "-mbmi2"):
        assert flag in recorded, f"{cpu.name} was not compiled with {flag}"
    assert not re.search(r"-m(?:avx512\w*|amx-\w+)\b", recorded)


# --- the AVX-512 + VNNI variant, loaded only on a CPU that has it (rag/llm/isa.py) ---------------

CPUINFO_NAME = {"avx512vnni": "avx512_vnni"}  # gcc's -m flag -> /proc/cpuinfo's flag


def _variant_cpu_library() -> Path:
    spec = importlib.util.find_spec("llama_cpp")
    assert spec and spec.origin
    [variant] = isa.VARIANTS
    folder = Path(spec.origin).parent / variant.folder
    assert (folder / "libllama.so").exists(), (
        f"llama.cpp's {variant.name} build is not installed in {folder}: run `make install` "
        "(scripts/llama_wheel.sh; RAG_LLAMA_VARIANTS=none skips it)"
    )
    [cpu] = sorted(folder.glob("libggml-cpu*.so"))
    return cpu


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 variant")
@pytest.mark.skipif(os.environ.get("RAG_LLAMA_VARIANTS") == "none", reason="variant not built")
def test_installed_variant__was_compiled_for_exactly_the_extensions_it_is_chosen_for() -> None:
    cpu = _variant_cpu_library()
    recorded = subprocess.run(
        [_tool("readelf"), "-p", ".GCC.command.line", str(cpu)], capture_output=True, text=True
    ).stdout
    assert "GNU C" in recorded
    assert "-march=native" not in recorded and "-mtune=native" not in recorded
    compiled_for = {CPUINFO_NAME.get(f, f) for f in re.findall(r"-m(avx512\w*|amx-\w+)", recorded)}
    [variant] = isa.VARIANTS
    assert compiled_for == variant.needs, (
        f"{cpu} was compiled for {sorted(compiled_for)}, but rag/llm/isa.py loads it on CPUs "
        f"with {sorted(variant.needs)}"
    )


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 variant")
@pytest.mark.skipif(os.environ.get("RAG_LLAMA_VARIANTS") == "none", reason="variant not built")
def test_installed_variant__holds_avx512_and_vnni_code_but_no_amx_or_bf16() -> None:
    cpu = _variant_cpu_library()
    disassembly = subprocess.run(
        [_tool("objdump"), "-d", "--no-show-raw-insn", str(cpu)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = outside_baseline(disassembly)
    assert found["AVX-512 zmm register"] > 1000 and found["VNNI"] > 10, found  # it is the variant
    assert not found["AMX"] and not found["BF16"], found
