"""SQLite backend: one connection in WAL mode, shared by threads behind a lock.

synchronous=NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the
file, and each commit skips an fsync (about 4x faster). Losing a second of questions is fine;
a staff answer lost that way is only relayed again.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from bot.store.base import UTC, StoreError, one_line

# How long a writer waits for another process (say `python -m bot purge` while the bot runs).
BUSY_TIMEOUT_MS = 5000


def _to_sqlite(value: Any) -> Any:
    # Fixed-width UTC text, so timestamps compare correctly as strings.
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


class SQLiteTransaction:
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def _run(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        return self._connection.execute(sql, [_to_sqlite(p) for p in params])

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._run(sql, params).rowcount

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        cursor = self._run(sql, params)
        row = cursor.fetchone()
        cursor.close()  # finishes the statement (an INSERT ... RETURNING) before COMMIT
        return dict(row) if row is not None else None

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self._run(sql, params).fetchall()]


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.name = str(path)
        self._lock = threading.RLock()
        self._connection = self._connect()

    def _connect(self) -> sqlite3.Connection:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for SQLite database {self.name}: "
                             f"{exc.strerror or exc}") from exc
        connection = None
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so DDL is transactional too.
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                         timeout=BUSY_TIMEOUT_MS / 1000)
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Reading the journal mode reads the file header: a non-database fails here.
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            if connection is not None:
                connection.close()
            raise StoreError(self._explain(exc)) from exc
        return connection

    def _explain(self, exc: sqlite3.Error) -> str:
        message = str(exc)
        if "not a database" in message or "malformed" in message:
            return f"{self.name} is not a SQLite database or is corrupt ({message})"
        folder = self.path.parent
        if not os.access(folder, os.W_OK):
            return f"cannot open SQLite database {self.name}: the folder {folder} is not writable"
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return f"cannot open SQLite database {self.name}: the file is not writable"
        return f"SQLite database {self.name}: {one_line(message)}"

    @contextmanager
    def transaction(self) -> Iterator[SQLiteTransaction]:
        with self._lock:
            if self._connection is None:
                raise StoreError(f"SQLite database {self.name} is closed")
            try:
                # IMMEDIATE takes the write lock up front: no deadlock upgrading a read later.
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield SQLiteTransaction(self._connection)
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise
                self._connection.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise StoreError(self._explain(exc)) from exc

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
