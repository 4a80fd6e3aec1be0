"""Admission control of the HTTP API: bounded running and waiting, places always given back."""

from __future__ import annotations

import asyncio
import gc

import pytest

from rag.http.admission import Admission, Busy


def test_admission__turns_away_beyond_running_plus_waiting() -> None:
    async def scenario() -> None:
        admission = Admission(running=1, waiting=1)
        await admission.enter()  # runs
        waiter = asyncio.create_task(admission.enter())  # waits for the running slot
        await asyncio.sleep(0.01)
        assert admission.inside == 2 and not waiter.done()

        with pytest.raises(Busy, match="busy: 1 requests are being answered and 1 are waiting"):
            await admission.enter()
        admission.leave()
        await asyncio.wait_for(waiter, 5)
        assert admission.inside == 1

    asyncio.run(scenario())


def test_admission__a_waiter_that_goes_away_gives_its_place_back() -> None:
    async def scenario() -> None:
        admission = Admission(running=1, waiting=1)
        await admission.enter()
        waiter = asyncio.create_task(admission.enter())
        await asyncio.sleep(0.01)
        waiter.cancel()  # the client disconnected while waiting
        await asyncio.sleep(0.01)
        assert admission.inside == 1
        admission.leave()
        await asyncio.wait_for(admission.enter(), 5)  # the slot is free, not taken by the ghost

    asyncio.run(scenario())


def test_admission__held_stream_gives_its_place_back_once_when_read_to_the_end() -> None:
    async def scenario() -> None:
        admission = Admission(running=2, waiting=0)
        await admission.enter()
        # read in a worker thread, as the server does
        assert await asyncio.to_thread(list, admission.hold(iter(["a", "b"]))) == ["a", "b"]
        await asyncio.sleep(0.01)
        assert admission.inside == 0
        await admission.enter()
        await admission.enter()
        with pytest.raises(Busy):  # the slot was released once, not twice
            await admission.enter()

    asyncio.run(scenario())


def test_admission__held_stream_dropped_unread_gives_its_place_back() -> None:
    async def scenario() -> None:
        admission = Admission(running=1, waiting=0)
        await admission.enter()
        held = admission.hold(iter(["never read"]))

        del held
        gc.collect()
        assert admission.inside == 0
        await asyncio.wait_for(admission.enter(), 5)  # would raise Busy or hang if it leaked

    asyncio.run(scenario())
