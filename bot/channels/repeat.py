"""The background loops the channels run (relay sweeps, hand-off posting): one step every few
seconds, kept alive through failures, each failure logged once rather than every time."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

log = logging.getLogger(__name__)


def describe_error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


async def every(seconds: float, step: Callable[[], Awaitable[object]], what: str, *,
                describe: Callable[[Exception], str] = describe_error) -> None:
    """Run `step` every `seconds` until cancelled. A failure (the database or the platform is
    down) is logged when it first happens and when it changes, and recovery once."""
    last_error = None
    while True:
        try:
            await step()
            if last_error is not None:
                log.warning("%s works again", what)
            last_error = None
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            error = describe(exc)
            if error != last_error:
                log.warning("%s failed, will retry every %gs: %s", what, seconds, error)
            last_error = error
        await asyncio.sleep(seconds)
