"""`python -m bot telegram` as an operator runs it: a real process, configured only by the
environment, polling the fake Bot API; stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from tests.fakes.telegram_api import FakeTelegram

REPO = Path(__file__).resolve().parents[2]


def bot_env(settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "INNOCORE_", "SLACK_"))}
    env.update(INNOCORE_INDEX_DIR=str(settings.index_dir), INNOCORE_DB=settings.db,
               INNOCORE_KNOWLEDGE_DIR=str(settings.knowledge_dir), PYTHONPATH=str(REPO), **extra)
    return env


def test_missing_token_is_a_clear_configuration_error(settings):
    done = subprocess.run([sys.executable, "-m", "bot", "telegram"], cwd=REPO,
                          env=bot_env(settings), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr


# Tokens that pass the start-up check; nothing reaches an API before the index fails.
@pytest.mark.parametrize("command, tokens", [
    ("telegram", {"TELEGRAM_BOT_TOKEN": "123:never-used"}),
    ("slack", {"SLACK_BOT_TOKEN": "xoxb-never-used", "SLACK_APP_TOKEN": "xapp-never-used"}),
])
def test_a_broken_document_with_no_index_is_a_clear_error(command, tokens, tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "broken.en.md").write_text("---\ntitle: [never closed\nlang: en\n---\n# Broken\n",
                                            encoding="utf-8")
    settings = Settings(knowledge_dir=knowledge, index_dir=tmp_path / "index",
                        db=str(tmp_path / "bot.db"))
    env = bot_env(settings, TELEGRAM_API_URL="http://127.0.0.1:9/bot",
                  SLACK_API_URL="http://127.0.0.1:9/api/", **tokens)
    done = subprocess.run([sys.executable, "-m", "bot", command], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "error: could not build the index: " in done.stderr
    assert "broken.en.md" in done.stderr and "Traceback" not in done.stderr


async def test_python_m_bot_telegram_answers_and_stops_on_ctrl_c(settings, tmp_path):
    with FakeTelegram() as fake:
        env = bot_env(settings, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.api_url)
        log = open(tmp_path / "stderr.log", "w+", encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "bot", "-v", "telegram"], cwd=REPO,
                                   env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            await fake.wait_for("getUpdates", timeout=60)  # started and polling
            fake.text(1, "What is the salary of an InnoCORE postdoc?")
            reply = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 1, timeout=30)
            assert "90 million won" in reply.params["text"]
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=30)
        log.seek(0)
        stderr = log.read()
        log.close()
    assert code == 0, stderr[-2000:]
    assert "Application started" in stderr  # -v: the library's INFO lines are on
    assert fake.token not in stderr
    assert "salary of an InnoCORE" not in stderr
