"""Build the python-telegram-bot Application: handlers and their filters, limits, relays.

    app = build_application(settings, assistant, store)
    app.run_polling()                          # what `python -m bot telegram` does
    async with running(app): ...               # the same, inside an existing event loop
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from typing import AsyncIterator
from urllib.parse import urlsplit

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter,
                          CallbackQueryHandler, CommandHandler, MessageHandler, filters)

from bot.channels.telegram import texts
from bot.channels.telegram.guards import FloodGuard
from bot.channels.telegram.handlers import AddressedToBot, Handlers
from bot.channels.telegram.relay import BACKOFF, RELAY_INTERVAL, Backoff, PendingRelays, file_url
from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def user_salt(token: str, configured: str | None = None) -> bytes:
    """The key that turns Telegram user ids into pseudonyms (the store's user keys).

    From INNOCORE_USER_SALT when it is set, so a new bot token keeps every saved language
    choice; else derived from the token, as before that setting existed. Either way a secret:
    without it the hashes cannot be reversed by trying every id."""
    if configured:
        return hashlib.sha256(b"innocore-telegram-user-salt\0" + configured.encode()).digest()
    return hashlib.sha256(b"innocore-telegram-user\0" + token.encode()).digest()


def build_application(settings: Settings, assistant, store, *,
                      rate_limiter: BaseRateLimiter | None = None,
                      flood: FloodGuard | None = None,
                      concurrent_updates: int = 64,
                      engine_workers: int = 4,
                      connections: int = 16,
                      relay_interval: float | None = RELAY_INTERVAL,
                      relay_backoff: Backoff = BACKOFF) -> Application:
    """The bot as an Application talking to settings.telegram_api_url.

    `connections`: HTTP connections kept to the Bot API (the library's default of 256 costs
    CPU on every request: the pool checks each idle connection). Every `relay_interval`
    seconds the staff answers due are sent (None: not from here); `relay_backoff` is the wait
    after a failed one."""
    settings.require("telegram_token")
    handlers = Handlers(assistant, store, flood=flood, engine_workers=engine_workers,
                        salt=user_salt(settings.telegram_token, settings.user_salt))
    relay_task: list[asyncio.Task] = []

    async def post_init(app: Application) -> None:
        await _set_commands(app)
        if relay_interval:
            relays = PendingRelays(app.bot, store, backoff=relay_backoff)
            relay_task.append(asyncio.create_task(relays.run_forever(relay_interval)))

    async def post_stop(app: Application) -> None:
        for task in relay_task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        relay_task.clear()

    async def post_shutdown(app: Application) -> None:
        handlers.close()

    app = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url(settings.telegram_api_url))
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        .concurrent_updates(concurrent_updates)
        .connection_pool_size(connections)
        .pool_timeout(30.0)  # wait for a free connection rather than fail under a burst
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    register(app, handlers)
    return app


def register(app: Application, h: Handlers) -> None:
    """Every handler, with the filter that decides what reaches it."""
    new = filters.UpdateType.MESSAGE  # edits and channel posts are not questions
    addressed = AddressedToBot()

    app.add_handler(CommandHandler("start", h.start, filters=new))
    app.add_handler(CommandHandler("help", h.help, filters=new))
    app.add_handler(CommandHandler("lang", h.choose_lang, filters=new))
    app.add_handler(CommandHandler("human", h.human, filters=new))
    for topic in texts.TOPICS:
        app.add_handler(CommandHandler(topic, h.topic_command(topic), filters=new))

    menu = "|".join(texts.MENU_LABELS)
    app.add_handler(CallbackQueryHandler(h.on_menu, pattern=rf"^menu:({menu})$"))
    app.add_handler(CallbackQueryHandler(h.on_feedback, pattern=r"^fb:\d{1,18}:[01]$"))
    app.add_handler(CallbackQueryHandler(h.on_handoff, pattern=r"^ho:\d{1,18}$"))
    app.add_handler(CallbackQueryHandler(h.on_near, pattern=r"^near:\d{1,18}:\d$"))
    app.add_handler(CallbackQueryHandler(h.on_lang, pattern=r"^lang:(ko|en|auto)$"))
    app.add_handler(CallbackQueryHandler(h.on_stale_button))

    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & addressed, h.on_text))
    app.add_handler(MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, h.help))
    app.add_handler(MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL & addressed,
                                   h.on_other))
    app.add_error_handler(h.on_error)


async def _set_commands(app: Application) -> None:
    """The command menu Telegram shows, in English and (for Korean apps) Korean."""
    try:
        for lang in texts.LANGS:
            commands = [BotCommand(name, desc[lang])
                        for name, desc in texts.COMMAND_DESCRIPTIONS.items()]
            await app.bot.set_my_commands(commands, language_code=None if lang == "en" else lang)
    except TelegramError as exc:  # cosmetic: the bot works without it
        log.warning("could not set the command menu: %s", type(exc).__name__)


def webhook_options(settings: Settings) -> dict:
    """Arguments for run_webhook/start_webhook from TELEGRAM_WEBHOOK_URL, _PORT and _SECRET."""
    missing = [env for env, value in (("TELEGRAM_WEBHOOK_URL", settings.telegram_webhook_url),
                                      ("TELEGRAM_WEBHOOK_SECRET", settings.telegram_webhook_secret))
               if not value]
    if missing:
        raise ConfigError("missing setting(s) for --webhook: " + ", ".join(missing))
    url = settings.telegram_webhook_url
    if urlsplit(url).scheme != "https":
        raise ConfigError(f"TELEGRAM_WEBHOOK_URL must be an https:// URL, got {url!r}")
    if not _SECRET.match(settings.telegram_webhook_secret):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of "
                          "A-Z, a-z, 0-9, _ and -")
    return {
        "listen": "0.0.0.0",
        "port": settings.telegram_webhook_port,
        "url_path": urlsplit(url).path.strip("/"),
        "webhook_url": url,
        "secret_token": settings.telegram_webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
    }


@contextlib.asynccontextmanager
async def running(app: Application, *, webhook: dict | None = None,
                  poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Run the bot inside the current event loop (what run_polling/run_webhook do, minus the
    signal handling): for tests, benchmarks and a process that runs several channels."""
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        if webhook is not None:
            await app.updater.start_webhook(**webhook)
        else:
            await app.updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


class RedactToken(logging.Filter):
    """Replace the bot token wherever a log record would print it (request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = ()
        return True


def protect_logs(token: str) -> None:
    """Keep the token and applicants' messages out of the logs, even with -v: the HTTP client
    logs every request URL (the token is in it) and the library's DEBUG lines carry whole
    updates and message texts. Both stop at INFO/WARNING; the token is also redacted from
    anything the root handlers write."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    telegram_log = logging.getLogger("telegram")
    if telegram_log.getEffectiveLevel() < logging.INFO:
        telegram_log.setLevel(logging.INFO)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
