"""Does the installed llama.cpp answer on this machine? `python -m rag.llm.check [local ...]`.

The last step of `make install`: for each packaged model, start its model process (the same one
the page and `rag serve` use, in a folder of its own), ask it a question whose answer is known,
and stop it. A crash (a build for another CPU dies with SIGSEGV or SIGILL in its first decode) or a
wrong reply exits 1 with what to do: the rebuild command, the flags it builds with, and the setting
that answers without the model meanwhile.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rag.errors import LLMTimeoutError, LLMUnavailableError, ModelUnavailableError, RagError
from rag.llm.host import HostSpec, ModelHost
from rag.llm.weights import MODELS, ensure_model
from rag.settings import Settings

QUESTION = "What is 2 + 3? Reply with the number only."
EXPECTED = "5"
REBUILD = "RAG_LLAMA_REBUILD=1 scripts/llama_wheel.sh .venv/bin/python"


class WrongReplyError(RagError):
    """The model answered, but not what it must."""


FAILURES = (LLMUnavailableError, LLMTimeoutError, WrongReplyError)


def check(name: str, settings: Settings, run_dir: Path) -> tuple[str, str]:
    """Ask model `name` the known question in its own process; the reply and the llama.cpp build
    that gave it (`rag/llm/isa.py`), or one of FAILURES."""
    from llama_index.core.llms import ChatMessage

    from rag.llm.local import LocalModel, check_llama_cpp

    check_llama_cpp()
    spec = HostSpec(ensure_model(name, settings.model_cache_dir), 1024, settings.llm_threads)
    host = ModelHost(spec, run_dir, start_timeout_s=120, restart=False)
    llm = LocalModel(host, max_tokens=8, temperature=0.0, timeout=120)
    try:
        reply = llm.chat([ChatMessage(role="user", content=QUESTION)])
    finally:
        host.stop()
    text = str(reply.message.content or "").strip()
    if EXPECTED not in text:
        raise WrongReplyError(f"{name} replied {text!r} to {QUESTION!r} (expected {EXPECTED})")
    build = str(host.build)
    if host.baseline_file.exists():  # the faster build crashed: the host fell back
        build += f" ({host.baseline_file.read_text().strip()})"
    return text, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.llm.check", description=__doc__)
    parser.add_argument("models", nargs="*", choices=[*MODELS, []], help="default: all")
    args = parser.parse_args(argv)
    args.models = args.models or list(MODELS)
    settings = Settings()
    failed = False
    with tempfile.TemporaryDirectory(prefix="rag-llm-check-") as run_dir:
        for name in args.models:
            started = time.monotonic()
            try:
                reply, build = check(name, settings, Path(run_dir))
            except ModelUnavailableError as err:
                print(f"llm check: {name}: {err}", file=sys.stderr)
                failed = True
                continue
            except FAILURES as err:
                print(
                    f"llm check: {name} FAILED: {str(err).split('; it is started')[0]}",
                    file=sys.stderr,
                )
                failed = True
                continue
            took = time.monotonic() - started
            print(f"llm check: {name} answered {reply!r} in {took:.1f} s on llama.cpp's {build}")
    if failed:
        print(_advice(), file=sys.stderr)
        return 1
    return 0


def _advice() -> str:
    flags = Path(__file__).resolve().parents[2] / "scripts" / "llama_wheel.sh"
    return (
        "\nThe local model does not answer on this machine. What to do:\n"
        f"  1. rebuild llama.cpp for the stated baseline (x86-64 with AVX2/FMA/F16C/BMI2):\n"
        f"       {REBUILD}\n"
        f"     (the flags: `{flags} --flags`; a wheel cached with other flags is never reused)\n"
        "  2. then run this check again: .venv/bin/python -m rag.llm.check\n"
        "  3. meanwhile answer by quoting the sources, without the model:\n"
        '       export RAG_LLM_BACKEND=extractive   (or llm_backend = "extractive" in rag.toml)\n'
    )


if __name__ == "__main__":
    sys.exit(main())
