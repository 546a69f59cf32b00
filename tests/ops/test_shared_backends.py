"""The pieces several bot processes share: the dense index in a Chroma server process
(`chroma run` on 127.0.0.1) and the conversation store in PostgreSQL.

The Chroma test needs the `chroma` CLI (installed with the chromadb package); the PostgreSQL
test runs when INNOCORE_TEST_POSTGRES_URL is set (tests/store/start_postgres.sh prints one).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.config import Settings
from bot.engine import Assistant
from bot.engine.index import CHROMA_DIR, chroma_client, collection_name, current_version, \
    version_dir
from bot.engine.types import ReplyKind
from bot.ops.service import BotService
from tests.fakes.telegram_api import FakeTelegram
from tests.ops.support import (KNOWN_FACT, KNOWN_QUESTION, NEW_DOCUMENT, NEW_FACT, NEW_QUESTION,
                               REPO, serve_env)

POSTGRES_URL = os.environ.get("INNOCORE_TEST_POSTGRES_URL")


def chroma_cli() -> str | None:
    """`chroma` on PATH, or beside this Python (a virtualenv that is not activated)."""
    return shutil.which("chroma") or shutil.which("chroma", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    """A Chroma server process on 127.0.0.1, storing into tmp_path; its URL."""
    cli = chroma_cli()
    if cli is None:
        pytest.skip("the chroma CLI (from the chromadb package) is not on PATH")
    port = free_port()
    log = open(tmp_path / "chroma.log", "wb")
    server = subprocess.Popen([cli, "run", "--path", str(tmp_path / "chroma-data"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (tmp_path / "chroma.log").read_text()
                assert time.monotonic() < deadline, "the Chroma server did not answer in 60 s"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        log.close()


def test_ingest_and_answers_through_a_chroma_server(private_index, chroma_url, tmp_path):
    (private_index.knowledge_dir / "faq" / "zeppelin.en.md").write_text(NEW_DOCUMENT)
    env = serve_env(private_index, INNOCORE_CHROMA_URL=chroma_url)
    ingest = subprocess.run([sys.executable, str(REPO / "ingest.py")], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=180)
    assert ingest.returncode == 0, ingest.stderr

    version = current_version(private_index.index_dir)
    assert not (version_dir(private_index.index_dir, version) / CHROMA_DIR).exists()
    collection = chroma_client(None, chroma_url).get_collection(collection_name(version))
    assert collection.count() > 100

    settings = Settings.from_env(env)  # INNOCORE_CHROMA_URL as the bot reads it
    assert settings.chroma_url == chroma_url
    assistant = Assistant.from_settings(settings)
    assert assistant.index_version == version
    reply = assistant.ask(NEW_QUESTION)
    assert reply.kind is ReplyKind.ANSWER and NEW_FACT in reply.answer
    reply = assistant.ask(KNOWN_QUESTION)
    assert reply.kind is ReplyKind.ANSWER and KNOWN_FACT in reply.answer


@pytest.fixture
def postgres_url():
    """A fresh schema in the test database, as a URL every connection lands in."""
    if not POSTGRES_URL:
        pytest.skip("INNOCORE_TEST_POSTGRES_URL is not set (tests/store/start_postgres.sh)")
    import psycopg

    schema = f"ops_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-c search_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


async def test_two_bot_processes_share_one_postgresql_store(settings, assistant, postgres_url):
    """Two services (as two processes behind a load balancer would) record into one store."""
    import psycopg

    lines: list[str] = []
    with FakeTelegram() as first_api, FakeTelegram() as second_api:
        services = [BotService(dataclasses.replace(settings, db=postgres_url,
                                                   telegram_token=api.token,
                                                   telegram_api_url=api.api_url),
                               assistant=assistant, say=lines.append)
                    for api in (first_api, second_api)]
        for service in services:
            await service.start()
        try:
            first_api.text(301, KNOWN_QUESTION)
            second_api.text(302, "How do I cook pasta carbonara?")
            await first_api.wait_for("sendMessage", lambda p: p["chat_id"] == 301)
            await second_api.wait_for("sendMessage", lambda p: p["chat_id"] == 302)
        finally:
            for service in services:
                await service.stop()

    assert any(line.startswith("conversation store: PostgreSQL postgresql://")
               for line in lines)
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT channel, answered, declined FROM questions ORDER BY id").fetchall()
    assert sorted(rows) == [("telegram", False, True), ("telegram", True, False)]
