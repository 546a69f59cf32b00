"""Fixtures for the store tests: a fake clock, and a store on each backend.

The `store` fixture runs every test on SQLite (a real file in tmp_path) and, when
INNOCORE_TEST_POSTGRES_URL is set, again on PostgreSQL in a fresh schema of that database
(tests/store/start_postgres.sh starts a server and prints such a URL).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from urllib.parse import quote

import pytest

from bot.store import open_store

POSTGRES_URL = os.environ.get("INNOCORE_TEST_POSTGRES_URL")


class FakeClock:
    """A clock the test moves by hand, so records can be aged without waiting."""

    def __init__(self, now: dt.datetime = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _postgres_schema_url(base_url: str, schema: str) -> str:
    # libpq reads `options` from the URL: every connection of the store lands in our schema.
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-c search_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """Where a fresh, empty store lives: a SQLite path or a PostgreSQL URL (own schema)."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "innocore.db")
        return
    if not POSTGRES_URL:
        pytest.skip("INNOCORE_TEST_POSTGRES_URL is not set (tests/store/start_postgres.sh starts one)")
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(db_url, clock):
    store = open_store(db_url, clock=clock)
    yield store
    store.close()
