"""Helpers for the operations tests: `python -m bot serve` as a real subprocess, its
environment built from Settings, a document with a fact no shipped document holds."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.config import Settings

REPO = Path(__file__).resolve().parents[2]

# A fact no shipped document holds, and questions about it and about the shipped documents.
NEW_DOCUMENT = """---
id: zeppelin-parking
lang: en
title: Parking a zeppelin at the InnoCORE campus
---
# Parking a zeppelin at the InnoCORE campus

## Where can applicants park a zeppelin?
Applicants who arrive by zeppelin can moor it at Hangar 7 of the Daejeon campus, next to the
north gate. Mooring is free for the day of the interview.
"""
NEW_QUESTION = "Where can I park my zeppelin?"
NEW_FACT = "Hangar 7"
KNOWN_QUESTION = "What is the salary of an InnoCORE postdoc?"
KNOWN_FACT = "90"


def serve_env(settings: Settings, **extra: str) -> dict[str, str]:
    """A clean environment for a subprocess: only what the settings say, plus `extra`."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
           "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1",
           "INNOCORE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "INNOCORE_INDEX_DIR": str(settings.index_dir), "INNOCORE_DB": str(settings.db)}
    env.update(extra)
    return env


class ServeProcess:
    """`python -m bot serve` in a subprocess; its stderr lines are collected as they come."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, text: str, timeout: float) -> str:
        """The first stderr line containing `text` (AssertionError if none within timeout)."""
        for line in self.lines:
            if text in line:
                return line
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout}s; stderr so far:\n"
                             + "\n".join(self.lines))

    def wait(self, timeout: float) -> int:
        """The exit code, once the process has ended and all its stderr is read."""
        rc = self.proc.wait(timeout)
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return rc

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def __enter__(self) -> "ServeProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


def ingest_command(settings: Settings) -> list[str]:
    return [sys.executable, str(REPO / "ingest.py"), "--knowledge", str(settings.knowledge_dir),
            "--index", str(settings.index_dir)]
