"""The Slack app: which Slack event goes to which handler, and how it is served.

    app = build_app(settings, assistant, store, handoff=handoff)
    service = await start(settings, assistant, store, http_port=3000)   # or socket mode
    ...
    await service.stop()

Handlers only translate (adapter.py, commands.py) and call the engine, the store or the
hand-off; the engine runs in a worker thread so the event loop keeps acknowledging Slack.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import commands
from bot.channels.slack.adapter import (RESOLVE_ACTION, is_human_message, question_of,
                                        reply_message)
from bot.channels.slack.handoff import HandOff, Relay
from bot.config import ConfigError, Settings
from bot.store import Store, StoreError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def build_app(settings: Settings, assistant: Any, store: Store, *,
              handoff: HandOff | None = None, client: AsyncWebClient | None = None) -> AsyncApp:
    """The bolt app with every listener registered; nothing is started."""
    client = client or web_client(settings)
    app = AsyncApp(client=client, signing_secret=settings.slack_signing_secret or "",
                   name="innocore-bot")

    async def ask(question: str):
        return await asyncio.to_thread(assistant.ask, question)

    @app.middleware
    async def drop_redelivered(body: dict, request, next) -> BoltResponse | None:
        """Slack resends an event it thinks we missed (X-Slack-Retry-Num): answer it once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                seen = await asyncio.to_thread(store.seen_event, f"slack:{event_id}")
            except StoreError as exc:  # better to answer twice than never
                log.warning("could not check event %s for a redelivery: %s", event_id, exc)
                seen = False
            if seen:
                retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
                log.info("dropped event %s: already handled (Slack's retry %s)", event_id, retry)
                return BoltResponse(status=200, body="")
        return await next()

    @app.event("app_mention")
    async def answer_mention(event: dict, context, client: AsyncWebClient) -> None:
        """A mention in a channel: the engine's reply in the mention's thread."""
        reply = await ask(question_of(event, context.bot_user_id))
        await client.chat_postMessage(channel=event["channel"],
                                      thread_ts=event.get("thread_ts") or event["ts"],
                                      **reply_message(reply))

    async def is_direct_message(event: dict) -> bool:
        return event.get("channel_type") == "im" and is_human_message(event)

    @app.event("message", matchers=[is_direct_message])
    async def answer_direct_message(event: dict, context, client: AsyncWebClient) -> None:
        """A direct message: the engine's reply in the same conversation (or its thread)."""
        reply = await ask(question_of(event, context.bot_user_id))
        await client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts"),
                                      **reply_message(reply))

    async def is_staff_thread_reply(event: dict, context) -> bool:
        thread_ts = event.get("thread_ts")
        return (handoff is not None and is_human_message(event) and bool(thread_ts)
                and thread_ts != event.get("ts")
                and f"<@{context.bot_user_id}>" not in event.get("text", ""))

    @app.event("message", matchers=[is_staff_thread_reply])
    async def relay_staff_answer(event: dict) -> None:
        """A person's reply in a ticket's thread is the answer to send to the applicant."""
        await handoff.on_thread_reply(event)

    @app.event("message")
    async def ignore_other_messages() -> None:
        """Channel chatter, edits, bots: nothing to do (and no 'unhandled' warning)."""

    @app.action(RESOLVE_ACTION)
    async def resolve_ticket(ack: AsyncAck, action: dict, body: dict) -> None:
        """The Resolved button on a ticket card."""
        await ack()
        if handoff is not None:
            await handoff.resolve(int(action["value"]), body["user"]["id"])

    @app.command(commands.COMMAND)
    async def innocore_command(ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
        """`/innocore ask|stats|gaps|reingest|help`; the administrative ones for admins only."""
        cmd = commands.parse(command.get("text", ""))
        user_id = command["user_id"]
        if cmd.admin_only and not commands.is_admin(user_id, settings.slack_admin_users):
            log.info("refused /innocore %s to %s (not in SLACK_ADMIN_USERS)", cmd.name, user_id)
            await ack(text=commands.refusal(cmd, user_id))
        elif cmd.name == "ask" and cmd.arg:
            await ack()
            reply = await ask(cmd.arg)
            await respond(**reply_message(reply, asked=cmd.arg))
        elif cmd.name in ("stats", "gaps"):
            await ack(text=await report(cmd))
        elif cmd.name == "reingest":
            await ack(text="Re-ingesting the knowledge base; the report follows here.")
            await respond(response_type="in_channel", text=await reingest(settings, user_id))
        elif cmd.name == "":
            await ack(text=commands.unknown(cmd))
        else:  # help, or ask without a question
            await ack(text=commands.USAGE)

    async def report(cmd: commands.Command) -> str:
        """The text of /innocore stats or gaps, from the store."""
        try:
            if cmd.name == "stats":
                stats = await asyncio.to_thread(store.stats, days=cmd.days)
                return commands.stats_text(stats, cmd.days)
            gaps = await asyncio.to_thread(store.gaps, days=cmd.days or 30)
            return commands.gaps_text(gaps, cmd.days or 30)
        except StoreError as exc:
            log.warning("/innocore %s: %s", cmd.name, exc)
            return f":warning: The conversation store is not answering: {exc}"

    @app.error
    async def log_error(error: Exception) -> None:
        log.error("a Slack handler failed: %s: %s", type(error).__name__, error,
                  exc_info=error)

    return app


async def reingest(settings: Settings, user_id: str) -> str:
    """Run ingest in a worker thread; its report (or why it failed) as Slack text."""
    from bot.ingest.pipeline import IngestError, run_ingest

    try:
        report = await asyncio.to_thread(run_ingest, settings.knowledge_dir, settings.index_dir,
                                         chroma_url=settings.chroma_url,
                                         embedder=settings.embedder)
    except IngestError as exc:
        log.warning("re-ingest asked by %s failed: %s", user_id, exc)
        return commands.ingest_failed_text(str(exc), exc.problems)
    log.info("re-ingest asked by %s: %s", user_id, report.summary().splitlines()[0])
    return commands.ingest_text(report.summary(), user_id)


async def check_token(client: AsyncWebClient) -> None:
    """A rejected SLACK_BOT_TOKEN is a clear error at start; an unreachable Slack is not."""
    try:
        await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in ("invalid_auth", "not_authed", "account_inactive", "token_revoked",
                     "token_expired"):
            raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN: {error}") from None
        log.warning("could not check SLACK_BOT_TOKEN: Slack said %s", error)
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
        log.warning("could not reach Slack to check SLACK_BOT_TOKEN: %s", type(exc).__name__)


def web_client(settings: Settings) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL points it elsewhere (a test fake)."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") \
        else settings.slack_api_url + "/"
    return AsyncWebClient(token=settings.slack_bot_token, base_url=base_url)


