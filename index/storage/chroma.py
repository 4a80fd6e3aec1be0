"""The Chroma client: embedded (a folder) or a server (a URL), and the collections it holds."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from index.errors import RagIndexError, StoreUnavailableError

# Chroma builds one shared system per folder on first use; two threads doing that at once (the
# page's warm-up and its first request) break both. Later clients reuse the system.
_OPENING = threading.Lock()


def connect(index_dir: Path | None, url: str | None) -> tuple[Any, str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as err:
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {url} ({type(err).__name__}). "
                "Start it (`chroma run --path DIR --host 127.0.0.1 --port N`) "
                "or unset RAG_CHROMA_URL."
            ) from err
        return client, url
    assert index_dir is not None
    index_dir.mkdir(parents=True, exist_ok=True)
    with _OPENING:
        client = chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=chroma_settings)
    return client, str(index_dir)


def collection_names(index_dir: Path | None, url: str | None) -> list[str]:
    """The Chroma collections in the index (none when the folder holds no index yet)."""
    if not url and (index_dir is None or not (index_dir / "chroma").exists()):
        return []
    client, _where = connect(index_dir, url)
    return sorted(c if isinstance(c, str) else c.name for c in client.list_collections())


def drop_collections(index_dir: Path | None, url: str | None, names: Sequence[str]) -> None:
    """Delete these Chroma collections (those that exist) with their chunks."""
    existing = set(collection_names(index_dir, url))
    client, _where = connect(index_dir, url)
    for name in names:
        if name in existing:
            client.delete_collection(name)


def forget(folder: Path) -> None:
    """Drop chromadb's cached client of `folder`: after a failed open it would hand back the
    broken one ('RustBindingsAPI' object has no attribute 'bindings') for good."""
    from chromadb.api.shared_system_client import SharedSystemClient

    getattr(SharedSystemClient, "_identifier_to_system", {}).pop(str(folder), None)


def unwritable(err: BaseException) -> bool:
    text = str(err).lower()
    return isinstance(err, PermissionError) or "readonly" in text or "permission" in text


@contextmanager
def trouble(where: str, remote: bool, doing: str) -> Iterator[None]:
    """Chroma's own errors (a server gone, a database that cannot be written) as one domain
    error naming the place and the fix. A server that comes back is used again: every call
    reconnects."""
    try:
        yield
    except RagIndexError:
        raise
    except Exception as err:
        if remote:
            raise StoreUnavailableError(
                f"lost the Chroma server at {where} while {doing} "
                f"({type(err).__name__}: {err}). Check that it runs; nothing needs "
                "restarting here once it is back."
            ) from err
        raise StoreUnavailableError(
            f"cannot use the index at {where} while {doing} ({type(err).__name__}: "
            f"{err}). Check it is writable, or run `rag index --rebuild` to build it afresh."
        ) from err
