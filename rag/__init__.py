"""Grounded, cited answers over industry reports.

    from rag import Assistant
    answer = Assistant.from_settings().ask("郑州每天大约开机多少部短剧？")

Names are imported on first use, so `import rag.settings` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Assistant": "rag.assistant",
    "Settings": "rag.settings",
    "Library": "rag.library",
    "CollectionInfo": "rag.catalog",
    "DocumentInfo": "rag.catalog",
    "FileResult": "rag.catalog",
    "QuestionError": "rag.errors",
    "RagError": "rag.errors",
    "Answer": "rag.types",
    "AnswerEvent": "rag.types",
    "Citation": "rag.types",
    "ContextsEvent": "rag.types",
    "Filters": "rag.types",
    "TokenEvent": "rag.types",
    "Turn": "rag.types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