# --- serving ------------------------------------------------------------------------------------

async def start_http(app: AsyncApp, port: int, host: str = "0.0.0.0") -> web.AppRunner:
    """Serve the Events API, slash commands and interactivity at POST /slack/events.

    Every request's signature is checked by bolt (401 when forged or older than 5 minutes).
    Port 0 picks a free port: read it back with `bound_port(runner)`."""

    async def dispatch(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, dispatch)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]


@dataclass
class SlackService:
    """A running Slack app: its HTTP server or Socket Mode connection, and the hand-off."""

    app: AsyncApp
    handoff: HandOff | None
    runner: web.AppRunner | None = None
    socket: Any = None  # AsyncSocketModeHandler

    @property
    def port(self) -> int | None:
        return bound_port(self.runner) if self.runner else None

    async def stop(self) -> None:
        if self.handoff:
            await self.handoff.stop()
        if self.socket:
            await self.socket.close_async()
        if self.runner:
            await self.runner.cleanup()


async def start(settings: Settings, assistant: Any, store: Store, *, http_port: int | None = None,
                host: str = "0.0.0.0", relay: Relay | None = None, post_every: float = 1.0,
                relay_every: float = 30.0) -> SlackService:
    """Start the Slack side: over HTTP when `http_port` is given, else in Socket Mode.

    The hand-off runs when SLACK_STAFF_CHANNEL is set; `relay` delivers staff answers."""
    if http_port is not None:
        settings.require("slack_bot_token", "slack_signing_secret")
    else:
        settings.require("slack_bot_token", "slack_app_token")
    client = web_client(settings)
    await check_token(client)
    handoff = None
    if settings.slack_staff_channel:
        handoff = HandOff(client, store, settings.slack_staff_channel, relay=relay,
                          post_every=post_every, relay_every=relay_every)
    else:
        log.warning("SLACK_STAFF_CHANNEL is not set: hand-off tickets are not posted to Slack")
    if not settings.slack_admin_users:
        log.warning("SLACK_ADMIN_USERS is empty: nobody can run /innocore stats, gaps, reingest")
    app = build_app(settings, assistant, store, handoff=handoff, client=client)
    service = SlackService(app, handoff)
    try:
        if http_port is not None:
            service.runner = await start_http(app, http_port, host)
            log.info("Slack app listening on %s:%s%s", host, service.port, EVENTS_PATH)
        else:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            service.socket = AsyncSocketModeHandler(app, settings.slack_app_token)
            await service.socket.connect_async()
            log.info("Slack app connected in Socket Mode")
        if handoff:
            handoff.start()
    except BaseException:
        await service.stop()
        raise
    return service


__all__ = ["SlackService", "build_app", "bound_port", "start", "start_http"]
