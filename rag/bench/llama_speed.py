"""Prompt and generation speed of llama.cpp builds, side by side, on a packaged GGUF.

    python -m rag.bench.llama_speed --out runs/llama-speed \
        [--variant NAME=SITE_DIR ...] [--model local] [--rounds 3] [--flash-attn]

Each variant is a folder holding a `llama_cpp` package (`pip install --target DIR --no-deps
WHEEL`); `installed` is the one in this environment. Each round runs every variant once, in turn
and each in a fresh child process (so a build that crashes is reported, not fatal): load the
model, read a ~500-token prompt (prompt tokens/s), then generate 128 tokens greedily (generation
tokens/s). With `--flash-attn` each variant runs a second time with flash attention (as the
model process runs it, `rag/llm/model_process.py`), "NAME+fa". Medians over the rounds go to
`speed.json` and `speed.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rag.bench.common import machine
from rag.llm.host import describe_exit
from rag.llm.weights import ensure_model
from rag.settings import Settings

PROMPT = (
    "郑州的微短剧产业在过去两年迅速发展，聚集了大量制作公司、演员和拍摄基地。"
    "The micro-drama industry grew quickly: platforms, studios and advertisers followed. "
) * 12
GENERATE = 128


def child(model: str, threads: int, flash_attn: bool = False) -> dict[str, Any]:
    """In the variant's process: load, read the prompt, generate; the two rates and the flags."""
    import llama_cpp

    started = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=model,
        n_ctx=2048,
        n_threads=threads,
        n_threads_batch=threads,
        flash_attn=flash_attn,
        verbose=False,
    )
    loaded = time.perf_counter() - started
    tokens = llm.tokenize(PROMPT.encode())
    started = time.perf_counter()
    llm.eval(tokens)
    prompt_s = time.perf_counter() - started
    started = time.perf_counter()
    made = 0
    for _token in llm.generate([], temp=0.0, reset=False):
        made += 1
        if made >= GENERATE:
            break
    gen_s = time.perf_counter() - started
    return {
        "load_s": round(loaded, 2),
        "prompt_tokens": len(tokens),
        "prompt_tok_s": round(len(tokens) / prompt_s, 1),
        "gen_tokens": made,
        "gen_tok_s": round(made / gen_s, 1),
        "system_info": llama_cpp.llama_print_system_info().decode(),
    }


def run_variant(
    site: str | None, model: Path, threads: int, flash_attn: bool = False
) -> dict[str, Any]:
    env = dict(os.environ)
    if site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [site, env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rag.bench.llama_speed",
            "--child",
            str(model),
            str(threads),
            "fa" if flash_attn else "",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return {"error": describe_exit(proc.returncode), "stderr": proc.stderr[-500:]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), sys.argv[4:5] == ["fa"])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m rag.bench.llama_speed", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=SITE_DIR")
    parser.add_argument("--model", default="local", choices=["local", "local-small"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flash-attn", action="store_true", help="each variant with it too")
    args = parser.parse_args(argv)
    settings = Settings()
    model = ensure_model(args.model, settings.model_cache_dir)
    sites: dict[str, str | None] = {"installed": None}
    sites.update(dict(v.split("=", 1) for v in args.variant))
    variants = {(name, False): site for name, site in sites.items()}
    if args.flash_attn:
        variants.update({(name, True): site for name, site in sites.items()})
    runs: dict[str, list[dict[str, Any]]] = {_label(*key): [] for key in variants}
    for _ in range(args.rounds):
        for (name, fa), site in variants.items():
            label = _label(name, fa)
            runs[label].append(run_variant(site, model, settings.llm_threads, fa))
            print(label, runs[label][-1], file=sys.stderr)
    table = {name: _medians(results) for name, results in runs.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": machine(),
        "model": model.name,
        "threads": settings.llm_threads,
        "medians": table,
        "runs": runs,
    }
    (args.out / "speed.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    lines = [
        f"| build | prompt tok/s | generation tok/s | load s | runs ({model.name}, "
        f"{settings.llm_threads} threads) |",
        "|---|---|---|---|---|",
    ]
    for name, row in table.items():
        lines.append(
            f"| {name} | {row.get('prompt_tok_s')} | {row.get('gen_tok_s')} | "
            f"{row.get('load_s')} | {row['ok']}/{row['n']} |"
        )
    (args.out / "speed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def _label(name: str, flash_attn: bool) -> str:
    return f"{name}+fa" if flash_attn else name


def _medians(results: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in results if "error" not in r]
    row: dict[str, Any] = {"n": len(results), "ok": len(ok)}
    for key in ("prompt_tok_s", "gen_tok_s", "load_s"):
        if ok:
            row[key] = round(statistics.median(r[key] for r in ok), 1)
    if len(ok) < len(results):
        row["errors"] = sorted({r["error"] for r in results if "error" in r})
    return row


if __name__ == "__main__":
    sys.exit(main())
