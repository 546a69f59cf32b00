"""Staff answers back to applicants: the seam the Slack side calls.

    bot = make_bot(settings)
    async with bot:
        outcome = await send_staff_answer(bot, store, ticket)   # a bot.store.Delivery

Every send goes through the store's claim (store.claim_relay): of all the senders, in this
process and in others sharing the database (PendingRelays in the Telegram application, the
Slack hand-off's thread handler and retry loop), one at a time sends a ticket's answer, and
only while it is owed, so no answer goes out twice. An answer staff replace while the earlier
one is being sent is sent right after it. `send_staff_answer` never raises: a Telegram error is
recorded on the ticket with when to try again (Backoff: doubling, capped at a few minutes), and
the retriers try again then, for as long as the answer is owed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.repeat import every
from bot.channels.telegram.adapter import render_staff_answer
from bot.config import Settings
from bot.store import Delivery, Ticket

log = logging.getLogger(__name__)

RELAY_INTERVAL = 5.0  # seconds between sweeps for answers due
LEASE_SECONDS = 60.0  # how long a claim lasts; a send is cut off at half of it


@dataclass(frozen=True)
class Backoff:
    """The wait before the next try of a relay that failed `failures` times in a row."""

    first: float = 5.0
    cap: float = 300.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * 2 ** min(max(0, failures - 1), 30))


BACKOFF = Backoff()


def file_url(api_url: str) -> str:
    """The file download base that goes with a Bot API base: .../bot -> .../file/bot."""
    if api_url.endswith("/bot"):
        return api_url[: -len("bot")] + "file/bot"
    return api_url.rstrip("/") + "/file/bot"


def make_bot(settings: Settings, *, max_retries: int = 3) -> Bot:
    """A Bot for processes without the Application (it honours TELEGRAM_API_URL and
    retries on RetryAfter). Use it as `async with bot:`."""
    settings.require("telegram_token")
    return ExtBot(settings.telegram_token, base_url=settings.telegram_api_url,
                  base_file_url=file_url(settings.telegram_api_url),
                  rate_limiter=AIORateLimiter(max_retries=max_retries))


async def send_staff_answer(bot: Bot, store, ticket: Ticket, *, backoff: Backoff = BACKOFF,
                            lease_seconds: float = LEASE_SECONDS) -> Delivery:
    """Send staff's answer to the ticket's chat in the ticket's language and mark it relayed,
    unless it is not owed or another sender has it.

    `ticket` only names the ticket: what goes out is the answer the claim returns. Returns
    DELIVERED, FAILED (recorded on the ticket, due again after the backoff) or SKIPPED."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    outcome = Delivery.SKIPPED
    while True:
        try:
            claimed = await asyncio.to_thread(functools.partial(
                store.claim_relay, ticket.id, owner=owner, lease_seconds=lease_seconds))
        except Exception as exc:  # the store is down: the answer stays owed for a retrier
            log.warning("could not claim ticket %s for its relay: %s", ticket.id, exc)
            return Delivery.FAILED if outcome is Delivery.SKIPPED else outcome
        if claimed is None:
            return outcome
        try:
            # Cut off well inside the lease: past it another sender may take the ticket.
            await asyncio.wait_for(_send(bot, claimed), timeout=lease_seconds / 2)
        except (TelegramError, ValueError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else \
                f"{type(exc).__name__}: no answer from Telegram in {lease_seconds / 2:g}s"
            retry_in = backoff.delay(claimed.relay_attempts + 1)
            log.warning("relay of ticket %s failed (%s in a row), next try in %gs: %s",
                        ticket.id, claimed.relay_attempts + 1, retry_in, type(exc).__name__)
            await _record_failure(store, claimed, owner, error, retry_in)
            return Delivery.FAILED
        outcome = Delivery.DELIVERED
        if not await _replaced_meanwhile(store, claimed, owner):
            return outcome
        log.info("ticket %s got a new answer while the last was sent: sending it too", ticket.id)


async def _send(bot: Bot, ticket: Ticket) -> None:
    for part in render_staff_answer(ticket.question, ticket.answer, ticket.lang):
        await bot.send_message(chat_id=int(ticket.chat_id), text=part, parse_mode=ParseMode.HTML)


async def _replaced_meanwhile(store, sent: Ticket, owner: str) -> bool:
    """Mark the answer sent as relayed; True when staff had replaced it (the new one is owed)."""
    try:
        return not await asyncio.to_thread(functools.partial(
            store.mark_relayed, sent.id, version=sent.answer_version, owner=owner))
    except Exception:  # delivered; only the bookkeeping failed (the claim lapses by itself)
        log.exception("ticket %s relayed but not marked", sent.id)
        return False


async def _record_failure(store, ticket: Ticket, owner: str, error: str, retry_in: float) -> None:
    try:
        await asyncio.to_thread(functools.partial(
            store.record_relay_failure, ticket.id, error, owner=owner,
            version=ticket.answer_version, retry_in=retry_in))
    except Exception:
        log.exception("could not record the relay failure of ticket %s", ticket.id)


class PendingRelays:
    """Sends every answer owed once it is due: a fresh one nobody sent (the Slack process may
    have no Telegram token) and a failed one when its wait is over, for as long as it is owed.
    The claim keeps it from racing any other sender."""

    def __init__(self, bot: Bot, store, *, backoff: Backoff = BACKOFF,
                 lease_seconds: float = LEASE_SECONDS) -> None:
        self.bot = bot
        self.store = store
        self.backoff = backoff
        self.lease_seconds = lease_seconds

    async def sweep(self) -> int:
        """One pass over the answers due; returns how many were delivered."""
        delivered = 0
        for ticket in await asyncio.to_thread(self.store.relays_due):
            outcome = await send_staff_answer(self.bot, self.store, ticket, backoff=self.backoff,
                                              lease_seconds=self.lease_seconds)
            delivered += outcome is Delivery.DELIVERED
        return delivered

    async def run_forever(self, interval: float = RELAY_INTERVAL) -> None:
        """Sweep every `interval` seconds until cancelled; a failing store is logged once."""
        await every(interval, self.sweep, "relay sweep")
