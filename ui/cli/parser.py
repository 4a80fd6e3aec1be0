"""The `rag` command line: subcommands and their options."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rag.evaluation.judges import JUDGES
from rag.settings import BACKENDS, RETRIEVAL_MODES
from ui.cli import commands as c
from ui.cli import library_commands as lc


def _common(p: argparse.ArgumentParser, *, retrieval: bool = True) -> None:
    p.add_argument("--backend", choices=BACKENDS, help="LLM backend (RAG_LLM_BACKEND)")
    p.add_argument("--index-dir", type=Path, help="index folder (RAG_INDEX_DIR)")
    p.add_argument("--chroma-url", help="Chroma server URL (RAG_CHROMA_URL)")
    _collection(p)
    if retrieval:
        p.add_argument("--k", type=int, help="contexts retrieved (RAG_RETRIEVE_K)")
        p.add_argument("--retrieval-mode", choices=RETRIEVAL_MODES)


def _collection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--collection", help="the collection (RAG_COLLECTION; default: reports)")


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--publisher", action="append", help="only this publisher (any of its names)")
    p.add_argument("--file", action="append", help="only this export file name")
    p.add_argument("--from", dest="date_from", help="published on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="published on or before YYYY-MM-DD")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Cited answers over industry reports.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    _index_and_answer(sub)
    _library(sub)
    _measure(sub)
    _serve(sub)
    return parser


def _index_and_answer(sub: Any) -> None:
    p = sub.add_parser("index", help="index report files (default: the configured corpus)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--rebuild", action="store_true", help="start the index over")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _common(p, retrieval=False)
    p.set_defaults(func=c.cmd_index)

    p = sub.add_parser("ask", help="answer one question, with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print a results-file line")
    _common(p)
    _filter_args(p)
    p.set_defaults(func=c.cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal")
    _common(p)
    _filter_args(p)
    p.set_defaults(func=c.cmd_chat)


def _library(sub: Any) -> None:
    def command(parent: Any, name: str, help: str, func: Any) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help)
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--index-dir", type=Path, help="index folder (RAG_INDEX_DIR)")
        p.add_argument("--chroma-url", help="Chroma server URL (RAG_CHROMA_URL)")
        p.set_defaults(func=func)
        return p

    group = sub.add_parser("collections", help="list, create or remove collections")
    actions = group.add_subparsers(dest="action", required=True)
    command(actions, "list", "collections with their documents and chunks", lc.cmd_collections)
    p = command(actions, "create", "a new, empty collection", lc.cmd_create_collection)
    p.add_argument("name")
    p.add_argument(
        "--profile",
        help="the corpus profile it answers with: a .toml file (kept beside the collection) or "
        "a shipped name; default: neutral",
    )
    p = command(actions, "remove", "remove a collection and its uploads", lc.cmd_remove_collection)
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help="also the default collection")

    group = sub.add_parser("docs", help="list, add or remove a collection's documents")
    actions = group.add_subparsers(dest="action", required=True)
    _collection(command(actions, "list", "documents of a collection", lc.cmd_docs))
    p = command(actions, "add", "copy files into a collection and index them", lc.cmd_add_docs)
    p.add_argument("files", nargs="+", type=Path)
    _collection(p)
    p = command(actions, "remove", "remove a document (and its uploaded file)", lc.cmd_remove_doc)
    p.add_argument("id")
    _collection(p)


def _measure(sub: Any) -> None:
    p = sub.add_parser("eval", help="answer a question set and measure (or: eval compare A B)")
    p.add_argument("questions", help="a .jsonl or .csv question set")
    p.add_argument("--out", required=True, help="folder for results.jsonl, metrics.json, report.md")
    p.add_argument("--resume", action="store_true", help="skip questions already in --out")
    p.add_argument(
        "--judge",
        choices=JUDGES,
        default="none",
        help="the independent judge of the ALCE citation scores: the LLM at RAG_OPENAI_BASE_URL "
        "/ RAG_OPENAI_MODEL, or none (no ALCE scores; the answerer's own verifier is always "
        "reported, as self_agreement_*)",
    )
    _common(p)
    p.set_defaults(func=c.cmd_eval)

    p = sub.add_parser("bench", help="measure retrieval and answer latency")
    p.add_argument("--out", required=True, help="folder for bench.json and bench.md")
    p.add_argument("--questions", required=True, help="a question set (.jsonl or .csv)")
    p.add_argument(
        "--llm",
        dest="backends",
        action="append",
        choices=BACKENDS,
        help="answer backends to time (repeatable; default: local)",
    )
    p.add_argument("--n", type=int, default=10, help="questions answered per backend")
    p.add_argument(
        "--no-llm", dest="backends", action="store_const", const=[], help="time retrieval only"
    )
    p.add_argument(
        "--scale",
        type=int,
        action="append",
        help="also time retrieval over a synthetic corpus of this many chunks (repeatable)",
    )
    p.add_argument(
        "--scale-server",
        action="store_true",
        help="...and over a Chroma server (`chroma run`) started for the run, side by side",
    )
    p.add_argument("--scale-chroma-url", help="...or over the Chroma server at this URL")
    p.add_argument("--no-indexing", action="store_true", help="skip the indexing benchmarks")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-RSS measurements")
    _common(p)
    p.set_defaults(func=c.cmd_bench)


def _serve(sub: Any) -> None:
    p = sub.add_parser("serve", help="the HTTP API (OpenAI-compatible chat, retrieval, health)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--ui", action="store_true", help="also serve the chat page at /ui")
    p.add_argument("--auth", help="for the page: user:password, or a file of such lines")
    _common(p)
    p.set_defaults(func=c.cmd_serve)

    p = sub.add_parser("ui", help="the chat page")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:password, or a file of such lines")
    _common(p)
    p.set_defaults(func=c.cmd_ui)


def compare_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag eval compare")
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--out", help="where to write the comparison (default: RUN_B/compare_A.md)")
    p.add_argument("--questions", help="the question set (default: the one run B recorded)")
    p.set_defaults(func=c.cmd_compare)
    return p
