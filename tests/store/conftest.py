"""Fixtures for the store tests: a fake clock, and a store on each backend.

The `store` fixture runs every test on SQLite (a real file in tmp_path) and, when
INNOCORE_TEST_POSTGRES_URL is set, again on PostgreSQL in a fresh schema of that database
(tests/store/start_postgres.sh starts a server and prints such a URL).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.store import open_store
from tests.store.databases import fresh_database


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


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """Where a fresh, empty store lives: a SQLite path or a PostgreSQL URL (own schema)."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url, clock):
    store = open_store(db_url, clock=clock)
    yield store
    store.close()
