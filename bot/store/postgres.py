"""PostgreSQL backend (psycopg 3): a few reusable connections, one per transaction."""

from __future__ import annotations

import queue
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from bot.store.base import StoreError, describe_db, one_line

# Idle connections kept for reuse; busier moments open extra ones and close them afterwards.
POOL_SIZE = 4
CONNECT_TIMEOUT_S = 5


def _to_psycopg(sql: str) -> str:
    # Our SQL is written with `?` placeholders (SQLite's); psycopg wants `%s` and a literal `%%`.
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresTransaction:
    dialect = "postgresql"

    def __init__(self, cursor: Any):
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(_to_psycopg(sql), tuple(params))
        return self._cursor.rowcount

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        self._cursor.execute(_to_psycopg(sql), tuple(params))
        return self._cursor.fetchone()

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self._cursor.execute(_to_psycopg(sql), tuple(params))
        return self._cursor.fetchall()


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a declared dependency
            raise StoreError("PostgreSQL needs the psycopg package (pip install 'psycopg[binary]')") from exc
        self._psycopg = psycopg
        self._url = url
        self.name = describe_db(url)
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._closed = threading.Event()
        # Connect once now, so a wrong URL or a server that is down fails at start.
        self._idle.put(self._connect())

    def _connect(self) -> Any:
        psycopg = self._psycopg
        try:
            return psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                   row_factory=psycopg.rows.dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {self.name}: {self._clean(exc)}") from exc

    def _clean(self, exc: Exception) -> str:
        text = one_line(exc)
        password = self._psycopg.conninfo.conninfo_to_dict(self._url).get("password")
        return text.replace(password, "***") if password else text

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._closed.is_set():
            raise StoreError(f"PostgreSQL database {self.name} is closed")
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._connect()
        try:
            yield connection
        finally:
            # A connection that broke (server restart) is dropped; the next call opens a new one.
            if connection.closed or self._closed.is_set() or self._idle.qsize() >= POOL_SIZE:
                connection.close()
            else:
                self._idle.put(connection)

    @contextmanager
    def transaction(self) -> Iterator[PostgresTransaction]:
        with self._connection() as connection:
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    yield PostgresTransaction(cursor)
            except self._psycopg.Error as exc:
                if isinstance(exc, self._psycopg.OperationalError):
                    connection.close()
                raise StoreError(f"PostgreSQL database {self.name}: {self._clean(exc)}") from exc

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
