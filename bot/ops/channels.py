"""Which channels `serve` runs, and each one started and stopped inside a shared event loop.

    plans = plan_channels(settings, slack_http_port=3000)   # on/off, mode, and why
    telegram = TelegramChannel(settings, engine, store, plan)
    await telegram.start(); ...; await telegram.stop_intake(); await telegram.close()

Telegram runs when TELEGRAM_BOT_TOKEN is set: by webhook when TELEGRAM_WEBHOOK_URL is set too,
else by long polling. Slack runs when SLACK_BOT_TOKEN is set: in Socket Mode with
SLACK_APP_TOKEN, else over HTTP (Events API) with SLACK_SIGNING_SECRET. A half-configured
channel is a ConfigError: an operator who set one Slack secret meant to run Slack.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from functools import partial

from bot.config import ConfigError, Settings
from bot.ops import StartError

log = logging.getLogger(__name__)

TELEGRAM, SLACK = "telegram", "slack"


@dataclass(frozen=True)
class ChannelPlan:
    name: str
    on: bool
    mode: str = ""              # "long polling", "webhook", "Socket Mode", "HTTP"
    why_off: str = ""           # names the missing variable, never a value
    http_port: int | None = None

    def describe(self) -> str:
        if not self.on:
            return f"{self.name}: off ({self.why_off})"
        port = f" on port {self.http_port}" if self.http_port is not None else ""
        return f"{self.name}: on ({self.mode}{port})"


def plan_channels(settings: Settings, *, slack_http_port: int) -> list[ChannelPlan]:
    """Decide from the settings alone which channels run; ConfigError when none can."""
    plans = [_telegram_plan(settings), _slack_plan(settings, slack_http_port)]
    if not any(p.on for p in plans):
        raise ConfigError(
            "no channel to run: set TELEGRAM_BOT_TOKEN for Telegram, and/or SLACK_BOT_TOKEN "
            "with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) for Slack")
    return plans


def _telegram_plan(settings: Settings) -> ChannelPlan:
    if not settings.telegram_token:
        if settings.telegram_webhook_url or settings.telegram_webhook_secret:
            raise ConfigError("TELEGRAM_WEBHOOK_URL/SECRET are set but TELEGRAM_BOT_TOKEN is not")
        return ChannelPlan(TELEGRAM, False, why_off="TELEGRAM_BOT_TOKEN is not set")
    if settings.telegram_webhook_url:
        from bot.channels.telegram.app import webhook_options

        webhook_options(settings)  # checks URL and secret now, not at the first update
        return ChannelPlan(TELEGRAM, True, "webhook", http_port=settings.telegram_webhook_port)
    return ChannelPlan(TELEGRAM, True, "long polling")


def _slack_plan(settings: Settings, http_port: int) -> ChannelPlan:
    bot, app, secret = (settings.slack_bot_token, settings.slack_app_token,
                        settings.slack_signing_secret)
    if not (bot or app or secret):
        return ChannelPlan(SLACK, False, why_off="SLACK_BOT_TOKEN is not set")
    if not bot:
        given = "SLACK_APP_TOKEN" if app else "SLACK_SIGNING_SECRET"
        raise ConfigError(f"{given} is set but SLACK_BOT_TOKEN is not")
    if app:
        return ChannelPlan(SLACK, True, "Socket Mode")
    if secret:
        return ChannelPlan(SLACK, True, "HTTP", http_port=http_port)
    raise ConfigError("SLACK_BOT_TOKEN is set, but Slack also needs SLACK_APP_TOKEN "
                      "(Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)")


class TelegramChannel:
    """The python-telegram-bot Application, run by `running()` inside our loop."""

    name = TELEGRAM

    def __init__(self, settings: Settings, engine, store, plan: ChannelPlan) -> None:
        self.settings, self.engine, self.store, self.plan = settings, engine, store, plan
        self.app = None
        self._stack = contextlib.AsyncExitStack()

    async def start(self) -> None:
        from bot.channels.telegram.app import (build_application, protect_logs, running,
                                              webhook_options)

        from telegram.error import InvalidToken, TelegramError

        protect_logs(self.settings.telegram_token)
        webhook = webhook_options(self.settings) if self.plan.mode == "webhook" else None
        self.app = build_application(self.settings, self.engine, self.store)
        try:
            await self._stack.enter_async_context(running(self.app, webhook=webhook))
        except InvalidToken:  # its message holds the token itself
            raise StartError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)") \
                from None
        except TelegramError as exc:
            raise StartError(f"cannot start Telegram via {self.settings.telegram_api_url}: "
                             f"{type(exc).__name__}: {_redact(exc, self.settings)}") from None

    def relay(self):
        """How Slack delivers a staff answer to an applicant: through this bot."""
        from bot.channels.telegram.relay import send_staff_answer

        return partial(send_staff_answer, self.app.bot, self.store)

    async def is_up(self) -> bool:
        return bool(self.app and self.app.running and self.app.updater.running)

    async def stop_intake(self) -> None:
        """No more updates: stop polling (or the webhook server). Fetched ones still run."""
        if self.app is not None and self.app.updater.running:
            await self.app.updater.stop()

    async def close(self) -> None:
        """Finish every update already taken (PTB's Application.stop waits), then shut down."""
        await self._stack.aclose()


class SlackChannel:
    """The bolt app, over HTTP or Socket Mode (bot.channels.slack.app.start)."""

    name = SLACK

    def __init__(self, settings: Settings, engine, store, plan: ChannelPlan, *,
                 host: str = "0.0.0.0") -> None:
        self.settings, self.engine, self.store, self.plan = settings, engine, store, plan
        self.host = host
        self.service = None

    async def start(self, relay=None) -> None:
        from aiohttp import ClientError
        from slack_sdk.errors import SlackApiError

        from bot.channels.slack.app import start

        if relay is None:
            log.warning("Telegram is off in this process: staff answers are saved and sent to "
                        "applicants by a process that runs Telegram")
        try:  # start() checks the token with Slack (bolt alone would at the first event)
            self.service = await start(self.settings, self.engine, self.store,
                                       http_port=self.plan.http_port, host=self.host,
                                       relay=relay)
        except ConfigError as exc:
            raise StartError(str(exc)) from None
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            raise StartError(f"Slack refused to start the app: {error or exc}") from None
        except (ClientError, OSError) as exc:  # Socket Mode cannot connect
            raise StartError(f"cannot reach Slack at {self.settings.slack_api_url}: "
                             f"{type(exc).__name__}") from None

    @property
    def port(self) -> int | None:
        return self.service.port if self.service else None

    async def is_up(self) -> bool:
        if self.service is None:
            return False
        if self.service.socket is not None:
            return await self.service.socket.client.is_connected()
        return self.service.runner is not None

    async def stop_intake(self) -> None:
        """Close the HTTP server or the socket; handlers already started keep running."""
        service, self.service = self.service, None
        if service is not None:
            await service.stop()

    async def close(self) -> None:
        await self.stop_intake()


def _redact(exc: Exception, settings: Settings) -> str:
    """An error's message without any secret of the settings in it."""
    text = str(exc)
    for secret in (settings.telegram_token, settings.slack_bot_token, settings.slack_app_token,
                   settings.slack_signing_secret, settings.telegram_webhook_secret):
        if secret:
            text = text.replace(secret, "<secret>")
    return text
