"""The `rag` command: index, ask, chat, eval, ui.

Exit codes: 0 answered or refused (or done), 2 bad input with a one-line reason, 1 failure.
The library never prints; this module does.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from index.errors import RagIndexError
from rag.errors import QuestionError, RagError
from rag.evaluation.errors import QuestionSetError
from rag.settings import BACKENDS, RETRIEVAL_MODES, Settings

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    pass


# command-line option -> settings field
_OVERRIDES = {
    "backend": "llm_backend",
    "k": "retrieve_k",
    "retrieval_mode": "retrieval_mode",
    "index_dir": "index_dir",
    "chroma_url": "chroma_url",
}


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command line's options, validated alike."""
    from pydantic import ValidationError

    given = {field: getattr(args, option, None) for option, field in _OVERRIDES.items()}
    try:
        return Settings().with_overrides(**given)
    except ValidationError as err:
        raise BadInput(_validation_message(err)) from None


def _validation_message(err: Any) -> str:
    """`retrieve_k: Input should be greater than or equal to 1 (got 0)`, one per bad field."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})" for e in err.errors()
    )


def _assistant_of(settings: Settings):  # type: ignore[no-untyped-def]
    from rag.assistant import Assistant

    return Assistant(settings)


def _assistant(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return _assistant_of(_settings(args))


# --- index ------------------------------------------------------------------------------------
def cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    assistant = _assistant(args)
    bar: Any = None

    def on_total(total: int) -> None:
        nonlocal bar
        bar = tqdm(total=total, unit="chunk", desc="embedding", disable=args.json or not total)

    report = assistant.index(
        args.paths or None,
        rebuild=args.rebuild,
        progress=lambda n: bar.update(n) if bar is not None else None,
        on_total=on_total,
    )
    if bar is not None:
        bar.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(
            f"{report.files} files, {report.articles} articles, {report.chunks} chunks: "
            f"{report.embedded} embedded, {report.unchanged} files unchanged, "
            f"{report.removed} chunks removed ({report.seconds:.1f} s)"
        )
        for skip in report.skipped:
            print(f"skipped {skip.path}: {skip.reason}")
    return EXIT_OK


# --- ask / chat -------------------------------------------------------------------------------
def _filters(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from datetime import date

    from rag.types import Filters

    try:
        return Filters(
            publishers=tuple(args.publisher or ()),
            files=tuple(args.file or ()),
            date_from=date.fromisoformat(args.date_from) if args.date_from else None,
            date_to=date.fromisoformat(args.date_to) if args.date_to else None,
        )
    except ValueError as err:
        raise BadInput(f"bad date ({err}); write dates as YYYY-MM-DD") from err


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.records import answer_record, format_answer

    assistant = _assistant(args)
    answer = assistant.ask(args.question, filters=_filters(args))
    if args.json:
        print(json.dumps(answer_record(answer), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from rag.records import format_sources
    from rag.types import AnswerEvent, ContextsEvent, TokenEvent, Turn

    assistant = _assistant(args)
    history: list[Turn] = []
    print("Ask about the reports (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            return EXIT_OK
        if not question:
            return EXIT_OK
        try:
            for event in assistant.stream(question, history=history, filters=_filters(args)):
                if isinstance(event, ContextsEvent) and event.standalone_question != question:
                    print(f"({event.standalone_question})")
                elif isinstance(event, TokenEvent):
                    print(event.text, end="", flush=True)
                elif isinstance(event, AnswerEvent):
                    print("\n\n" + format_sources(event.answer))
                    history += [Turn("user", question), Turn("assistant", event.answer.text)]
        except QuestionError as err:
            print(f"error: {err}")


# --- eval / ui --------------------------------------------------------------------------------
def cmd_eval(args: argparse.Namespace) -> int:
    from rag.evaluation import load_questions, run_eval

    questions = load_questions(Path(args.questions))
    assistant = _assistant(args)
    _ = assistant.retriever  # no index is a setup failure, not 25 failed questions
    settings = assistant.settings
    summary = {
        "backend": settings.llm_backend,
        "retrieval_mode": settings.retrieval_mode,
        "retrieve_k": settings.retrieve_k,
        "top_k": settings.top_k,
        "embedder": assistant.embedder.model_name,
        "questions": str(Path(args.questions).resolve()),
    }
    metrics = run_eval(
        assistant, questions, Path(args.out), resume=args.resume, settings_summary=summary
    )
    headline = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    print(json.dumps(headline, ensure_ascii=False))
    print(f"wrote {args.out}/results.jsonl, metrics.json, report.md")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from rag.evaluation import compare, render_comparison, write_comparison

    questions = Path(args.questions) if args.questions else None
    comparison = compare(Path(args.run_a), Path(args.run_b), questions)
    out = write_comparison(comparison, Path(args.out) if args.out else None)
    print(render_comparison(comparison))
    print(f"wrote {out}")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from rag.bench import BenchPlan, render, run_bench
    from rag.evaluation import load_questions

    plan = BenchPlan(
        backends=args.backends if args.backends is not None else ["local"],
        n_llm=args.n,
        indexing=not args.no_indexing,
        memory=not args.no_memory,
        scale=args.scale or [],
        scale_server=args.scale_server,
        scale_url=args.scale_chroma_url,
    )
    report = run_bench(_assistant(args), load_questions(Path(args.questions)), Path(args.out), plan)
    print(render(report))
    print(f"wrote {args.out}/bench.json, bench.md")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from rag.http.api import serve
    from rag.http.security import is_loopback

    settings = _settings(args)
    token = settings.api_token.get_secret_value() if settings.api_token else None
    page_auth = _page_auth(args.auth)
    if not is_loopback(args.host) and not token:
        print(f"warning: serving on {args.host} without RAG_API_TOKEN", file=sys.stderr)
    if args.ui and not is_loopback(args.host) and not page_auth:
        print(f"warning: the page at {args.host}/ui has no --auth", file=sys.stderr)
    assistant = _assistant_of(settings)
    extend = None
    if args.ui:
        from ui.app import mount

        def extend(api):  # type: ignore[no-untyped-def]
            return mount(api, assistant, "/ui", page_auth)

    serve(assistant, args.host, args.port, token, extend=extend)
    return EXIT_OK


def _page_auth(value: str | None) -> list[tuple[str, str]] | None:
    from rag.http.security import parse_auth

    try:
        return parse_auth(value)
    except (ValueError, OSError) as err:
        raise BadInput(str(err)) from err


def cmd_ui(args: argparse.Namespace) -> int:
    from ui.app import launch

    _page_auth(args.auth)  # a bad --auth is the user's error (exit 2), before anything loads
    launch(_settings(args), host=args.host, port=args.port, auth=args.auth)
    return EXIT_OK


# --- parser -----------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, *, retrieval: bool = True) -> None:
    p.add_argument("--backend", choices=BACKENDS, help="LLM backend (RAG_LLM_BACKEND)")
    p.add_argument("--index-dir", type=Path, help="index folder (RAG_INDEX_DIR)")
    p.add_argument("--chroma-url", help="Chroma server URL (RAG_CHROMA_URL)")
    if retrieval:
        p.add_argument("--k", type=int, help="contexts retrieved (RAG_RETRIEVE_K)")
        p.add_argument("--retrieval-mode", choices=RETRIEVAL_MODES)


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--publisher", action="append", help="only this publisher (any of its names)")
    p.add_argument("--file", action="append", help="only this export file name")
    p.add_argument("--from", dest="date_from", help="published on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="published on or before YYYY-MM-DD")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index report files (default: the configured corpus)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--rebuild", action="store_true", help="start the index over")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _common(p, retrieval=False)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer one question, with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print a results-file line")
    _common(p)
    _filter_args(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal")
    _common(p)
    _filter_args(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="answer a question set and measure (or: eval compare A B)")
    p.add_argument("questions", help="a .jsonl or .csv question set")
    p.add_argument("--out", required=True, help="folder for results.jsonl, metrics.json, report.md")
    p.add_argument("--resume", action="store_true", help="skip questions already in --out")
    _common(p)
    p.set_defaults(func=cmd_eval)

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
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("serve", help="the HTTP API (OpenAI-compatible chat, retrieval, health)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--ui", action="store_true", help="also serve the chat page at /ui")
    p.add_argument("--auth", help="for the page: user:password, or a file of such lines")
    _common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ui", help="the chat page")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="user:password, or a file of such lines")
    _common(p)
    p.set_defaults(func=cmd_ui)
    return parser


def _compare_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag eval compare")
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--out", help="where to write the comparison (default: RUN_B/compare_A.md)")
    p.add_argument("--questions", help="the question set (default: the one run B recorded)")
    p.set_defaults(func=cmd_compare)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["eval", "compare"]:
        args = _compare_parser().parse_args(argv[2:])
    else:
        args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (QuestionError, QuestionSetError, BadInput) as err:
        print(f"rag: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (RagError, RagIndexError, OSError) as err:
        print(f"rag: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
