"""Helpers for the staff-answer relay tests: a Bot whose sends can be held in flight, a wait
on a condition with a deadline, and a relay of every answer owed now."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from bot.channels.telegram.relay import send_staff_answer
from bot.store import Delivery


class Gate:
    """Wraps a Bot: while the gate is closed, send_message waits (a send held in flight)."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self._open = asyncio.Event()
        self._open.set()
        self._holding = asyncio.Event()

    def close(self) -> None:
        self._holding.clear()
        self._open.clear()

    def open(self) -> None:
        self._open.set()

    async def holding(self, timeout: float = 10.0) -> None:
        """Wait until a send is held at the closed gate."""
        await asyncio.wait_for(self._holding.wait(), timeout)

    async def send_message(self, **kwargs: Any) -> Any:
        if not self._open.is_set():
            self._holding.set()
            await self._open.wait()
        return await self.bot.send_message(**kwargs)


async def eventually(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait until check() is true (it is read every 10 ms), failing after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, f"{what}: not within {timeout}s"
        await asyncio.sleep(0.01)


async def relay_pending(bot: Any, store) -> int:
    """Send every answer owed now, without waiting out the delay after a failure (answers
    another sender has in hand are left to it); returns how many were delivered."""
    delivered = 0
    for ticket in await asyncio.to_thread(store.relays_pending):
        delivered += await send_staff_answer(bot, store, ticket) is Delivery.DELIVERED
    return delivered
