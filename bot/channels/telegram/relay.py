"""Staff answers back to applicants: the seam the Slack side calls.

    bot = make_bot(settings)
    async with bot:
        delivered = await send_staff_answer(bot, store, ticket)

`send_staff_answer` never raises: on a Telegram error it records the failure on the ticket and
returns False, and `relay_pending` (run every few seconds by the Telegram application) tries
again later.
"""

from __future__ import annotations

import asyncio
import functools
import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.telegram.adapter import render_staff_answer
from bot.config import Settings

log = logging.getLogger(__name__)

MAX_RELAY_ATTEMPTS = 8
RELAY_INTERVAL = 5.0  # seconds between sweeps of pending relays


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


async def send_staff_answer(bot: Bot, store, ticket) -> bool:
    """Send staff's answer to the ticket's chat in the ticket's language and mark it relayed.

    Returns False (after recording why on the ticket) when it could not be delivered."""
    if not ticket.answer or not ticket.chat_id:
        reason = "no answer to relay" if not ticket.answer else "no chat to relay to"
        await _record_failure(store, ticket.id, reason)
        return False
    try:
        for part in render_staff_answer(ticket.question, ticket.answer, ticket.lang):
            await bot.send_message(chat_id=int(ticket.chat_id), text=part,
                                   parse_mode=ParseMode.HTML)
    except (TelegramError, ValueError) as exc:
        log.warning("relay of ticket %s failed: %s", ticket.id, type(exc).__name__)
        await _record_failure(store, ticket.id, f"{type(exc).__name__}: {exc}")
        return False
    try:
        await asyncio.to_thread(functools.partial(store.mark_relayed, ticket.id,
                                                  version=ticket.answer_version))
    except Exception:  # delivered; only the bookkeeping failed
        log.exception("ticket %s relayed but not marked", ticket.id)
    return True


async def _record_failure(store, ticket_id: int, error: str) -> None:
    try:
        await asyncio.to_thread(store.record_relay_failure, ticket_id, error)
    except Exception:
        log.exception("could not record the relay failure of ticket %s", ticket_id)


class PendingRelays:
    """Retries answers that did not reach the applicant.

    A ticket freshly answered is normally relayed at once by whoever recorded the answer; to
    avoid sending it twice, a sweep only takes tickets that already failed, or that were
    still pending at the previous sweep."""

    def __init__(self, bot: Bot, store, *, max_attempts: int = MAX_RELAY_ATTEMPTS) -> None:
        self.bot = bot
        self.store = store
        self.max_attempts = max_attempts
        self._seen: set[int] = set()

    async def sweep(self) -> int:
        """One pass; returns how many answers were delivered."""
        pending = await asyncio.to_thread(self.store.relays_pending)
        delivered = 0
        seen_now: set[int] = set()
        for ticket in pending:
            if ticket.relay_attempts >= self.max_attempts:
                continue
            if ticket.relay_attempts == 0 and ticket.id not in self._seen:
                seen_now.add(ticket.id)
                continue
            delivered += await send_staff_answer(self.bot, self.store, ticket)
        self._seen = seen_now
        return delivered

    async def run_forever(self, interval: float = RELAY_INTERVAL) -> None:
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("relay sweep failed")
            await asyncio.sleep(interval)


async def relay_pending(bot: Bot, store) -> int:
    """Send every pending staff answer now (for a caller that knows no one else is);
    returns how many were delivered."""
    pending = await asyncio.to_thread(store.relays_pending)
    delivered = 0
    for ticket in pending:
        if ticket.relay_attempts < MAX_RELAY_ATTEMPTS:
            delivered += await send_staff_answer(bot, store, ticket)
    return delivered

