"""Types shared by the store and its two backends: errors, Ticket, and the small Database
interface that sqlite.py and postgres.py implement.

The queries live once, in store.py; a backend only knows how to connect, run one
transaction at a time safely, and turn its driver's errors into StoreError.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Sequence
from urllib.parse import urlsplit

UTC = dt.timezone.utc

TicketStatus = Literal["open", "answered", "closed"]


class StoreError(Exception):
    """The conversation store cannot do what was asked; the message is one line that names
    the database (never a password) and says why."""


@dataclass(frozen=True)
class Ticket:
    """A question handed to a person: posted to Slack, answered there, relayed back."""

    id: int
    channel: str
    chat_id: str | None  # erased once the applicant no longer needs to be reached
    question: str
    lang: str
    attempted_answer: str
    status: TicketStatus
    created_at: dt.datetime  # UTC
    slack_channel: str | None
    slack_ts: str | None
    answer: str | None
    staff_user: str | None
    relayed: bool
    relay_attempts: int
    last_error: str | None
    answer_version: int  # grows with every answer; mark_relayed names the one it sent


class Delivery(enum.Enum):
    """What one attempt to relay a ticket's answer came to."""

    DELIVERED = "delivered"  # sent and marked relayed
    FAILED = "failed"        # the platform refused or was unreachable: recorded, due again later
    SKIPPED = "skipped"      # nothing to send here: nothing owed, or another sender is on it


class Transaction(Protocol):
    """One open transaction. SQL uses `?` placeholders on every backend."""

    dialect: str  # "sqlite" or "postgresql"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; return the number of rows it changed."""

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...


class Database(Protocol):
    """A connection (or a few) to one database, safe to share between threads."""

    dialect: str
    name: str  # how messages name the database: a path, or a URL without its password

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Commit when the block ends, roll back if it raises; driver errors become StoreError."""

    def close(self) -> None: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def as_utc(value: dt.datetime | str) -> dt.datetime:
    """A timestamp read back from either backend (SQLite keeps ISO text) as an aware UTC datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_TRAILING_PUNCTUATION = "?!.？！。 "


def normalize_question(text: str) -> str:
    """The form gaps() groups by: lowercased, whitespace collapsed, trailing ?!. stripped."""
    return " ".join(text.split()).lower().rstrip(_TRAILING_PUNCTUATION)


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def describe_db(db: str) -> str:
    """The database as messages may show it: a PostgreSQL URL loses its password."""
    if not is_postgres_url(db):
        return db
    parts = urlsplit(db)
    if parts.password is None:
        return db
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc}" if user else f"***@{netloc}").geturl()


def one_line(message: object, limit: int = 300) -> str:
    """A driver's message on one short line (some span several lines with hints)."""
    text = re.sub(r"\s+", " ", str(message)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
