"""A fake Slack for tests, both directions, over real HTTP on 127.0.0.1.

`SlackAPIFake` is the Web API the app calls (`base_url` -> SLACK_API_URL): it records every
call and answers like Slack (auth.test, chat.postMessage with a fresh ts, chat.update, ...),
plus `response_url(name)` endpoints for slash-command replies. `wait_for` waits on a condition,
never on the clock.

`SlackSender` is Slack calling the app: events, slash commands and button clicks, signed with
the signing secret (v0, HMAC-SHA256) unless a test forges or ages the signature.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import itertools
import json
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"   # Socket Mode's app-level token
SIGNING_SECRET = "test-signing-secret"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"
STAFF_CHANNEL = "#staff"     # SLACK_STAFF_CHANNEL in running_app ...
STAFF_CHANNEL_ID = "C0STAFF"  # ... and the id Slack answers with
ADMIN = "UADMIN"


@dataclass
class Call:
    method: str               # "chat.postMessage", ... or "respond" for a response_url
    args: dict[str, Any]      # form or JSON arguments; `blocks` decoded from JSON
    token: str | None = None  # the bearer token, when one was sent
    path: str = ""
    response: dict = field(default_factory=dict)  # what the fake answered (ts, channel...)

    def text(self) -> str:
        """Everything a person would read: the text and each block's text."""
        parts = [str(self.args.get("text") or "")]
        for block in self.args.get("blocks") or []:
            parts += _block_texts(block)
        return "\n".join(parts)


def _block_texts(block: Any) -> list[str]:
    if isinstance(block, dict):
        found = [block["text"]] if isinstance(block.get("text"), str) else []
        for value in block.values():
            if isinstance(value, (dict, list)):
                found += _block_texts(value)
        return found
    if isinstance(block, list):
        return [t for item in block for t in _block_texts(item)]
    return []


@dataclass
class SlackAPIFake:
    """The Slack Web API on 127.0.0.1; start() it, point the app's base_url at it."""

    token: str = BOT_TOKEN
    app_token: str = APP_TOKEN
    channel_ids: dict[str, str] = field(default_factory=dict)  # "#staff" -> "C0STAFF"
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[str]] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    root: str = ""

    async def start(self) -> "SlackAPIFake":
        self._changed = asyncio.Condition()
        web_app = web.Application()
        web_app.router.add_route("*", "/api/{method}", self._api)
        web_app.router.add_post("/respond/{name}", self._respond)
        web_app.router.add_get("/socket", self._socket_mode)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.root = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.root}/respond/{name}"

    # --- what tests ask -------------------------------------------------------------------------

    def calls_to(self, method: str, predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (predicate is None or predicate(c))]

    async def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                       timeout: float = 10.0, count: int = 1) -> Call:
        """The first call to `method` matching `predicate`, once `count` such calls exist."""
        assert self._changed is not None, "start() the fake first"

        def ready() -> bool:
            return len(self.calls_to(method, predicate)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                seen = "\n  ".join(f"{c.method} {c.text()[:120]!r}" for c in self.calls)
                raise AssertionError(f"no {count} matching {method} call(s) within {timeout}s; "
                                     f"calls so far:\n  {seen or '(none)'}") from None
        return self.calls_to(method, predicate)[0]

    def fail(self, method: str, error: str = "internal_error", times: int = 1) -> None:
        """Answer the next `times` calls to `method` with ok=false and this error."""
        self._failures.setdefault(method, []).extend([error] * times)

    # --- the server -----------------------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = dict(request.query)
        raw = await request.text()
        if raw:
            args.update(json.loads(raw) if raw.lstrip().startswith("{") else dict(parse_qsl(raw)))
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        expected = self.app_token if method == "apps.connections.open" else self.token
        if token != expected and args.get("token") != expected:
            answer = {"ok": False, "error": "invalid_auth"}
        elif self._failures.get(method):
            answer = {"ok": False, "error": self._failures[method].pop(0)}
        else:
            answer = self._answer(method, args)
        await self._record(Call(method, args, token, request.path, answer))
        return web.json_response(answer)

    def _answer(self, method: str, args: dict) -> dict:
        channel = self.channel_ids.get(args.get("channel"), args.get("channel"))
        if method == "auth.test":
            return {"ok": True, "url": "https://innocore-test.slack.com/", "team": "InnoCORE test",
                    "user": "innocore", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"type": "message", "text": args.get("text"), "ts": ts,
                                "bot_id": BOT_ID, "user": BOT_USER_ID}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.root.replace("http://", "ws://") + "/socket"}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": args.get("ts"), "text": args.get("text")}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call("respond", await request.json(), None, request.path))
        return web.Response(text="ok")

    # --- Socket Mode: Slack pushes envelopes over a WebSocket, the app acks each one --------

    async def _socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0TEST"}})
        await self._record(Call("socket.hello", {}, None, request.path))
        async for frame in ws:
            if frame.type == aiohttp.WSMsgType.TEXT:
                await self._record(Call("socket.ack", json.loads(frame.data), None, request.path))
        return ws

    async def push(self, kind: str, payload: dict, *, retry_attempt: int = 0) -> str:
        """Send an envelope ("events_api", "slash_commands", "interactive") to the connected
        app; returns its envelope_id, which the app's ack ("socket.ack") carries back."""
        await self.wait_for("socket.hello")
        envelope_id = f"env-{next(self._ts)}"
        await self._socket.send_json({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""})
        return envelope_id


