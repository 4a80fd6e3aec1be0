"""`rag collections list|remove` and `rag docs list|add|remove`: one call into rag.library each,
printed as text or (--json) as one line of JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from ui.cli.options import library_from

EXIT_OK = 0


def _print(args: argparse.Namespace, record: Any, lines: list[str]) -> int:
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        print("\n".join(lines))
    return EXIT_OK


def cmd_collections(args: argparse.Namespace) -> int:
    infos = library_from(args)[0].collections()
    lines = [
        f"{i.name}{' (default)' if i.default else ''}: {i.documents} documents, {i.chunks} chunks"
        for i in infos
    ]
    return _print(args, [asdict(i) for i in infos], lines)


def cmd_create_collection(args: argparse.Namespace) -> int:
    info = library_from(args)[0].create(args.name, args.profile)
    profile = args.profile or "neutral"
    return _print(args, asdict(info), [f"created collection {info.name} (profile: {profile})"])


def cmd_remove_collection(args: argparse.Namespace) -> int:
    library_from(args)[0].remove_collection(args.name, force=args.force)
    return _print(args, {"removed": args.name}, [f"removed collection {args.name}"])


def cmd_docs(args: argparse.Namespace) -> int:
    library, name = library_from(args)
    docs = library.documents(name)
    lines = [
        f"{d.id}  {d.file}  pages={d.pages if d.pages is not None else '-'}  chunks={d.chunks}"
        f"  {d.status}  ({d.source})"
        for d in docs
    ]
    return _print(args, [d.to_dict() for d in docs], lines or ["no documents"])


def cmd_add_docs(args: argparse.Namespace) -> int:
    library, name = library_from(args)
    uploads = [(path.name, path.read_bytes()) for path in args.files]
    results = library.add(name, uploads)
    lines = [
        f"{r.upload}: {r.status}"
        + (f" as {r.file}" if r.file and r.file != r.upload else "")
        + (f", {r.chunks} chunks" if r.chunks else "")
        + (f" ({r.reason})" if r.reason else "")
        for r in results
    ]
    return _print(args, [r.to_dict() for r in results], lines)


def cmd_remove_doc(args: argparse.Namespace) -> int:
    library, name = library_from(args)
    doc = library.remove(name, args.id)
    return _print(args, {"removed": doc.to_dict()}, [f"removed {doc.file} ({doc.id})"])
