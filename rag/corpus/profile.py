"""A corpus profile: what the code needs to know about one corpus, kept as data.

The publisher table, the page's title and example questions, the warm-up query and the scores
calibrated on the corpus live in a TOML file (`rag/corpus/profiles/microdrama.toml` for the shipped
seeds), so a second corpus is a second file (`RAG_PROFILE=path/to/profile.toml`), not a code
change.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from index.errors import RagIndexError
from index.publishers import Publisher, Publishers
from rag.corpus.names import Name, NameTable


class ProfileError(RagIndexError):
    """A corpus profile that cannot be found or read."""


@dataclass(frozen=True)
class CorpusProfile:
    name: str
    titles: Mapping[str, str]  # by interface language: {"zh": ..., "en": ...}
    examples: tuple[str, ...]
    warm_up_query: str
    # embedder name -> question language -> best dense score below which a question is refused
    refusal_min_dense_score: Mapping[str, Mapping[str, float]]
    publishers: Publishers
    # bilingual names, publishers included; metric and role synonyms and generic words added to
    # the language packs' (rag/corpus/names.py)
    names: NameTable = NameTable()
    # second encoder name -> question language -> best score at which a question the dense
    # score would refuse is asked after all
    near_by_second_encoder: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.name)

    def min_dense_score(self, embedder: str) -> Mapping[str, float]:
        return self.refusal_min_dense_score.get(embedder, {})

    def near_second_score(self, embedder: str) -> Mapping[str, float]:
        return self.near_by_second_encoder.get(embedder, {})


def _read(source: str | Path) -> tuple[str, dict[str, Any]]:
    path = Path(source)
    if path.suffix == ".toml" or path.is_file():
        try:
            return str(path), tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise ProfileError(f"cannot read the corpus profile {path} ({err})") from err
        except tomllib.TOMLDecodeError as err:
            raise ProfileError(f"the corpus profile {path} is not valid TOML ({err})") from err
    shipped = resources.files("rag.corpus").joinpath("profiles", f"{source}.toml")
    if not shipped.is_file():
        raise ProfileError(
            f"no corpus profile named {source!r}: give a shipped name (microdrama) or the path "
            "of a .toml file (RAG_PROFILE)"
        )
    return f"{source} (shipped)", tomllib.loads(shipped.read_text(encoding="utf-8"))


def load_profile(source: str | Path) -> CorpusProfile:
    """A shipped profile by name, or a profile file by path."""
    where, data = _read(source)
    try:
        page = data.get("page", {})
        publishers = _publishers(data)
        return CorpusProfile(
            name=str(data.get("name", where)),
            titles=dict(page.get("title", {})),
            examples=tuple(page.get("examples", ())),
            warm_up_query=str(data.get("warm_up_query", "")),
            refusal_min_dense_score=_scores(data, "refusal_min_dense_score"),
            near_by_second_encoder=_scores(data, "near_by_second_encoder"),
            publishers=publishers,
            names=_names(data, publishers),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ProfileError(f"the corpus profile {where} is malformed ({err!r})") from err


def _scores(data: Mapping[str, Any], table: str) -> dict[str, dict[str, float]]:
    """embedder -> question language -> score, from a table of the profile."""
    return {
        embedder: {lang: float(score) for lang, score in scores.items()}
        for embedder, scores in data.get(table, {}).items()
    }


def _publishers(data: Mapping[str, Any]) -> Publishers:
    return Publishers(
        tuple(
            Publisher(
                en=p["en"],
                zh=p.get("zh", p["en"]),
                aliases=tuple(p.get("aliases", ())),
                domains=tuple(p.get("domains", ())),
            )
            for p in data.get("publishers", ())
        )
    )


def _names(data: Mapping[str, Any], publishers: Publishers) -> NameTable:
    """`[[names]]` (zh, en, aliases) and the publishers as names; `[answerability]` metrics and
    roles (synonym groups: a table by the language packs' keys, or a list of groups) and generic
    words."""
    settings = data.get("answerability", {})
    entries = [
        Name(zh=n["zh"], en=n["en"], aliases=tuple(n.get("aliases", ())))
        for n in data.get("names", ())
    ]
    entries += [Name(zh=p.zh, en=p.en, aliases=p.aliases) for p in publishers.table]
    return NameTable.build(
        entries,
        metrics=_groups(settings.get("metrics", ())),
        generic=[str(g) for g in settings.get("generic", ())],
        roles=_groups(settings.get("roles", ())),
    )


def _groups(found: Any) -> dict[str, list[str]] | list[list[str]]:
    if isinstance(found, Mapping):
        return {str(key): [str(s) for s in group] for key, group in found.items()}
    return [[str(s) for s in group] for group in found]
