"""Admission control for the HTTP API: a few requests run, a bounded number wait, the rest are
turned away at once with a clear 429 instead of piling up until clients time out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rag.errors import RagError


class Busy(RagError):
    """Every running slot and waiting place is taken."""

    def __init__(self, running: int, waiting: int) -> None:
        super().__init__(
            f"the assistant is busy: {running} requests are being answered and {waiting} are "
            "waiting, the most it takes; retry in a few seconds"
        )


class Admission:
    def __init__(self, running: int, waiting: int) -> None:
        self.running, self.waiting = running, waiting
        self._slots = threading.Semaphore(running)
        self._lock = threading.Lock()
        self._inside = 0  # running + waiting

    @property
    def inside(self) -> int:
        return self._inside

    def enter(self) -> None:
        """Take a place (Busy when there is none), then wait for a running slot."""
        with self._lock:
            if self._inside >= self.running + self.waiting:
                raise Busy(self.running, self.waiting)
            self._inside += 1
        self._slots.acquire()

    def leave(self) -> None:
        self._slots.release()
        with self._lock:
            self._inside -= 1

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.enter()
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
