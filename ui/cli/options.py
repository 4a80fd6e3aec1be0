"""From the command line's options to validated settings, filters and an assistant."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rag.settings import Settings
from rag.types import Filters

if TYPE_CHECKING:  # the assistant (and what it imports) loads only for commands that use it
    from rag.assistant import Assistant
    from rag.library import Library


class BadInput(Exception):
    pass


_OVERRIDES = {
    "backend": "llm_backend",
    "k": "retrieve_k",
    "retrieval_mode": "retrieval_mode",
    "index_dir": "index_dir",
    "chroma_url": "chroma_url",
    "collection": "collection",
}


def settings_from(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command line's options, validated alike."""
    from pydantic import ValidationError

    given = {field: getattr(args, option, None) for option, field in _OVERRIDES.items()}
    try:
        return Settings().with_overrides(**given)
    except ValidationError as err:
        raise BadInput(validation_message(err)) from None


def validation_message(err: Any) -> str:
    """`retrieve_k: Input should be greater than or equal to 1 (got 0)`, one per bad field."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})" for e in err.errors()
    )


def library_from(args: argparse.Namespace) -> tuple[Library, str]:
    """The library (its default collection: the environment's) and the collection named by
    --collection, else that default."""
    from rag.library import Library

    library = Library(settings_from(argparse.Namespace(**{**vars(args), "collection": None})))
    return library, getattr(args, "collection", None) or library.default


def assistant_from(args: argparse.Namespace, *, create: bool = False) -> Assistant:
    """The assistant of the settings' collection; an unknown collection is bad input (exit 2,
    naming the collections there are) unless the command creates it (`rag index`)."""
    from rag.assistant import Assistant

    settings = settings_from(args)
    if not create:
        library, name = library_from(args)
        library.known(name)
    return Assistant(settings)


# --- index ------------------------------------------------------------------------------------
def filters_from(args: argparse.Namespace) -> Filters:
    from datetime import date

    try:
        return Filters(
            publishers=tuple(args.publisher or ()),
            files=tuple(args.file or ()),
            date_from=date.fromisoformat(args.date_from) if args.date_from else None,
            date_to=date.fromisoformat(args.date_to) if args.date_to else None,
        )
    except ValueError as err:
        raise BadInput(f"bad date ({err}); write dates as YYYY-MM-DD") from err


def page_auth(value: str | None) -> list[tuple[str, str]] | None:
    from rag.http.security import parse_auth

    try:
        return parse_auth(value)
    except (ValueError, OSError) as err:
        raise BadInput(str(err)) from err
