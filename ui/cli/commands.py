"""What each `rag` subcommand does: parsed options in, one call into `rag`, text out.
The library never prints; these functions do."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rag.errors import QuestionError
from ui.cli.options import (
    assistant_from,
    filters_from,
    library_from,
    page_auth,
    settings_from,
)

EXIT_OK = 0


def cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    assistant = assistant_from(args, create=True)
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
def cmd_ask(args: argparse.Namespace) -> int:
    from rag.records import answer_record, format_answer

    assistant = assistant_from(args)
    answer = assistant.ask(args.question, filters=filters_from(args))
    if args.json:
        print(json.dumps(answer_record(answer), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from rag.records import format_sources
    from rag.types import AnswerEvent, ContextsEvent, TokenEvent, Turn

    assistant = assistant_from(args)
    history: list[Turn] = []
    print("Ask about the reports (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            return EXIT_OK
        if not question:
            return EXIT_OK
        shown = ""  # what is on screen: sentences checked before they are streamed
        try:
            for event in assistant.stream(question, history=history, filters=filters_from(args)):
                if isinstance(event, ContextsEvent) and event.standalone_question != question:
                    print(f"({event.standalone_question})")
                elif isinstance(event, TokenEvent):
                    shown += event.text
                    print(event.text, end="", flush=True)
                elif isinstance(event, AnswerEvent):
                    answer = event.answer
                    if answer.text.startswith(shown.strip()):  # e.g. what sources disagree on
                        print(answer.text[len(shown.strip()) :], end="")
                    else:  # a refusal, or quotes instead
                        print(("\n\n" if shown else "") + answer.text, end="")
                    print("\n\n" + format_sources(answer))
                    history += [Turn("user", question), Turn("assistant", answer.text)]
        except QuestionError as err:
            print(f"error: {err}")


# --- eval / ui --------------------------------------------------------------------------------
def cmd_eval(args: argparse.Namespace) -> int:
    from rag.answer.support import SupportVerifier
    from rag.evaluation import load_questions, make_judge, run_eval

    questions = load_questions(Path(args.questions))
    assistant = assistant_from(args)
    _ = assistant.retriever  # no index is a setup failure, not 25 failed questions
    settings = assistant.settings
    summary = {
        "backend": settings.llm_backend,
        "retrieval_mode": settings.retrieval_mode,
        "retrieve_k": settings.retrieve_k,
        "top_k": settings.top_k,
        "embedder": assistant.embedder.model_name,
        "questions": str(Path(args.questions).resolve()),
        "judge": args.judge,
        "self_agreement": "SupportVerifier (the answerer's own check)",
    }
    # the evaluation imports nothing of the answerer: its own check is handed in here, and
    # reported as self-agreement; the ALCE scores come only from the independent judge
    metrics = run_eval(
        assistant,
        questions,
        Path(args.out),
        resume=args.resume,
        settings_summary=summary,
        judge=make_judge(args.judge, settings),
        self_check=SupportVerifier(names=assistant.profile.names),
    )
    headline = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    print(json.dumps(headline, ensure_ascii=False))
    if metrics.get("n_alce") is None:
        print("ALCE citation scores: not measured (no independent judge; add --judge openai)")
    print("self_agreement_*: the answerer's own verifier judging its answers (not ALCE)")
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
    report = run_bench(
        assistant_from(args), load_questions(Path(args.questions)), Path(args.out), plan
    )
    print(render(report))
    print(f"wrote {args.out}/bench.json, bench.md")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant
    from rag.http.api import serve
    from rag.http.security import is_loopback
    from rag.library import Library

    settings = settings_from(args)
    token = settings.api_token.get_secret_value() if settings.api_token else None
    credentials = page_auth(args.auth)
    if not is_loopback(args.host) and not token:
        print(f"warning: serving on {args.host} without RAG_API_TOKEN", file=sys.stderr)
    if args.ui and not is_loopback(args.host) and not credentials:
        print(f"warning: the page at {args.host}/ui has no --auth", file=sys.stderr)
    assistant = Assistant(settings)
    library = Library(settings, assistant)  # one set of collections for the API and the page
    extend = None
    if args.ui:
        from ui.app import mount

        def extend(api):  # type: ignore[no-untyped-def]
            return mount(api, assistant, "/ui", credentials, library=library)

    serve(assistant, args.host, args.port, token, extend=extend, library=library)
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    from ui.app import launch

    page_auth(args.auth)  # a bad --auth is the user's error (exit 2), before anything loads
    library, collection = library_from(args)  # the environment's collections, open on --collection
    launch(library.settings, host=args.host, port=args.port, auth=args.auth, collection=collection)
    return EXIT_OK
