"""The channels' background loop: alive through failures, each outage logged once."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.channels.repeat import every


async def test_a_failing_step_is_logged_once_then_its_recovery_once(caplog):
    outcomes = iter([OSError("db down")] * 5 + [None] * 3 + [OSError("db down")])

    async def step():
        outcome = next(outcomes, None)
        if isinstance(outcome, Exception):
            raise outcome

    async def watch():
        while len([r for r in caplog.records if r.name == "bot.channels.repeat"]) < 3:
            await asyncio.sleep(0.001)

    with caplog.at_level(logging.WARNING, logger="bot.channels.repeat"):
        loop = asyncio.create_task(every(0, step, "sweeping"))
        await asyncio.wait_for(watch(), 5)
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert [r.getMessage() for r in caplog.records][:3] == [
        "sweeping failed, will retry every 0s: OSError: db down",
        "sweeping works again",
        "sweeping failed, will retry every 0s: OSError: db down",
    ]
