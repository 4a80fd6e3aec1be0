"""Reading uploaded files from a multipart/form-data body as it arrives, within limits.

The whole request may hold at most `max_total` bytes: past that, reading stops with 413 (the
body is never held whole first). Of each file at most `max_file + 1` bytes are kept, enough for
the library to say it is over the per-file limit while the rest of the batch goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from fastapi import HTTPException, Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FILES = 64
_EXTENDED = re.compile(r"filename\*\s*=\s*([\w-]*)'[^']*'([^;\s]+)", re.IGNORECASE)


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)
    name: bytes = b""
    filename: str | None = None


class _Collector:
    """python-multipart callbacks that keep the file parts of one form field."""

    def __init__(self, field_name: str, max_file: int) -> None:
        self.field, self.keep = field_name.encode(), max_file + 1
        self.files: list[tuple[str, bytes]] = []
        self._part = _Part()
        self._header: list[bytes] = [b"", b""]

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._add(0, d[s:e]),
            "on_header_value": lambda d, s, e: self._add(1, d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._part = _Part()

    def _add(self, which: int, data: bytes) -> None:
        self._header[which] += data

    def _header_end(self) -> None:
        self._part.headers[self._header[0].strip().lower()] = self._header[1].strip()
        self._header = [b"", b""]

    def _headers_done(self) -> None:
        raw = self._part.headers.get(b"content-disposition", b"")
        _kind, params = parse_options_header(raw)
        self._part.name = params.get(b"name", b"")
        extended = _EXTENDED.search(raw.decode("latin-1"))
        if extended:
            self._part.filename = unquote(extended[2], encoding=extended[1] or "utf-8")
        elif b"filename" in params:
            self._part.filename = params[b"filename"].decode("utf-8", "replace")

    def _data(self, data: bytes, start: int, end: int) -> None:
        room = self.keep - len(self._part.data)
        if self._part.name == self.field and room > 0:
            self._part.data += data[start : min(end, start + room)]

    def _end(self) -> None:
        part = self._part
        if part.name == self.field and part.filename is not None:
            if len(self.files) >= MAX_FILES:
                raise HTTPException(400, f"at most {MAX_FILES} files in one request")
            self.files.append((part.filename, bytes(part.data)))


async def read_files(
    request: Request, field_name: str, *, max_total: int, max_file: int
) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every file sent in the form field `field_name`, in order."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise HTTPException(400, f"send the files as multipart/form-data, field {field_name!r}")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_total:
        raise HTTPException(413, f"upload over {max_total} bytes (RAG_MAX_UPLOAD_BYTES)")
    collector = _Collector(field_name, max_file)
    parser = MultipartParser(params[b"boundary"], collector.callbacks())  # type: ignore[arg-type]
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > max_total:
                raise HTTPException(413, f"upload over {max_total} bytes (RAG_MAX_UPLOAD_BYTES)")
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as err:
        raise HTTPException(400, f"malformed multipart body ({err})") from err
    if not collector.files:
        raise HTTPException(400, f"no files in the form field {field_name!r}")
    return collector.files
