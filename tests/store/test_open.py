"""Opening a store: migrations, clear errors for bad databases, and sharing one store
between threads and the asyncio loop."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import StoreError, open_store
from bot.store.base import describe_db
from bot.store.migrations import MIGRATIONS, apply_migrations
from bot.store.postgres import PostgresDatabase
from bot.store.sqlite import SQLiteDatabase

ALL_MIGRATIONS = [m.__name__ for m in MIGRATIONS]


def backend(db_url):
    """The bare database under a store, without migrations."""
    return PostgresDatabase(db_url) if db_url.startswith("postgresql://") else SQLiteDatabase(db_url)


def applied(store_or_db):
    database = getattr(store_or_db, "database", store_or_db)
    with database.transaction() as tx:
        return [row["name"] for row in tx.fetch_all("SELECT name FROM migrations ORDER BY name")]


def ask(store, question="Visa?"):
    return store.record_question(channel="telegram", user_key="u", question=question, lang="en",
                                 answered=False, declined=True, top_source=None)


# --- migrations -------------------------------------------------------------------------------

def test_migrations_are_numbered_in_order():
    assert ALL_MIGRATIONS == sorted(ALL_MIGRATIONS)
    assert all(name[:1] == "m" and name[1:4].isdigit() and name[4] == "_" for name in ALL_MIGRATIONS)
    assert [int(name[1:4]) for name in ALL_MIGRATIONS] == list(range(1, len(ALL_MIGRATIONS) + 1))


def test_open_applies_every_migration_once(db_url):
    with open_store(db_url) as store:
        assert applied(store) == ALL_MIGRATIONS
        question_id = ask(store)
    with open_store(db_url) as reopened:
        assert applied(reopened) == ALL_MIGRATIONS
        assert apply_migrations(reopened.database) == []
        assert reopened.stats()["questions"] == 1
        reopened.record_feedback(question_id, True)


def test_open_upgrades_an_older_schema_and_keeps_its_data(db_url):
    old = backend(db_url)
    assert apply_migrations(old, MIGRATIONS[:1]) == ALL_MIGRATIONS[:1]
    with old.transaction() as tx:
        tx.execute("INSERT INTO user_langs (user_key, lang, updated_at) VALUES ('u', 'ko', '2026-01-01')")
    old.close()

    with open_store(db_url) as store:
        assert applied(store) == ALL_MIGRATIONS
        assert store.get_user_lang("u") == "ko"
        assert store.seen_event("new table works") is False


def test_a_failing_migration_leaves_nothing_behind(db_url):
    def m999_broken(tx):
        tx.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    database = backend(db_url)
    try:
        apply_migrations(database)
        with pytest.raises(RuntimeError, match="boom"):
            apply_migrations(database, [*MIGRATIONS, m999_broken])
        assert applied(database) == ALL_MIGRATIONS
        with pytest.raises(StoreError):
            with database.transaction() as tx:
                tx.fetch_all("SELECT * FROM half_done")
    finally:
        database.close()


# --- SQLite files -----------------------------------------------------------------------------

def test_sqlite_creates_the_folder_and_uses_wal(tmp_path):
    path = tmp_path / "nested" / "deeper" / "innocore.db"
    open_store(path).close()
    assert path.exists()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_sqlite_commits_with_synchronous_normal(tmp_path):
    # A per-connection setting: ask the store's own connection. 1 is NORMAL (2 would be FULL).
    with open_store(tmp_path / "innocore.db") as store:
        with store.database.transaction() as tx:
            assert tx.fetch_one("PRAGMA synchronous") == {"synchronous": 1}


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "innocore.db"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(StoreError) as error:
        open_store(path)
    message = str(error.value)
    assert message.startswith(f"{path} is not a SQLite database or is corrupt")
    assert "\n" not in message


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    path = tmp_path / "innocore.db"
    open_store(path).close()
    with open(path, "r+b") as file:  # keep the header, scramble the pages after it
        file.seek(100)
        file.write(b"\xff" * 8000)
    with pytest.raises(StoreError, match="is not a SQLite database or is corrupt"):
        with open_store(path) as store:
            store.stats()


def test_an_unwritable_folder_is_a_clear_error(read_only_folder):
    path = read_only_folder / "innocore.db"
    with pytest.raises(StoreError) as error:
        open_store(path)
    assert str(error.value) == \
        f"cannot open SQLite database {path}: the folder {read_only_folder} is not writable"


def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / "a-file" / "innocore.db"
    with pytest.raises(StoreError, match=f"cannot create the folder for SQLite database {path}"):
        open_store(path)


def test_a_closed_store_says_so(tmp_path):
    store = open_store(tmp_path / "innocore.db")
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.stats()


# --- PostgreSQL URLs --------------------------------------------------------------------------

def test_describe_db_hides_the_password():
    assert describe_db("postgresql://bot:s3cret@db.example:5432/innocore") == \
        "postgresql://bot:***@db.example:5432/innocore"
    assert describe_db("postgres://bot@db/innocore") == "postgres://bot@db/innocore"
    assert describe_db("data/innocore.db") == "data/innocore.db"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_an_unreachable_server_is_a_clear_error_without_the_password(scheme):
    url = f"{scheme}://bot:s3cret@127.0.0.1:{closed_port()}/innocore"
    with pytest.raises(StoreError) as error:
        open_store(url)
    message = str(error.value)
    assert message.startswith(f"cannot connect to PostgreSQL at {scheme}://bot:***@127.0.0.1:")
    assert "s3cret" not in message
    assert "\n" not in message


# --- sharing one store ------------------------------------------------------------------------

def test_concurrent_writes_from_threads(store):
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)

    def write(worker: int) -> list[int]:
        start.wait(timeout=10)
        ids = []
        for n in range(per_thread):
            ids.append(ask(store, f"worker {worker} question {n}"))
            store.seen_event(f"event-{worker}-{n}")
        return ids

    with ThreadPoolExecutor(threads) as pool:
        ids = [i for batch in pool.map(write, range(threads)) for i in batch]
    assert len(set(ids)) == threads * per_thread
    assert store.stats()["questions"] == threads * per_thread


def test_seen_event_is_atomic_under_a_race(store):
    threads, keys = 8, 20
    start = threading.Barrier(threads)

    def race(_: int) -> list[bool]:
        start.wait(timeout=10)
        return [store.seen_event(f"slack:Ev{k}") for k in range(keys)]

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(race, range(threads)))
    for k in range(keys):
        firsts = [result[k] for result in results].count(False)
        assert firsts == 1, f"key {k} was new to {firsts} callers"


def test_two_stores_on_one_sqlite_file(tmp_path):
    # As when `python -m bot purge` runs beside the bot: busy_timeout makes writers wait.
    path = tmp_path / "innocore.db"
    with open_store(path) as first, open_store(path) as second:
        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(lambda s=s: [ask(s) for _ in range(50)]) for s in (first, second)]:
                future.result()
        assert first.stats()["questions"] == 100


async def test_shared_between_the_event_loop_and_worker_threads(store):
    in_threads = [asyncio.to_thread(ask, store, f"from a thread {n}") for n in range(20)]
    on_loop = [ask(store, f"on the loop {n}") for n in range(5)]
    ids = on_loop + list(await asyncio.gather(*in_threads))
    assert len(set(ids)) == 25
    assert store.stats()["questions"] == 25
