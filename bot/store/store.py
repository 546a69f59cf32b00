"""The conversation store: every query, written once for both backends."""

from __future__ import annotations

import datetime as dt
import os
from typing import Callable, Sequence

from bot.store.base import (Database, StoreError, Ticket, Transaction, as_utc, is_postgres_url,
                            normalize_question, one_line, utc_now)
from bot.store.migrations import apply_migrations

Clock = Callable[[], dt.datetime]

TICKET_COLUMNS = ("id, channel, chat_id, question, lang, attempted_answer, status, created_at,"
                  " slack_channel, slack_ts, answer, staff_user, relayed, relay_attempts,"
                  " last_error, answer_version")

# A ticket whose answer is owed to the applicant (a ticket closed right after its answer too).
_OWED = "answer IS NOT NULL AND NOT relayed AND chat_id IS NOT NULL"
# Nobody holds a live claim to send it (store.claim_relay).
_UNCLAIMED = "(relay_lease_until IS NULL OR relay_lease_until <= ?)"

# A relay error is kept for staff to read, not as a log: its first 200 characters will do.
_ERROR_LIMIT = 200

# Far enough back to mean "since the beginning" in a timestamp comparison.
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def open_store(db: str | os.PathLike[str], *, clock: Clock | None = None) -> "Store":
    """Open (creating and migrating as needed) the store at a SQLite path or a postgresql:// URL.

    `clock` returns the current UTC time; tests pass a fake one to age records.
    """
    db = os.fspath(db)
    if is_postgres_url(db):
        from bot.store.postgres import PostgresDatabase
        database: Database = PostgresDatabase(db)
    else:
        from bot.store.sqlite import SQLiteDatabase
        database = SQLiteDatabase(db)
    try:
        apply_migrations(database)
    except BaseException:
        database.close()
        raise
    return Store(database, clock=clock)


