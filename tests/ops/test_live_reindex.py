"""Documents change under a running bot: `python ingest.py` (another process) publishes a new
index version while this process keeps answering, and an ingest killed halfway changes
nothing. Each test works on its own copy of knowledge/ and of the index."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import threading
import time
import weakref

from bot.engine import Assistant
from bot.engine.index import VERSIONS, current_version
from bot.engine.types import ReplyKind
from tests.ops.support import (KNOWN_FACT, KNOWN_QUESTION, NEW_DOCUMENT, NEW_FACT, NEW_QUESTION,
                               ingest_command)

# Questions the shipped documents answer, with a fact each answer must hold.
ASKED = ((KNOWN_QUESTION, KNOWN_FACT), ("이노코어 박사후연구원 연봉은 얼마인가요?", "9천만"))


def wait_until_answered(assistant: Assistant, question: str, fact: str, timeout: float):
    """Ask again and again until the reply holds `fact` (each ask takes tens of ms)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = assistant.ask(question)
        if reply.kind is ReplyKind.ANSWER and fact in reply.answer:
            return reply
        assert time.monotonic() < deadline, f"{question!r} still gets: {reply.answer[:200]!r}"


class AskingClient(threading.Thread):
    """Asks a question the documents answer every few milliseconds and keeps every reply."""

    def __init__(self, assistant: Assistant, pause: float = 0.003) -> None:
        super().__init__(daemon=True)
        self.assistant, self.pause = assistant, pause
        self.replies: list[tuple[str, str, object]] = []  # (version after the ask, fact, reply)
        self.errors: list[BaseException] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            question, fact = ASKED[len(self.replies) % len(ASKED)]
            try:
                reply = self.assistant.ask(question)
                self.replies.append((self.assistant.index_version, fact, reply))
            except BaseException as exc:  # noqa: BLE001 - every failure is a test failure
                self.errors.append(exc)
            self.done.wait(self.pause)

    def asked_on(self, version: str) -> int:
        return sum(1 for v, _, _ in self.replies if v == version)


def test_reingest_while_a_client_asks_every_few_milliseconds(private_index):
    settings = private_index
    assistant = Assistant.from_settings(settings)
    old = assistant.index_version
    assert assistant.ask(NEW_QUESTION).kind is ReplyKind.DECLINE  # nobody knows it yet

    (settings.knowledge_dir / "faq" / "zeppelin.en.md").write_text(NEW_DOCUMENT)
    client = AskingClient(assistant)
    client.start()
    try:
        ingest = subprocess.run(ingest_command(settings), capture_output=True, text=True,
                                timeout=120)
        assert ingest.returncode == 0, ingest.stderr
        new = current_version(settings.index_dir)
        assert new != old and "added: faq/zeppelin.en.md" in ingest.stdout

        reply = wait_until_answered(assistant, NEW_QUESTION, NEW_FACT, timeout=10)
        assert reply.top_source.source == "faq/zeppelin.en.md"
        # Keep the client going for a while on the new version too.
        deadline = time.monotonic() + 10
        while client.asked_on(new) < 50 and not client.errors:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        client.done.set()
        client.join(10)

    assert client.errors == []
    assert client.asked_on(old) >= 20 and client.asked_on(new) >= 50
    for _, fact, reply in client.replies:
        assert reply.kind is ReplyKind.ANSWER and reply.answer.strip()
        assert fact in reply.answer


def wait_for_temporary_version(index_dir, proc, timeout: float = 60.0):
    """The folder ingest writes a new version into, as soon as it exists."""
    versions = index_dir / VERSIONS
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = [p for p in versions.glob(".tmp-*")] if versions.is_dir() else []
        if found:
            return found[0]
        time.sleep(0.001)
    raise AssertionError(f"ingest never started writing a version (exit code {proc.poll()})")


def test_ingest_killed_halfway_leaves_the_old_index_serving(private_index):
    settings = private_index
    old = current_version(settings.index_dir)
    (settings.knowledge_dir / "faq" / "zeppelin.en.md").write_text(NEW_DOCUMENT)

    ingest = subprocess.Popen(ingest_command(settings), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        partial = wait_for_temporary_version(settings.index_dir, ingest)
        os.kill(ingest.pid, signal.SIGSTOP)  # frozen in the middle of writing the version
        assert ingest.poll() is None, "ingest ended before it could be stopped halfway"
    finally:
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait(10)
    assert ingest.returncode == -signal.SIGKILL
    assert partial.exists() and current_version(settings.index_dir) == old

    # A process starting now serves the old version.
    assistant = Assistant.from_settings(settings)
    assert assistant.index_version == old
    reply = assistant.ask(KNOWN_QUESTION)
    assert reply.kind is ReplyKind.ANSWER and KNOWN_FACT in reply.answer
    assert assistant.ask(NEW_QUESTION).kind is ReplyKind.DECLINE

    # The next ingest is not blocked by the dead one's lock or leftovers, and publishes.
    again = subprocess.run(ingest_command(settings), capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert "added: faq/zeppelin.en.md" in again.stdout
    assert current_version(settings.index_dir) not in (None, old)
    assert not list((settings.index_dir / VERSIONS).glob(".tmp-*"))
    wait_until_answered(assistant, NEW_QUESTION, NEW_FACT, timeout=10)


def test_versions_retired_after_warm_up_are_still_freed(private_index):
    # warm_up keeps what it loaded out of the garbage collector's full passes (gc.freeze): the
    # index version it loaded must still go once two newer ones replace it, or every re-ingest
    # would keep a whole index in memory.
    settings = private_index
    assistant = Assistant.from_settings(settings)
    assistant.reader.poll_seconds = 0
    assistant.warm_up()
    assert gc.get_freeze_count() > 0
    first = weakref.ref(assistant.reader.current())
    for n in (1, 2):
        (settings.knowledge_dir / "faq" / "zeppelin.en.md").write_text(
            NEW_DOCUMENT.replace("Hangar 7", f"Hangar {n}"))
        ingest = subprocess.run(ingest_command(settings), capture_output=True, text=True,
                                timeout=120)
        assert ingest.returncode == 0, ingest.stderr
        wait_until_answered(assistant, NEW_QUESTION, f"Hangar {n}", timeout=10)
    gc.collect()
    assert first() is None
