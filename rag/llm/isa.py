"""Which build of llama.cpp's native libraries the model process loads.

`scripts/llama_wheel.sh` installs two builds, neither for the machine that builds them:

- the baseline, x86-64-v3 (AVX2, FMA, F16C, BMI2): `llama_cpp/lib/`, the package's own, runs on
  every x86 server and laptop since 2015;
- on x86-64 also a variant for CPUs with AVX-512 (F, CD, BW, DQ, VL) and VNNI, AMX off:
  `llama_cpp/lib-avx512-vnni/`. It reads prompts faster (README, "The local model").

`library(wanted)` picks one for this CPU, as llama.cpp's own runtime dispatch would: the variant
only when `/proc/cpuinfo` lists every extension it was compiled for and its folder is installed;
the model process then points llama-cpp-python at it (`LLAMA_CPP_LIB_PATH`) before importing it.
`wanted="baseline"` (or `RAG_LLAMA_ISA=baseline`) never loads the variant; the model host falls
back to it by itself when a model process on the variant dies of a crash signal (`host.py`).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

BASELINE = "x86-64-v3"
AUTO = "auto"


@dataclass(frozen=True)
class Build:
    name: str
    folder: str  # beside llama_cpp/lib/, in the installed package
    needs: frozenset[str]  # /proc/cpuinfo flags every one of which the CPU must list


VARIANTS = (
    Build(
        "avx512-vnni",
        "lib-avx512-vnni",
        frozenset({"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni"}),
    ),
)


def asked() -> str:
    """The build asked for in the environment (`RAG_LLAMA_ISA`), "auto" when none is."""
    return os.environ.get("RAG_LLAMA_ISA", AUTO) or AUTO


def cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """The CPU's extension flags, as Linux lists them (empty where there is no /proc/cpuinfo)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return frozenset()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return frozenset(value.split())
    return frozenset()


def package_dir() -> Path | None:
    """The installed `llama_cpp` package's folder (found, never imported)."""
    spec = importlib.util.find_spec("llama_cpp")
    return Path(spec.origin).parent if spec and spec.origin else None


def library(
    wanted: str = AUTO, flags: frozenset[str] | None = None, package: Path | None = None
) -> tuple[str, Path | None]:
    """(name, folder) of the build to load: a variant's folder, or None for the package's own
    baseline `lib/`. `wanted` is "auto", "baseline" or a variant's name."""
    wanted = asked() if wanted == AUTO else wanted
    if wanted == BASELINE or wanted == "baseline":
        return BASELINE, None
    known = {b.name for b in VARIANTS}
    if wanted not in known | {AUTO}:
        raise ValueError(f"unknown llama.cpp build {wanted!r}: auto, baseline or {sorted(known)}")
    flags = cpu_flags() if flags is None else flags
    package = package_dir() if package is None else package
    for build in VARIANTS:
        if wanted not in (AUTO, build.name):
            continue
        folder = package / build.folder if package else None
        if folder and (folder / "libllama.so").exists() and build.needs <= flags:
            return build.name, folder
    return BASELINE, None
