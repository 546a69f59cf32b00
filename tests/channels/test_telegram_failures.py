"""When things go wrong: a broken index, Telegram's rate limit, verbose logs; and webhook mode.

Each test runs its own Application against its own fake Bot API.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import socket
import time

import aiohttp
import pytest

from bot.channels.telegram.app import build_application, protect_logs, running, webhook_options
from bot.engine import Assistant
from bot.engine.index import current_version
from bot.store import open_store
from tests.fakes.telegram_api import FakeTelegram

SALARY = "What is the salary of an InnoCORE postdoc?"


@contextlib.asynccontextmanager
async def telegram_bot(settings, assistant, *, webhook: dict | None = None,
                       protect: bool = False):
    """A fake Bot API, and the real Application talking to it."""
    with FakeTelegram() as fake:
        if protect:
            protect_logs(fake.token)  # what `python -m bot telegram` does first
        settings = dataclasses.replace(settings, telegram_token=fake.token,
                                       telegram_api_url=fake.api_url)
        with open_store(settings.db) as store:
            async with running(build_application(settings, assistant, store), webhook=webhook):
                yield fake


def to_chat(chat_id: int):
    return lambda params: params["chat_id"] == chat_id


async def test_engine_error_gets_an_apology_is_logged_without_text_and_the_bot_keeps_running(
        settings, tmp_path, caplog):
    # A real failure inside the engine: its index version is corrupt on disk.
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    chunks = index / "versions" / current_version(index) / "chunks.jsonl"
    intact = chunks.read_bytes()
    chunks.write_text("{ this is not an index", encoding="utf-8")
    settings = dataclasses.replace(settings, index_dir=index)
    broken = Assistant.from_settings(settings)
    caplog.set_level(logging.INFO)

    async with telegram_bot(settings, broken) as fake:
        fake.text(1, SALARY)
        apology = await fake.wait_for("sendMessage", to_chat(1))
        assert apology.params["text"].startswith("Sorry, something went wrong")
        fake.text(2, "이노코어 포닥의 연봉은 얼마인가요?", lang="ko")
        apology_ko = await fake.wait_for("sendMessage", to_chat(2))
        assert apology_ko.params["text"].startswith("죄송합니다")

        chunks.write_bytes(intact)  # repaired: the same running bot answers again
        mark = fake.mark()
        fake.text(1, SALARY)
        answer = await fake.wait_for("sendMessage", to_chat(1), since=mark)
        assert "90 million won" in answer.params["text"]

    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 2 and all(r.exc_info for r in failures)
    assert SALARY not in caplog.text and "연봉" not in caplog.text


async def test_retry_after_from_telegram_is_waited_out_and_the_reply_delivered(settings, assistant):
    async with telegram_bot(settings, assistant) as fake:
        fake.fail("sendMessage", error_code=429, retry_after=1, when=to_chat(3),
                  description="Too Many Requests: retry after 1")
        fake.text(3, SALARY)
        first = await fake.wait_for("sendMessage", to_chat(3))
        delivered = await fake.wait_for("sendMessage", to_chat(3), count=2)
        assert delivered.at - first.at >= 1.0
        assert "90 million won" in delivered.params["text"]
        assert len(fake.calls("sendMessage", to_chat(3))) == 2  # no apology on top


@pytest.fixture
def restore_logging():
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "telegram")}
    handlers = list(logging.getLogger().handlers)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    for handler in handlers:
        handler.filters = [f for f in handler.filters if type(f).__name__ != "RedactToken"]


async def test_debug_logs_show_neither_the_token_nor_messages(settings, assistant, caplog,
                                                               restore_logging):
    caplog.set_level(logging.DEBUG)  # as with `python -m bot -v telegram`
    async with telegram_bot(settings, assistant, protect=True) as fake:
        logging.getLogger("telegram.ext").warning("request to %s failed", fake.api_url + fake.token)
        fake.text(4, SALARY)
        await fake.wait_for("sendMessage", to_chat(4))
        token = fake.token
    assert "Application started" in caplog.text
    assert f"request to {fake.api_url}<token> failed" in caplog.text  # a leak, redacted
    assert token not in caplog.text
    assert SALARY not in caplog.text  # the library's DEBUG lines carry whole messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_registers_the_url_and_checks_the_secret(settings, assistant):
    port = free_port()
    hooked = dataclasses.replace(settings, telegram_webhook_url="https://bot.example.org/tg/hook",
                                 telegram_webhook_secret="s3cret-Token_1",
                                 telegram_webhook_port=port)
    options = {**webhook_options(hooked), "listen": "127.0.0.1"}
    update = {"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "text": SALARY,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "A", "language_code": "en"}}}
    async with telegram_bot(settings, assistant, webhook=options) as fake:
        registered = await fake.wait_for("setWebhook")
        assert registered.params["url"] == "https://bot.example.org/tg/hook"
        assert registered.params["secret_token"] == "s3cret-Token_1"
        url = f"http://127.0.0.1:{port}/tg/hook"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(url, json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status == 403
            genuine = await http.post(url, json=update,
                                      headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"})
            assert genuine.status == 200
        reply = await fake.wait_for("sendMessage", to_chat(5))
        assert "90 million won" in reply.params["text"]
        assert len(fake.calls("sendMessage", to_chat(5))) == 1
