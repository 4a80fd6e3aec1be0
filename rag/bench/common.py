"""What every benchmark shares: the machine described, and timings summarised."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Any

from rag.evaluation.metrics import percentile
from rag.settings import Settings

# The installed `rag` command beside this interpreter: what a user runs, measured as a whole.
RAG_COMMAND = Path(sys.executable).with_name("rag")


def _proc_field(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> dict[str, Any]:
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": _proc_field("/proc/meminfo", "MemTotal"),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def summary(values: list[float]) -> dict[str, float | None]:
    """p50, p95 and mean of timings (ms or s, as given), and how many there were."""
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "mean": round(statistics.fmean(values), 1) if values else None,
        "n": len(values),
    }


def store_settings(
    settings: Settings, *, collection: str, index_dir: Path | None = None, url: str | None = None
) -> Settings:
    """`settings` pointed at a benchmark's own store (a validated copy): the Chroma server at
    `url`, else an embedded one in `index_dir`, even when `settings` name a server."""
    if not url and settings.chroma_url:  # with_overrides reads None as "not given"
        settings = settings.model_copy(update={"chroma_url": None})
    return settings.with_overrides(index_dir=index_dir, chroma_url=url, collection=collection)