class Store:
    """Questions, feedback, language choices, hand-off tickets and seen events.

    One Store is safe to share between the asyncio loop and worker threads. Every method
    raises StoreError when the database fails.
    """

    def __init__(self, database: Database, *, clock: Clock | None = None):
        self.database = database
        self._clock = clock or utc_now

    def _since(self, days: int | None) -> dt.datetime:
        return _EPOCH if days is None else self._clock() - dt.timedelta(days=days)

    # --- questions and feedback -------------------------------------------------------------

    def record_question(self, *, channel: str, user_key: str, question: str, lang: str,
                        answered: bool, declined: bool, top_source: str | None,
                        open_parts: Sequence[str] = ()) -> int:
        """Log one question; return its id. The text is kept only when the documents left it
        unanswered (gaps() and the hand-off need it): declined, or answered but for its
        `open_parts`, which gaps() then counts; any other question is logged without its text."""
        text = question if declined or open_parts else None
        unanswered = question if declined else " / ".join(open_parts)
        norm = normalize_question(unanswered) if text else None
        with self.database.transaction() as tx:
            row = tx.fetch_one(
                "INSERT INTO questions (channel, user_key, question, question_norm, lang,"
                " answered, declined, top_source, asked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (channel, user_key, text, norm, lang, bool(answered), bool(declined), top_source,
                 self._clock()))
        return int(row["id"])

    def get_question(self, question_id: int, *,
                     user_key: str | None = None) -> tuple[str | None, str | None]:
        """A recorded question's text and language. The text is None unless the documents left
        it unanswered, all or in part (no other text is kept); (None, None) when there is no
        such question or, given `user_key`, it was someone else's."""
        with self.database.transaction() as tx:
            row = tx.fetch_one("SELECT question, lang, user_key FROM questions WHERE id = ?",
                               (question_id,))
        if row is None or (user_key is not None and row["user_key"] != user_key):
            return None, None
        return row["question"], row["lang"]

    def record_feedback(self, question_id: int, helpful: bool) -> None:
        """One feedback per question: a later click replaces the earlier one."""
        with self.database.transaction() as tx:
            if tx.fetch_one("SELECT id FROM questions WHERE id = ?", (question_id,)) is None:
                raise StoreError(f"no question {question_id} in {self.database.name} "
                                 "(never recorded, or purged)")
            tx.execute(
                "INSERT INTO feedback (question_id, helpful, given_at) VALUES (?, ?, ?)"
                " ON CONFLICT (question_id) DO UPDATE"
                " SET helpful = excluded.helpful, given_at = excluded.given_at",
                (question_id, bool(helpful), self._clock()))

    # --- language preference ----------------------------------------------------------------

    def set_user_lang(self, user_key: str, lang: str | None) -> None:
        """Remember a user's reply language; None forgets it."""
        with self.database.transaction() as tx:
            if lang is None:
                tx.execute("DELETE FROM user_langs WHERE user_key = ?", (user_key,))
                return
            tx.execute(
                "INSERT INTO user_langs (user_key, lang, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_key) DO UPDATE"
                " SET lang = excluded.lang, updated_at = excluded.updated_at",
                (user_key, lang, self._clock()))

    def get_user_lang(self, user_key: str) -> str | None:
        with self.database.transaction() as tx:
            row = tx.fetch_one("SELECT lang FROM user_langs WHERE user_key = ?", (user_key,))
        return row["lang"] if row else None

    # --- hand-off tickets -------------------------------------------------------------------
    # Lifecycle: open -> posted to Slack -> answered there -> relayed to the applicant -> closed.
    # Privacy: chat_id is erased as soon as the ticket is closed and no reply is owed, that is
    # when its answer was relayed or it was closed without one.

    def open_ticket(self, *, channel: str, chat_id: str, question: str, lang: str,
                    attempted_answer: str, question_id: int | None = None) -> Ticket:
        with self.database.transaction() as tx:
            row = tx.fetch_one(
                "INSERT INTO tickets (question_id, channel, chat_id, question, lang,"
                " attempted_answer, status, created_at)"
                f" VALUES (?, ?, ?, ?, ?, ?, 'open', ?) RETURNING {TICKET_COLUMNS}",
                (question_id, channel, chat_id, question, lang, attempted_answer, self._clock()))
        return _ticket(row)

    def get_ticket(self, ticket_id: int) -> Ticket | None:
        with self.database.transaction() as tx:
            row = tx.fetch_one(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket(row) if row else None

    def ticket_for_question(self, question_id: int) -> Ticket | None:
        """The ticket opened for this recorded question, if any (the first, if several)."""
        with self.database.transaction() as tx:
            row = tx.fetch_one(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE question_id = ?"
                               " ORDER BY id LIMIT 1", (question_id,))
        return _ticket(row) if row else None

    def tickets_to_post(self) -> list[Ticket]:
        """Open tickets not yet posted to the staff channel, oldest first."""
        with self.database.transaction() as tx:
            rows = tx.fetch_all(
                f"SELECT {TICKET_COLUMNS} FROM tickets"
                " WHERE status = 'open' AND slack_ts IS NULL ORDER BY created_at, id")
        return [_ticket(row) for row in rows]

    def mark_ticket_posted(self, ticket_id: int, *, slack_channel: str, slack_ts: str) -> None:
        self._update_ticket(ticket_id, "slack_channel = ?, slack_ts = ?", (slack_channel, slack_ts))

    def ticket_for_thread(self, slack_channel: str, slack_ts: str) -> Ticket | None:
        """The ticket whose Slack post starts this thread, if any."""
        with self.database.transaction() as tx:
            row = tx.fetch_one(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE slack_channel = ? AND slack_ts = ?",
                (slack_channel, slack_ts))
        return _ticket(row) if row else None

    def answer_ticket(self, ticket_id: int, *, answer: str, staff_user: str) -> Ticket:
        """Record staff's answer (a new answer_version); it is then owed to the applicant and
        due at once. A later answer replaces it and is relayed again, even while the earlier
        one is being sent (see mark_relayed). A closed ticket cannot be answered."""
        with self.database.transaction() as tx:
            row = tx.fetch_one(
                "UPDATE tickets SET status = 'answered', answer = ?, staff_user = ?,"
                " answered_at = ?, answer_version = answer_version + 1, relayed = FALSE,"
                " relayed_at = NULL, relay_attempts = 0, last_error = NULL, relay_due_at = NULL"
                f" WHERE id = ? AND status <> 'closed' RETURNING {TICKET_COLUMNS}",
                (answer, staff_user, self._clock(), ticket_id))
            if row is None:
                self._explain_missing(tx, ticket_id)
        return _ticket(row)

    # Relaying an answer: claim_relay -> send -> mark_relayed, or record_relay_failure.
    # The claim makes one sender at a time, across loops and processes; mark_relayed names the
    # answer_version sent, so an answer replaced meanwhile is still owed afterwards.

    def relays_pending(self) -> list[Ticket]:
        """Answered tickets whose answer has not reached the applicant yet, oldest answer first
        (a ticket closed right after its answer still owes the relay)."""
        with self.database.transaction() as tx:
            rows = tx.fetch_all(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE {_OWED} ORDER BY answered_at, id")
        return [_ticket(row) for row in rows]

    def relays_due(self) -> list[Ticket]:
        """The pending relays to try now: nobody is sending them, and the wait after their last
        failure is over. Oldest answer first."""
        now = self._clock()
        with self.database.transaction() as tx:
            rows = tx.fetch_all(
                f"SELECT {TICKET_COLUMNS} FROM tickets WHERE {_OWED} AND {_UNCLAIMED}"
                " AND (relay_due_at IS NULL OR relay_due_at <= ?) ORDER BY answered_at, id",
                (now, now))
        return [_ticket(row) for row in rows]

    def claim_relay(self, ticket_id: int, *, owner: str,
                    lease_seconds: float = 60.0) -> Ticket | None:
        """Take the sole right to send this ticket's answer, for `lease_seconds`.

        Returns the ticket as it is now (send exactly its answer, then mark_relayed with its
        answer_version), or None when nothing is owed (no answer, already relayed, chat erased)
        or another sender holds a live claim. Atomic: of any number of callers racing, in any
        number of processes, at most one gets the ticket. The claim ends with mark_relayed or
        record_relay_failure, or lapses after the lease (a sender that died blocks nobody for
        long); `owner` names the sender, unique per attempt."""
        if lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be more than 0, got {lease_seconds}")
        now = self._clock()
        with self.database.transaction() as tx:
            row = tx.fetch_one(
                "UPDATE tickets SET relay_owner = ?, relay_lease_until = ?"
                f" WHERE id = ? AND {_OWED} AND {_UNCLAIMED} RETURNING {TICKET_COLUMNS}",
                (owner, now + dt.timedelta(seconds=lease_seconds), ticket_id, now))
        return _ticket(row) if row else None

    def mark_relayed(self, ticket_id: int, *, version: int, owner: str | None = None) -> bool:
        """Record that answer `version` reached the applicant, and end the claim; True.

        When staff replaced the answer meanwhile, the ticket stays owed (the newer answer must
        be sent too): only `owner`'s claim ends, and it returns False."""
        with self.database.transaction() as tx:
            marked = tx.execute(
                "UPDATE tickets SET relayed = TRUE, relayed_at = ?, last_error = NULL,"
                " relay_owner = NULL, relay_lease_until = NULL, relay_due_at = NULL,"
                " chat_id = CASE WHEN status = 'closed' THEN NULL ELSE chat_id END"
                " WHERE id = ? AND answer IS NOT NULL AND answer_version = ?",
                (self._clock(), ticket_id, version))
            if marked:
                return True
            self._require(tx, ticket_id)
            self._release(tx, ticket_id, owner)
        return False

    def record_relay_failure(self, ticket_id: int, error: str, *, owner: str | None = None,
                             version: int | None = None, retry_in: float = 0.0) -> None:
        """Count a failed relay, keep its error for staff, and make the ticket due again in
        `retry_in` seconds; `owner`'s claim ends. The failure of an answer staff have since
        replaced (`version` no longer current) only ends the claim: the new one is due now."""
        where, params = ("id = ?", (ticket_id,)) if version is None else \
            ("id = ? AND answer_version = ?", (ticket_id, version))
        due = self._clock() + dt.timedelta(seconds=max(0.0, retry_in))
        with self.database.transaction() as tx:
            counted = tx.execute(
                "UPDATE tickets SET relay_attempts = relay_attempts + 1, last_error = ?,"
                f" relay_due_at = ? WHERE {where}", (one_line(error, _ERROR_LIMIT), due, *params))
            if not counted:
                self._require(tx, ticket_id)
            self._release(tx, ticket_id, owner)

    def _release(self, tx: Transaction, ticket_id: int, owner: str | None) -> None:
        if owner is not None:
            tx.execute("UPDATE tickets SET relay_owner = NULL, relay_lease_until = NULL"
                       " WHERE id = ? AND relay_owner = ?", (ticket_id, owner))

    def _require(self, tx: Transaction, ticket_id: int) -> None:
        if tx.fetch_one("SELECT id FROM tickets WHERE id = ?", (ticket_id,)) is None:
            raise StoreError(f"no ticket {ticket_id} in {self.database.name}")

    def close_ticket(self, ticket_id: int, *, by: str) -> None:
        """Close a ticket (closing twice keeps the first close)."""
        self._update_ticket(
            ticket_id,
            "closed_by = CASE WHEN status = 'closed' THEN closed_by ELSE ? END,"
            " closed_at = COALESCE(closed_at, ?), status = 'closed',"
            " chat_id = CASE WHEN relayed OR answer IS NULL THEN NULL ELSE chat_id END",
            (by, self._clock()))

    def _update_ticket(self, ticket_id: int, assignments: str, params: tuple) -> None:
        with self.database.transaction() as tx:
            if not tx.execute(f"UPDATE tickets SET {assignments} WHERE id = ?", (*params, ticket_id)):
                self._explain_missing(tx, ticket_id)

    def _explain_missing(self, tx: Transaction, ticket_id: int) -> None:
        self._require(tx, ticket_id)
        row = tx.fetch_one("SELECT status FROM tickets WHERE id = ?", (ticket_id,))
        raise StoreError(f"ticket {ticket_id} is {row['status']}")

    # --- reports ----------------------------------------------------------------------------

    def stats(self, *, days: int | None = None) -> dict:
        """Counts over the questions of the last `days` days (all when None); open_tickets is
        the number open right now."""
        since = self._since(days)
        with self.database.transaction() as tx:
            counts = tx.fetch_one(
                "SELECT COUNT(*) AS questions,"
                " SUM(CASE WHEN answered THEN 1 ELSE 0 END) AS answered,"
                " SUM(CASE WHEN declined THEN 1 ELSE 0 END) AS declined"
                " FROM questions WHERE asked_at >= ?", (since,))
            votes = tx.fetch_one(
                "SELECT SUM(CASE WHEN f.helpful THEN 1 ELSE 0 END) AS helpful,"
                " SUM(CASE WHEN f.helpful THEN 0 ELSE 1 END) AS not_helpful"
                " FROM feedback f JOIN questions q ON q.id = f.question_id"
                " WHERE q.asked_at >= ?", (since,))
            open_tickets = tx.fetch_one(
                "SELECT COUNT(*) AS n FROM tickets WHERE status = 'open'")["n"]
        questions = int(counts["questions"] or 0)
        declined = int(counts["declined"] or 0)
        return {
            "questions": questions,
            "answered": int(counts["answered"] or 0),
            "declined": declined,
            "decline_rate": declined / questions if questions else 0.0,
            "helpful": int(votes["helpful"] or 0),
            "not_helpful": int(votes["not_helpful"] or 0),
            "open_tickets": int(open_tickets),
        }

    def gaps(self, *, days: int = 30, limit: int = 10) -> list[tuple[str, int]]:
        """What the documents left unanswered most often in the last `days` days: declined
        questions, and the parts an answer left open, grouped by their normalized text; ties go
        to the most recently asked."""
        with self.database.transaction() as tx:
            rows = tx.fetch_all(
                "SELECT question_norm, COUNT(*) AS times FROM questions"
                " WHERE question_norm IS NOT NULL AND asked_at >= ?"
                " GROUP BY question_norm"
                " ORDER BY times DESC, MAX(asked_at) DESC, question_norm"
                " LIMIT ?", (self._since(days), limit))
        return [(row["question_norm"], int(row["times"])) for row in rows]

    # --- retention --------------------------------------------------------------------------

    def seen_event(self, key: str) -> bool:
        """True if `key` was recorded before; otherwise record it and return False. Atomic:
        of two threads or processes racing on one key, exactly one gets False."""
        with self.database.transaction() as tx:
            inserted = tx.fetch_one(
                "INSERT INTO seen_events (key, seen_at) VALUES (?, ?)"
                " ON CONFLICT (key) DO NOTHING RETURNING key", (key, self._clock()))
        return inserted is None

    def purge(self, *, older_than_days: int) -> dict[str, int]:
        """Delete questions (with their feedback), closed tickets and seen events older than
        `older_than_days`; return how many rows went from each table. Open and answered
        tickets stay whatever their age: someone still owes a reply."""
        if older_than_days < 0:
            raise ValueError(f"older_than_days must be 0 or more, got {older_than_days}")
        cutoff = self._since(older_than_days)
        with self.database.transaction() as tx:
            # feedback always comes after its question: it goes with the question
            feedback = tx.execute(
                "DELETE FROM feedback WHERE question_id IN"
                " (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,))
            # a ticket that pointed at a deleted question keeps its own copy of the text
            questions = tx.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            tickets = tx.execute(
                "DELETE FROM tickets WHERE status = 'closed' AND closed_at < ?", (cutoff,))
            seen_events = tx.execute("DELETE FROM seen_events WHERE seen_at < ?", (cutoff,))
        return {"questions": questions, "feedback": feedback, "tickets": tickets,
                "seen_events": seen_events}

    # --- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _ticket(row: dict) -> Ticket:
    return Ticket(
        id=int(row["id"]), channel=row["channel"], chat_id=row["chat_id"],
        question=row["question"], lang=row["lang"], attempted_answer=row["attempted_answer"],
        status=row["status"], created_at=as_utc(row["created_at"]),
        slack_channel=row["slack_channel"], slack_ts=row["slack_ts"], answer=row["answer"],
        staff_user=row["staff_user"], relayed=bool(row["relayed"]),
        relay_attempts=int(row["relay_attempts"]), last_error=row["last_error"],
        answer_version=int(row["answer_version"]))
