"""The `rag` command: index, ask, chat, eval, bench, serve, ui.

Exit codes: 0 answered or refused (or done), 2 bad input with a one-line reason, 1 failure.
This is the entry point, the one place that knows every layer (index, rag, the page) and the
one that sets the process-wide switches the libraries read (offline, no telemetry).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from index.errors import RagIndexError
from index.storage.collections import CollectionNameError, UnknownCollectionError
from rag.corpus.profile import ProfileError
from rag.errors import CollectionExistsError, QuestionError, RagError, UnknownDocumentError
from rag.evaluation.errors import QuestionSetError
from rag.factory import quiet_offline_env
from ui.cli.options import BadInput
from ui.cli.parser import build_parser, compare_parser

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

__all__ = ["build_parser", "main"]

# Bad names and ids are the user's input (exit 2), like a bad question.
_UNKNOWN = (
    CollectionNameError,
    UnknownCollectionError,
    UnknownDocumentError,
    CollectionExistsError,
    ProfileError,
)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["eval", "compare"]:
        args = compare_parser().parse_args(argv[2:])
    else:
        args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    quiet_offline_env()
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (QuestionError, QuestionSetError, BadInput, *_UNKNOWN) as err:
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
