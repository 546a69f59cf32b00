"""`python -m bot serve` as an operator runs it: a real subprocess, signals, exit codes.

The Telegram side talks to the fake Bot API (a real HTTP server on 127.0.0.1) through
TELEGRAM_API_URL. Waits are for lines, calls or exits, each with a timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import subprocess
import sys
import threading

import pytest

from bot import serve
from bot.__main__ import build_parser
from bot.config import DEFAULT_SLACK_PORT, Settings
from bot.ops import StartError
from bot.ops.service import BotService
from tests.fakes import slack_api
from tests.fakes.telegram_api import FakeTelegram
from tests.ops.support import KNOWN_FACT, KNOWN_QUESTION, ServeProcess, serve_env


class SlowReplies(FakeTelegram):
    """A Bot API whose sendMessage takes `delay` seconds: a reply stays in flight long enough
    to signal the bot in the middle of it."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.reply_started = threading.Event()

    async def _handle(self, request):
        if request.path.endswith("/sendMessage"):
            self.reply_started.set()
            await asyncio.sleep(self.delay)
        return await super()._handle(request)


def test_sigterm_during_replies_delivers_them_then_exits_0(index_settings, tmp_path):
    with SlowReplies(delay=1.5) as fake:
        # Queued before the bot starts, so its first getUpdates takes all three at once.
        for user in (101, 102, 103):
            fake.text(user, KNOWN_QUESTION)
        env = serve_env(dataclasses.replace(index_settings, db=str(tmp_path / "bot.db")),
                        TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.api_url)
        with ServeProcess(env, tmp_path) as bot:
            assert fake.reply_started.wait(60), "no reply was started:\n" + bot.stderr
            bot.proc.send_signal(signal.SIGTERM)
            late = fake.text(104, KNOWN_QUESTION)  # after the signal: answered only if taken
            rc = bot.wait(timeout=30)

        assert rc == 0, bot.stderr
        replies = {c.params["chat_id"]: c.params["text"] for c in fake.calls("sendMessage")}
        assert {101, 102, 103} <= set(replies), bot.stderr
        assert all(KNOWN_FACT in replies[user] for user in (101, 102, 103))
        # Every update the bot confirmed (a later getUpdates offset passed it) was answered;
        # one it did not confirm stays with Telegram for the next process.
        confirmed_below = max(int(c.params.get("offset") or 0) for c in fake.calls("getUpdates"))
        for update_id, chat in fake.update_chat.items():
            if update_id < confirmed_below:
                assert chat in replies, f"update {update_id} was confirmed, never answered"
        assert late < confirmed_below or 104 not in replies
        assert "SIGTERM: taking no new questions" in bot.stderr
        assert bot.lines[-1].endswith("stopped")


def test_start_up_says_which_channels_are_on_and_why_the_others_are_off(index_settings,
                                                                         tmp_path):
    with FakeTelegram() as fake:
        env = serve_env(dataclasses.replace(index_settings, db=str(tmp_path / "bot.db")),
                        TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.api_url)
        with ServeProcess(env, tmp_path) as bot:
            bot.wait_for_line("ready", 60)
            bot.proc.send_signal(signal.SIGINT)
            assert bot.wait(timeout=30) == 0
    assert "telegram: on (long polling)" in bot.stderr
    assert "slack: off (SLACK_BOT_TOKEN is not set)" in bot.stderr
    assert "health and metrics: off (INNOCORE_METRICS_PORT is not set)" in bot.stderr
    assert f"conversation store: SQLite {tmp_path / 'bot.db'}" in bot.stderr
    assert "index: version " in bot.stderr and " documents (" in bot.stderr
    assert fake.token not in bot.stderr


def serve_once(env: dict, cwd) -> subprocess.CompletedProcess:
    """Run `python -m bot serve` expecting it to end by itself (a start-up error)."""
    return subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_no_channel_configured_is_a_clear_error(index_settings, tmp_path):
    result = serve_once(serve_env(index_settings), tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "configuration error: no channel to run: set TELEGRAM_BOT_TOKEN for Telegram, and/or "
        "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) "
        "for Slack")


def test_a_half_configured_slack_names_the_missing_variable_not_the_values(index_settings,
                                                                            tmp_path):
    env = serve_env(index_settings, SLACK_BOT_TOKEN="xoxb-secret-value")
    result = serve_once(env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    assert "xoxb-secret-value" not in result.stderr


def corrupt_database(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 64)
    return path


@pytest.mark.parametrize("problem", ["corrupt file", "folder is a file", "read-only folder"])
def test_a_broken_store_is_a_clear_error_at_start(problem, index_settings, tmp_path, request):
    if problem == "corrupt file":
        db = corrupt_database(tmp_path)
        expected = f"{db} is not a SQLite database or is corrupt"
    elif problem == "folder is a file":
        (tmp_path / "data").write_text("not a folder")
        db = tmp_path / "data" / "innocore.db"
        expected = f"cannot create the folder for SQLite database {db}"
    else:
        folder = request.getfixturevalue("read_only_folder")
        db = folder / "innocore.db"
        expected = f"the folder {folder} is not writable"
    env = serve_env(dataclasses.replace(index_settings, db=str(db)),
                    TELEGRAM_BOT_TOKEN="123:never-used", TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    result = serve_once(env, tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("innocore-bot: error: conversation store: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rejected_telegram_token_is_a_clear_error_without_the_token(index_settings,
                                                                       tmp_path):
    with FakeTelegram() as fake:
        wrong = "999999:not-the-fake-token"
        env = serve_env(dataclasses.replace(index_settings, db=str(tmp_path / "bot.db")),
                        TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_URL=fake.api_url)
        result = serve_once(env, tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.rstrip().endswith("innocore-bot: error: Telegram rejected "
                                           "TELEGRAM_BOT_TOKEN (check it with @BotFather)")
    assert wrong not in result.stderr and "Traceback" not in result.stderr


async def test_a_rejected_slack_token_is_a_clear_error_at_start(settings, assistant):
    api = await slack_api.SlackAPIFake().start()
    try:
        service = BotService(dataclasses.replace(
            settings, slack_bot_token="xoxb-wrong", slack_signing_secret="s",
            slack_api_url=api.base_url), slack_http_port=0, host="127.0.0.1",
            assistant=assistant, say=lambda line: None)
        with pytest.raises(StartError, match="^Slack rejected SLACK_BOT_TOKEN: invalid_auth$"):
            await service.start()
    finally:
        await api.stop()
    assert service.state == "failed" and service.store is None


@pytest.mark.parametrize("argv, port", [(["serve", "--slack-port", "0"], 0),
                                        (["serve"], DEFAULT_SLACK_PORT)])
def test_slack_port_0_asks_for_any_free_port(argv, port, monkeypatch):
    """0 reaches the service as 0 (any free port), not as the default."""
    asked = []

    class Recording:
        def __init__(self, settings, *, slack_http_port):
            asked.append(slack_http_port)

    async def serve_nothing(service):
        pass

    monkeypatch.setattr(serve, "BotService", Recording)
    monkeypatch.setattr(serve, "serve_until_signalled", serve_nothing)
    assert serve.run(build_parser().parse_args(argv), Settings()) == 0
    assert asked == [port]
