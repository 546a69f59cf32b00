"""The Slack side, for staff: `python -m bot slack [--http --port N]`.

Modules: adapter (Slack <-> our types), commands (`/innocore ...`), handoff (tickets to the
staff channel, staff answers back to applicants), app (listeners, HTTP and Socket Mode).
Setting up the Slack app itself: docs/slack.md and slack-app-manifest.yaml.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from functools import partial

from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run until interrupted: Socket Mode by default, the Events API over HTTP with --http."""
    http_port = args.port if getattr(args, "http", False) else None
    if http_port is not None:
        settings.require("slack_bot_token", "slack_signing_secret")
    else:
        settings.require("slack_bot_token", "slack_app_token")
    if settings.telegram_token:  # Bot API URLs hold the token: keep it out of the logs
        from bot.channels.telegram.app import protect_logs

        protect_logs(settings.telegram_token)
    from bot.channels.startup import open_engine

    if (assistant := open_engine(settings)) is None:
        return 1
    asyncio.run(_serve(settings, assistant, http_port))
    return 0


async def _serve(settings: Settings, assistant, http_port: int | None) -> None:
    from bot.channels.slack.app import start
    from bot.store import open_store

    store = open_store(settings.db)
    try:
        await asyncio.to_thread(assistant.warm_up)
        async with _telegram_relay(settings, store) as relay:
            service = await start(settings, assistant, store, http_port=http_port, relay=relay)
            try:
                await _until_signalled()
            finally:
                await service.stop()
    finally:
        store.close()


class _telegram_relay:
    """The Telegram bot that delivers staff answers, when TELEGRAM_BOT_TOKEN is set."""

    def __init__(self, settings: Settings, store):
        self.settings, self.store, self.bot = settings, store, None

    async def __aenter__(self):
        if not self.settings.telegram_token:
            log.warning("TELEGRAM_BOT_TOKEN is not set: staff answers are saved, and sent to "
                        "applicants once a process with the token runs the relay")
            return None
        from telegram.error import InvalidToken, TelegramError

        from bot.channels.telegram.relay import make_bot, send_staff_answer

        self.bot = make_bot(self.settings)
        try:
            await self.bot.initialize()
        except InvalidToken:  # its message would print the token
            raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by Telegram") from None
        except TelegramError as exc:  # Telegram is down: answers wait and are retried
            log.warning("Telegram is unreachable for now (%s); staff answers will be retried",
                        type(exc).__name__)
        return partial(send_staff_answer, self.bot, self.store)

    async def __aexit__(self, *exc_info) -> None:
        if self.bot is not None:
            await self.bot.shutdown()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
