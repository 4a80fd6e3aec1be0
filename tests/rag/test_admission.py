"""Admission control of the HTTP API: bounded running and waiting, places always given back."""

from __future__ import annotations

import gc
import threading

import pytest

from rag.admission import Admission, Busy


def test_admission__turns_away_beyond_running_plus_waiting() -> None:
    admission = Admission(running=1, waiting=1)
    admission.enter()  # runs
    waiter = threading.Thread(target=admission.enter)
    waiter.start()  # waits for the running slot
    while admission.inside < 2:
        pass

    with pytest.raises(Busy, match="busy: 1 requests are being answered and 1 are waiting"):
        admission.enter()
    admission.leave()
    waiter.join(timeout=5)
    assert not waiter.is_alive() and admission.inside == 1


def test_admission__held_stream_gives_its_place_back_once_when_read_to_the_end() -> None:
    admission = Admission(running=2, waiting=0)
    admission.enter()

    assert list(admission.hold(iter(["a", "b"]))) == ["a", "b"]
    assert admission.inside == 0
    admission.enter()
    admission.enter()
    with pytest.raises(Busy):  # the slot was released once, not twice
        admission.enter()


def test_admission__held_stream_dropped_unread_gives_its_place_back() -> None:
    admission = Admission(running=1, waiting=0)
    admission.enter()
    held = admission.hold(iter(["never read"]))

    del held
    gc.collect()
    assert admission.inside == 0
    admission.enter()  # would raise Busy if the place had leaked
