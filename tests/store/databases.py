"""Fresh databases for tests: a SQLite file, or a schema of the PostgreSQL server named by
INNOCORE_TEST_POSTGRES_URL (tests/store/start_postgres.sh starts one and prints its URL)."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

POSTGRES_URL = os.environ.get("INNOCORE_TEST_POSTGRES_URL")


def _postgres_schema_url(base_url: str, schema: str) -> str:
    # libpq reads `options` from the URL: every connection of the store lands in our schema.
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-c search_path={schema}')}"


@contextlib.contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of `kind` ("sqlite" or "postgres") as a path or URL for open_store;
    a PostgreSQL schema is dropped afterwards. Skips the test when PostgreSQL is not set up."""
    if kind == "sqlite":
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
