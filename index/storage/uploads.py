"""Uploaded files on disk: a safe name, a free name, and a write that stays in its folder.

A client chooses an upload's name, so the name is cut down to a plain file name before it is
used: no folders (`../../x.txt` is `x.txt`), no control or invisible characters, no leading dots
(hidden files), no characters Windows forbids, at most 150 bytes of UTF-8 (the suffix kept).
Chinese names stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from index.errors import RagIndexError

MAX_NAME_BYTES = 150
_FORBIDDEN = re.compile(r'[<>:"|?*]')


class UploadNameError(RagIndexError, ValueError):
    """Nothing usable is left of an upload's name."""


def safe_file_name(name: str) -> str:
    """A plain file name made from a client's `name`, or UploadNameError."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    base = _FORBIDDEN.sub("_", base).strip().lstrip(".").strip()
    base = _cap(base)
    if not base or base in (".", ".."):
        raise UploadNameError(f"bad file name {name!r}: give the file a name")
    return base


def _cap(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    path = Path(name)
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip()
    return stem + suffix


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`, ... when it is taken."""
    if name not in taken:
        return name
    path = Path(name)
    n = 2
    while f"{path.stem}-{n}{path.suffix}" in taken:
        n += 1
    return f"{path.stem}-{n}{path.suffix}"


def write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to a new file `name` in `folder`; never overwrites, never leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_file_name(name)
    if target.resolve().parent != folder.resolve():
        raise UploadNameError(f"bad file name {name!r}")
    try:
        with target.open("xb") as out:
            out.write(data)
    except FileExistsError:
        raise
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` (links followed) is a file inside `folder` (links followed)."""
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return False
    return resolved.is_file() and folder.resolve() in resolved.parents
