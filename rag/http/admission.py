"""Admission control for the HTTP API: a few requests run, a bounded number wait, the rest are
turned away at once with a clear 429 instead of piling up until clients time out.

Requests wait on the event loop, not in worker threads: a long queue holds no thread, so the
server's thread pool stays free for the requests that run and for `/health`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from rag.errors import RagError


class Busy(RagError):
    """Every running slot and waiting place is taken."""

    def __init__(self, running: int, waiting: int) -> None:
        super().__init__(
            f"the assistant is busy: {running} requests are being answered and {waiting} are "
            "waiting, the most it takes; retry in a few seconds"
        )


class Admission:
    """`await enter()` in the event loop; `leave()` from any thread."""

    def __init__(self, running: int, waiting: int) -> None:
        self.running, self.waiting = running, waiting
        self._lock = threading.Lock()
        self._inside = 0  # running + waiting
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def inside(self) -> int:
        return self._inside

    async def enter(self) -> None:
        """Take a place (Busy when there is none), then wait for a running slot."""
        with self._lock:
            if self._inside >= self.running + self.waiting:
                raise Busy(self.running, self.waiting)
            self._inside += 1
        if self._slots is None:
            self._loop, self._slots = asyncio.get_running_loop(), asyncio.Semaphore(self.running)
        try:
            await self._slots.acquire()
        except BaseException:  # the client went away while waiting
            with self._lock:
                self._inside -= 1
            raise

    def leave(self) -> None:
        with self._lock:
            self._inside -= 1
        assert self._slots is not None and self._loop is not None
        try:
            in_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            in_loop = False
        if in_loop:
            self._slots.release()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to free
                self._loop.call_soon_threadsafe(self._slots.release)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.enter()
        try:
            yield
        finally:
            self.leave()

    def hold(self, stream: Iterator[str]) -> Iterator[str]:
        """A stream that keeps the place taken by `enter` until it ends, is closed, or is dropped
        unread (a client that leaves before the first chunk must not keep its place for good)."""
        return _Held(self, stream)


class _Held:
    def __init__(self, admission: Admission, stream: Iterator[str]) -> None:
        self._admission, self._stream = admission, stream
        self._once = threading.Lock()

    def __iter__(self) -> _Held:
        return self

    def __next__(self) -> str:
        try:
            return next(self._stream)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._once.acquire(blocking=False):  # leave once, whoever comes first
            try:
                getattr(self._stream, "close", lambda: None)()
            finally:
                self._admission.leave()

    def __del__(self) -> None:
        self.close()