# --- Slack calling the app ----------------------------------------------------------------------

def sign(body: str, timestamp: int | str, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackSender:
    """Sends what Slack would send to the app's request URL, signed."""

    url: str                      # http://127.0.0.1:PORT/slack/events
    secret: str = SIGNING_SECRET
    session: aiohttp.ClientSession | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def post(self, body: str, content_type: str, *, timestamp: int | None = None,
                   secret: str | None = None, headers: dict | None = None
                   ) -> tuple[int, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {"Content-Type": content_type,
                       "X-Slack-Request-Timestamp": str(timestamp),
                       "X-Slack-Signature": sign(body, timestamp, secret or self.secret),
                       **(headers or {})}
        self.session = self.session or aiohttp.ClientSession()
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as resp:
            return resp.status, await resp.text()

    async def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None,
                    **sign_options) -> tuple[int, str]:
        """An Events API callback; `retry` sets X-Slack-Retry-Num as Slack's redelivery does."""
        body = event_callback(event, event_id=event_id or f"Ev{next(self._ids):08d}")
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} \
            if retry else None
        return await self.post(json.dumps(body), "application/json", headers=headers,
                               **sign_options)

    async def command(self, text: str, *, user_id: str, response_url: str,
                      channel_id: str = "C0GENERAL", **sign_options) -> tuple[int, str]:
        """A slash command, form-encoded as Slack sends it."""
        form = slash_command(text, user_id=user_id, response_url=response_url,
                             channel_id=channel_id)
        return await self.post(urlencode(form), "application/x-www-form-urlencoded",
                               **sign_options)

    async def click(self, action_id: str, value: str, *, user_id: str, channel: str,
                    message_ts: str, **sign_options) -> tuple[int, str]:
        """A Block Kit button click (interactivity), form-encoded with a JSON payload."""
        payload = {"type": "block_actions", "team": {"id": TEAM_ID},
                   "user": {"id": user_id}, "api_app_id": "A0TEST",
                   "token": "legacy-verification-token", "trigger_id": "trigger.click",
                   "channel": {"id": channel}, "container": {"type": "message",
                                                             "message_ts": message_ts},
                   "message": {"ts": message_ts, "type": "message"},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b",
                                "value": value, "action_ts": str(time.time())}]}
        return await self.post(urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded", **sign_options)

    async def close(self) -> None:
        if self.session:
            await self.session.close()


def event_callback(event: dict, *, event_id: str) -> dict:
    """What the Events API sends (over HTTP, or as a Socket Mode envelope's payload)."""
    return {"token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": "A0TEST",
            "type": "event_callback", "event": event, "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}


def slash_command(text: str, *, user_id: str, response_url: str,
                  channel_id: str = "C0GENERAL") -> dict:
    """The fields of a `/innocore TEXT` invocation."""
    return {"token": "legacy-verification-token", "team_id": TEAM_ID, "channel_id": channel_id,
            "user_id": user_id, "user_name": user_id.lower(), "command": "/innocore",
            "text": text, "api_app_id": "A0TEST", "response_url": response_url,
            "trigger_id": f"trigger.{user_id}.{time.monotonic_ns()}"}


def mention(text: str, *, user: str = "UALICE", channel: str = "C0GENERAL", ts: str = "1.000100",
            thread_ts: str | None = None) -> dict:
    """An app_mention event: `text` after the bot's mention."""
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER_ID}> {text}",
             "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, *, user: str = "UALICE", channel: str = "D0ALICE",
            channel_type: str = "im", ts: str = "2.000100", thread_ts: str | None = None,
            **extra: Any) -> dict:
    """A message event (a DM by default)."""
    event = {"type": "message", "user": user, "text": text, "ts": ts, "channel": channel,
             "channel_type": channel_type, "event_ts": ts, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


# --- the app under test, wired to the fake ------------------------------------------------------

@dataclass
class SlackScenario:
    """A running app (HTTP mode on 127.0.0.1) and both sides of the fake Slack."""

    api: SlackAPIFake
    send: SlackSender
    service: Any
    settings: Any
    store: Any


@asynccontextmanager
async def running_app(settings, assistant, store, **start_options) -> AsyncIterator[SlackScenario]:
    """Start the real Slack app over HTTP against a fresh SlackAPIFake.

    `settings` gets the fake's URL and the test tokens; the staff channel is STAFF_CHANNEL
    and ADMIN is the one administrator, unless the settings already say otherwise."""
    from bot.channels.slack.app import start

    api = await SlackAPIFake(channel_ids={STAFF_CHANNEL: STAFF_CHANNEL_ID}).start()
    settings = dataclasses.replace(
        settings, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
        slack_staff_channel=settings.slack_staff_channel or STAFF_CHANNEL,
        slack_admin_users=settings.slack_admin_users or (ADMIN,))
    service = await start(settings, assistant, store, http_port=0, host="127.0.0.1",
                          **start_options)
    sender = SlackSender(f"http://127.0.0.1:{service.port}/slack/events")
    try:
        yield SlackScenario(api, sender, service, settings, store)
    finally:
        await sender.close()
        await service.stop()
        await api.stop()
