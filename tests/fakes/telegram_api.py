"""A fake Telegram Bot API: a real HTTP server on 127.0.0.1, for tests and benchmarks.

    with FakeTelegram() as fake:                        # serves http://127.0.0.1:PORT/bot<token>/…
        settings = replace(settings, telegram_token=fake.token, telegram_api_url=fake.api_url)
        fake.text(user_id=1, text="What is the salary?")
        call = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 1)

It runs its own event loop in a thread, so any test loop (or none) can drive it. It hands out
queued updates through getUpdates (long polling, capped at `max_poll` seconds), records every
Bot API call with its decoded parameters, and can be told to fail a method (429, 403...).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

Predicate = Callable[[dict], bool]

# Parameters PTB sends as plain strings that must stay strings.
_STRING_PARAMS = {"text", "caption", "callback_query_id", "secret_token", "url", "parse_mode",
                  "inline_message_id", "description", "short_description", "name"}


@dataclass
class Call:
    method: str
    params: dict
    at: float      # time.monotonic() when the request arrived
    index: int


@dataclass
class _Failure:
    method: str
    status: int
    body: dict
    times: int
    when: Predicate = field(default=lambda params: True)


@dataclass
class _Waiter:
    method: str
    predicate: Predicate
    since: int
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future


class FakeTelegram:
    BOT_ID = 777000001

    def __init__(self, token: str = "123456:FAKE-token_for-tests", *,
                 username: str = "innocore_test_bot", max_poll: float = 0.5) -> None:
        self.token = token
        self.username = username
        self.max_poll = max_poll
        self.port = 0
        self.handed_out: dict[int, float] = {}   # update_id -> monotonic time of getUpdates reply
        self.update_chat: dict[int, int] = {}    # update_id -> chat id
        self.listeners: list[Callable[[Call], None]] = []  # called (server thread) per call
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._waiters: list[_Waiter] = []
        self._failures: list[_Failure] = []
        self._queue: list[dict] = []
        self._messages: dict[tuple[int, int], dict] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()

    # --- lifetime -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What TELEGRAM_API_URL should be (the library appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def bot_user(self) -> dict:
        return {"id": self.BOT_ID, "is_bot": True, "first_name": "InnoCORE",
                "username": self.username}

    def start(self) -> "FakeTelegram":
        self._thread = threading.Thread(target=self._serve, name="fake-telegram", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Telegram server did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=20 * 2**20)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    # --- queueing updates (callable from any thread) ----------------------------------------

    def user(self, user_id: int, lang: str = "en") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"Applicant{user_id}",
                "language_code": lang}

    def message(self, user_id: int, *, chat_id: int | None = None, chat_type: str = "private",
                lang: str = "en", reply_to: dict | None = None, **content: Any) -> int:
        """Queue a message update with any content (text=..., sticker=...); returns its id."""
        chat_id = user_id if chat_id is None else chat_id
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": f"Applicant{user_id}"}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "Applicants"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.user(user_id, lang), **content}
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self._queue_update({"message": message}, chat_id)

    def text(self, user_id: int, text: str, **kwargs: Any) -> int:
        return self.message(user_id, text=text, **kwargs)

    def command(self, user_id: int, command: str, **kwargs: Any) -> int:
        """A command such as "/start" (or "/start@bot"), marked as Telegram marks it."""
        name = command.split()[0]
        return self.message(user_id, text=command, entities=[
            {"type": "bot_command", "offset": 0, "length": _utf16_len(name)}], **kwargs)

    def mention(self, user_id: int, group_id: int, text: str, **kwargs: Any) -> int:
        """A group message that @-mentions the bot at the end of `text`."""
        full = f"{text} @{self.username}"
        entity = {"type": "mention", "offset": _utf16_len(text) + 1,
                  "length": _utf16_len(self.username) + 1}
        return self.message(user_id, chat_id=group_id, chat_type="group", text=full,
                            entities=[entity], **kwargs)

    def sticker(self, user_id: int, **kwargs: Any) -> int:
        return self.message(user_id, sticker={
            "file_id": "CAACAgIAAxk", "file_unique_id": "AgADsticker", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False}, **kwargs)

    def photo(self, user_id: int, **kwargs: Any) -> int:
        return self.message(user_id, photo=[{"file_id": "AgACAgIAAxk", "file_unique_id": "AQAD",
                                             "width": 90, "height": 90}], **kwargs)

    def location(self, user_id: int, **kwargs: Any) -> int:
        return self.message(user_id, location={"latitude": 37.57, "longitude": 126.98}, **kwargs)

    def press(self, user_id: int, message: dict, data: str, *, lang: str = "en") -> int:
        """Queue a callback query: `user_id` presses the button `data` under `message` (a
        message the bot sent, as returned by sent())."""
        update_id = next(self._update_ids)
        query = {"id": f"cq{update_id}", "from": self.user(user_id, lang),
                 "chat_instance": f"ci{message['chat']['id']}", "data": data,
                 "message": json.loads(json.dumps(message))}
        return self._queue_update({"callback_query": query}, message["chat"]["id"], update_id)

    def _queue_update(self, update: dict, chat_id: int, update_id: int | None = None) -> int:
        with self._lock:
            update_id = update_id or next(self._update_ids)
            self._queue.append({"update_id": update_id, **update})
            self.update_chat[update_id] = chat_id
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    # --- observing ------------------------------------------------------------------------

    def calls(self, method: str | None = None, predicate: Predicate | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if (method is None or c.method == method)
                    and (predicate is None or predicate(c.params))]

    def mark(self) -> int:
        """The number of calls so far: pass it as wait_for(since=...) to ignore older calls."""
        with self._lock:
            return len(self._calls)

    def sent(self, call: Call) -> dict:
        """The message (as the Bot API returned it) that a sendMessage call created."""
        with self._lock:
            return self._messages[(call.params["chat_id"], call.params["_message_id"])]

    async def wait_for(self, method: str, predicate: Predicate | None = None, *,
                       timeout: float = 10.0, since: int = 0, count: int = 1) -> Call:
        """The `count`-th call to `method` (from call index `since`) whose parameters satisfy
        `predicate`, waiting up to `timeout` seconds for it to arrive."""
        predicate = predicate or (lambda params: True)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                matches = [c for c in self._calls[since:]
                           if c.method == method and predicate(c.params)]
                if len(matches) >= count:
                    return matches[count - 1]
                waiter = _Waiter(method, predicate, len(self._calls), loop, loop.create_future())
                self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter.future, max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                seen = [c.params.get("text", c.params) for c in self.calls(method)][-5:]
                raise AssertionError(f"{len(matches)} of {count} matching {method} calls within "
                                     f"{timeout}s; the last ones: {seen}") from None
            finally:
                with self._lock:
                    if waiter in self._waiters:
                        self._waiters.remove(waiter)

    def fail(self, method: str, *, error_code: int, description: str, times: int = 1,
             retry_after: int | None = None, when: Predicate | None = None) -> None:
        """Answer the next `times` calls to `method` (matching `when`) with a Bot API error."""
        body: dict[str, Any] = {"ok": False, "error_code": error_code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._lock:
            self._failures.append(_Failure(method, error_code, body, times,
                                           when or (lambda params: True)))

    # --- the Bot API ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        prefix, _, method = request.path.lstrip("/").partition("/")
        if prefix != f"bot{self.token}":
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        params = _decode(await request.post()) if request.can_read_body else {}
        if failure := self._take_failure(method, params):
            self._record(method, params, at)
            return web.json_response(failure.body, status=failure.status)
        try:
            if method == "getUpdates":
                result = await self._get_updates(params)
            else:
                result = self._answer(method, params)
        except _ApiError as exc:
            self._record(method, params, at)
            return web.json_response({"ok": False, "error_code": exc.status,
                                      "description": exc.description}, status=exc.status)
        self._record(method, params, at)
        return web.json_response({"ok": True, "result": result})

    def _take_failure(self, method: str, params: dict) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.method == method and failure.times > 0 and failure.when(params):
                    failure.times -= 1
                    return failure
        return None

    def _record(self, method: str, params: dict, at: float) -> None:
        with self._lock:
            call = Call(method, params, at, len(self._calls))
            self._calls.append(call)
            for waiter in list(self._waiters):
                if (waiter.method == method and call.index >= waiter.since
                        and waiter.predicate(params)):
                    self._waiters.remove(waiter)
                    waiter.loop.call_soon_threadsafe(_resolve, waiter.future, call)
        for listener in self.listeners:  # outside the lock: a listener may queue updates
            listener(call)

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.max_poll)
        while True:
            self._new_update.clear()
            with self._lock:
                self._queue = [u for u in self._queue if u["update_id"] >= offset]
                ready = self._queue[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                break
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        now = time.monotonic()
        with self._lock:
            for update in ready:
                self.handed_out.setdefault(update["update_id"], now)
        return ready

    def _answer(self, method: str, params: dict) -> Any:
        if method == "getMe":
            return {**self.bot_user, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method == "sendMessage":
            return self._store_message(params)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit_message(params)
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method in ("answerCallbackQuery", "setMyCommands", "deleteWebhook", "setWebhook",
                      "deleteMyCommands", "close", "logOut", "sendChatAction"):
            return True
        raise _ApiError(404, "Not Found: method not found")

    def _store_message(self, params: dict) -> dict:
        chat_id = params["chat_id"]
        message_id = next(self._message_ids)
        params["_message_id"] = message_id
        message = {"message_id": message_id, "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                   "from": self.bot_user, "text": params.get("text", "")}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self._messages[(chat_id, message_id)] = message
        return message

    def _edit_message(self, params: dict) -> dict:
        key = (params.get("chat_id"), params.get("message_id"))
        with self._lock:
            message = self._messages.get(key)
            if message is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            if "text" in params:
                message["text"] = params["text"]
            message.pop("reply_markup", None)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return dict(message)


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _resolve(future: asyncio.Future, call: Call) -> None:
    if not future.done():
        future.set_result(call)


def _decode(form) -> dict:
    """PTB posts form fields; objects and numbers arrive JSON-encoded."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str) or key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _utf16_len(text: str) -> int:
    """Telegram measures entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def button_data(params: dict) -> list[str]:
    """Every callback_data under a sendMessage/edit call's inline keyboard."""
    markup = params.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
