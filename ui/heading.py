"""What the page shows of the collection it is on: the title in its header, the example questions
under the chat, the publishers its filter offers. Each collection's own, from its assistant (its
corpus profile's, else made from the collection: `rag.corpus.page`); the micro-drama ones belong
to the seeds' collection only. Pure: `ui.documents` and `ui.app` turn it into widget updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from index.storage.collections import check_name
from rag import Assistant, factory
from rag.corpus import page
from rag.corpus.profile import CorpusProfile, load_profile
from rag.library import Library
from rag.records import Publishers


@dataclass(frozen=True)
class Heading:
    """One collection as the page shows it, in one language."""

    title: str
    examples: tuple[str, ...]  # none for a collection with no documents yet
    publishers: Publishers  # its publisher table: the filter's choices (empty for neutral)


def heading(library: Library, name: str, lang: str) -> Heading:
    """Collection `name` in language `lang`: its assistant's title, examples and publishers; for
    a new name (adding files creates it), the neutral title made from the name and nothing else.
    CollectionNameError for a name that cannot be a collection's."""
    name, assistant = _assistant(library, name)
    title = _title(name, assistant, lang)
    if assistant is None:
        return Heading(title, (), Publishers())
    return Heading(title, tuple(assistant.page_examples()), assistant.profile.publishers)


def browser_title(library: Library, name: str) -> str:
    """The browser tab's title: the collection's title in both languages."""
    name, assistant = _assistant(library, name)
    zh, en = (_title(name, assistant, lang) for lang in ("zh", "en"))
    return zh if zh == en else f"{zh} · {en}"


def _assistant(library: Library, name: str) -> tuple[str, Assistant | None]:
    """The name, checked, and its collection's assistant (None while it is a new name)."""
    return check_name(name), library.find(name)


def _title(name: str, assistant: Assistant | None, lang: str) -> str:
    return assistant.page_title(lang) if assistant else page.title(_neutral(), name, lang)


@cache
def _neutral() -> CorpusProfile:
    return load_profile(factory.NEUTRAL_PROFILE)  # a collection made from the page answers with it
