"""Prompt templates are files in `prompts/`, loaded by name; a folder given in settings overrides
any of them by file name. Templates use `str.format` fields: {question}, {sources}, ..."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[1] / "prompts"


class PromptNotFoundError(FileNotFoundError):
    pass


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class Prompts:
    def __init__(self, override_dir: Path | None = None) -> None:
        self.override_dir = override_dir

    def path(self, name: str) -> Path:
        for folder in (self.override_dir, SHIPPED):
            if folder is not None and (folder / f"{name}.txt").is_file():
                return folder / f"{name}.txt"
        raise PromptNotFoundError(
            f"no prompt named {name!r} in {self.override_dir or ''} {SHIPPED}"
        )

    def text(self, name: str) -> str:
        """The template, without its trailing newline."""
        return _read(self.path(name)).rstrip("\n")

    def render(self, name: str, **fields: object) -> str:
        return self.text(name).format(**fields)
