"""Prompt templates are the `*.txt` files of the `prompts` package (shipped in the wheel, read
through importlib.resources), loaded by name; a folder given in settings overrides any of them by
file name. Templates use `str.format` fields: {question}, {sources}, ..."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


class PromptNotFoundError(FileNotFoundError):
    pass


@cache
def _shipped(name: str) -> str | None:
    resource = resources.files("prompts").joinpath(f"{name}.txt")
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class Prompts:
    def __init__(self, override_dir: Path | None = None) -> None:
        self.override_dir = override_dir

    def text(self, name: str) -> str:
        """The template, without its trailing newline: the override folder's file if it has one,
        else the shipped one."""
        if self.override_dir is not None and (self.override_dir / f"{name}.txt").is_file():
            return _read(self.override_dir / f"{name}.txt").rstrip("\n")
        shipped = _shipped(name)
        if shipped is None:
            where = f"{self.override_dir} nor " if self.override_dir else ""
            raise PromptNotFoundError(f"no prompt named {name!r} in {where}the shipped prompts")
        return shipped.rstrip("\n")

    def render(self, name: str, **fields: object) -> str:
        return self.text(name).format(**fields)
