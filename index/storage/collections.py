"""Named collections: what a user may call one, its Chroma name, and its folder.

A collection name is what users choose and see: 1 to 48 letters (any script, so `行业报告`
works), digits, `-` and `_`. Chroma names must be 3-512 characters of `[a-zA-Z0-9._-]` that start
and end with a letter or digit, so the Chroma name is the name itself when it already is one
(`reports`, the shipped seeds' index, keeps its collection and its `reports.usem3` second set),
and otherwise `h.` plus a hash of the name (`行业报告` -> `h.5d3c…`). A user's name never holds a
dot, so the two kinds never meet, and a second vector set (`<chroma name>.<model>`) is told from a
collection by its dot.

On disk, under the index folder: `collections/<chroma name>/collection.json` (the name, the corpus
profile it answers with, and the folders `rag index` indexed in place, which later runs re-sync),
`collections/<chroma name>/profile.toml` (a profile given at creation, copied in so that every
worker sharing the folder reads the same one) and `collections/<chroma name>/files/` (the
collection's uploads, one flat folder).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index.errors import RagIndexError

MAX_NAME = 48
_CHROMA_AS_IS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,62}[A-Za-z0-9]")


class CollectionNameError(RagIndexError, ValueError):
    """A collection name outside the rule."""


class UnknownCollectionError(RagIndexError, LookupError):
    """No collection of that name."""


def check_name(name: str) -> str:
    """The name (NFC-normalised), or CollectionNameError saying what is allowed."""
    cleaned = unicodedata.normalize("NFC", name.strip()) if isinstance(name, str) else ""
    allowed = all(ch in "-_" or unicodedata.category(ch)[0] in "LN" for ch in cleaned)
    if not cleaned or len(cleaned) > MAX_NAME or not allowed:
        raise CollectionNameError(
            f"bad collection name {name!r}: use 1 to {MAX_NAME} letters (Chinese too), "
            "digits, '-' or '_'"
        )
    return cleaned


def chroma_name(name: str) -> str:
    """The Chroma collection that holds the collection `name` (see the module's docstring)."""
    name = check_name(name)
    if _CHROMA_AS_IS.fullmatch(name):
        return name
    return "h." + hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]


def is_second_set(chroma: str, every: set[str]) -> bool:
    """Whether a Chroma collection is another's second vector set (`reports.usem3`)."""
    owner, dot, _model = chroma.rpartition(".")
    return bool(dot) and owner in every


@dataclass(frozen=True)
class CollectionDir:
    """The folder of one collection under the index folder."""

    index_dir: Path
    name: str

    @property
    def root(self) -> Path:
        return self.index_dir / "collections" / chroma_name(self.name)

    @property
    def files(self) -> Path:
        """Uploads: `Library.add` writes here and `rag index` re-syncs it."""
        return self.root / "files"

    @property
    def record(self) -> Path:
        return self.root / "collection.json"

    @property
    def profile_file(self) -> Path:
        """A profile given when the collection was created, kept beside it."""
        return self.root / "profile.toml"

    def profile(self) -> str | None:
        """The profile the collection was created with: a shipped name, "file" (its
        `profile.toml`), or None when none was recorded (made before profiles were)."""
        profile = self._load().get("profile")
        return profile if isinstance(profile, str) and profile else None

    def create(self, profile: str, text: str | None = None) -> None:
        """Record the collection's profile (a shipped name; with `text`, the profile's TOML,
        kept as `profile.toml`). The folders recorded so far stay."""
        self.root.mkdir(parents=True, exist_ok=True)
        if text is not None:
            self.profile_file.write_text(text, "utf-8")
            profile = "file"
        self._write({**self._load(), "name": self.name, "profile": profile})

    def roots(self) -> list[Path]:
        """The files and folders indexed in place into this collection (`rag index PATH`)."""
        roots = self._load().get("roots")
        return [Path(p) for p in roots if isinstance(p, str)] if isinstance(roots, list) else []

    def remember(self, roots: list[Path] | None = None) -> None:
        """Write the record: the name, and `roots` added to those already recorded."""
        known = self.roots()
        for path in roots or []:
            resolved = path.resolve()
            if not resolved.exists():
                continue
            if resolved not in known and resolved != self.files.resolve():
                known.append(resolved)
        self.root.mkdir(parents=True, exist_ok=True)
        self._write({**self._load(), "name": self.name, "roots": [str(p) for p in known]})

    def _write(self, record: dict[str, object]) -> None:
        self.record.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")

    def _load(self) -> dict[str, object]:
        try:
            loaded = json.loads(self.record.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}


def recorded_name(index_dir: Path, chroma: str) -> str:
    """The user's name of a Chroma collection: from its record, else the Chroma name itself."""
    try:
        record = json.loads((index_dir / "collections" / chroma / "collection.json").read_text())
    except (OSError, ValueError):
        return chroma
    name = record.get("name") if isinstance(record, dict) else None
    return name if isinstance(name, str) and name else chroma
