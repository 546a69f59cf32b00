"""Relaying a staff answer: one sender at a time (claim_relay), the answer sent is the one
marked (mark_relayed names its version), and a failure waits before the next try."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import open_store
from bot.store.migrations import MIGRATIONS, apply_migrations
from bot.store.postgres import PostgresDatabase
from bot.store.sqlite import SQLiteDatabase


def answered(store, answer="Yes, cats are welcome.", *, chat_id="chat-42"):
    ticket = store.open_ticket(channel="telegram", chat_id=chat_id, question="Cat?", lang="en",
                               attempted_answer="The documents do not say.")
    return store.answer_ticket(ticket.id, answer=answer, staff_user="U1")


def ids(tickets):
    return [t.id for t in tickets]


def test_a_claim_returns_the_answer_to_send_and_shuts_out_everyone_else(store):
    ticket = answered(store)
    claimed = store.claim_relay(ticket.id, owner="sender-1")
    assert (claimed.id, claimed.answer, claimed.answer_version) == \
        (ticket.id, "Yes, cats are welcome.", 1)
    assert store.claim_relay(ticket.id, owner="sender-2") is None
    assert store.claim_relay(ticket.id, owner="sender-1") is None  # not even the same name
    assert store.relays_due() == []
    assert ids(store.relays_pending()) == [ticket.id]  # still owed, only being sent


def test_nothing_owed_cannot_be_claimed(store):
    unanswered = store.open_ticket(channel="telegram", chat_id="c", question="q", lang="en",
                                   attempted_answer="a")
    relayed = answered(store)
    store.mark_relayed(relayed.id, version=relayed.answer_version)
    closed_unanswered = store.open_ticket(channel="telegram", chat_id="c", question="q",
                                          lang="en", attempted_answer="a")
    store.close_ticket(closed_unanswered.id, by="U1")
    for ticket in (unanswered, relayed, closed_unanswered):
        assert store.claim_relay(ticket.id, owner="sender") is None
    assert store.claim_relay(999, owner="sender") is None


def test_a_claim_lapses_after_its_lease(store, clock):
    ticket = answered(store)
    assert store.claim_relay(ticket.id, owner="died-mid-send", lease_seconds=60)
    clock.advance(seconds=59)
    assert store.claim_relay(ticket.id, owner="sender-2") is None
    clock.advance(seconds=1)
    assert ids(store.relays_due()) == [ticket.id]
    assert store.claim_relay(ticket.id, owner="sender-2").answer == "Yes, cats are welcome."


def test_the_lease_must_be_positive(store):
    with pytest.raises(ValueError, match="lease_seconds"):
        store.claim_relay(answered(store).id, owner="sender", lease_seconds=0)


def test_marking_the_sent_answer_ends_the_claim_and_the_debt(store):
    ticket = answered(store)
    claimed = store.claim_relay(ticket.id, owner="sender")
    assert store.mark_relayed(ticket.id, version=claimed.answer_version, owner="sender") is True
    assert store.get_ticket(ticket.id).relayed
    assert store.relays_pending() == [] and store.relays_due() == []


def test_an_answer_replaced_while_being_sent_is_still_owed(store):
    ticket = answered(store, "First.")
    sending = store.claim_relay(ticket.id, owner="sender")
    store.answer_ticket(ticket.id, answer="Correction.", staff_user="U2")
    assert store.claim_relay(ticket.id, owner="other") is None  # the first send is in flight

    assert store.mark_relayed(ticket.id, version=sending.answer_version, owner="sender") is False
    assert not store.get_ticket(ticket.id).relayed
    again = store.claim_relay(ticket.id, owner="sender-again")
    assert (again.answer, again.answer_version) == ("Correction.", 2)
    assert store.mark_relayed(ticket.id, version=2, owner="sender-again") is True
    assert store.relays_pending() == []


def test_an_unclaimed_mark_of_an_old_answer_leaves_the_new_claim_alone(store):
    ticket = answered(store, "First.")
    store.answer_ticket(ticket.id, answer="Correction.", staff_user="U2")
    assert store.claim_relay(ticket.id, owner="new-sender")
    assert store.mark_relayed(ticket.id, version=1, owner="old-sender") is False
    assert store.claim_relay(ticket.id, owner="third") is None


def test_a_failure_ends_the_claim_and_the_ticket_waits_before_its_next_try(store, clock):
    ticket = answered(store)
    claimed = store.claim_relay(ticket.id, owner="sender")
    store.record_relay_failure(ticket.id, "TimedOut", owner="sender",
                               version=claimed.answer_version, retry_in=30)
    failed = store.get_ticket(ticket.id)
    assert (failed.relay_attempts, failed.last_error) == (1, "TimedOut")
    assert store.relays_due() == []
    clock.advance(seconds=30)
    assert ids(store.relays_due()) == [ticket.id]
    assert store.claim_relay(ticket.id, owner="retrier")


def test_a_failure_of_a_replaced_answer_does_not_delay_the_new_one(store):
    ticket = answered(store, "First.")
    store.claim_relay(ticket.id, owner="sender")
    store.answer_ticket(ticket.id, answer="Correction.", staff_user="U2")
    store.record_relay_failure(ticket.id, "TimedOut", owner="sender", version=1, retry_in=300)
    fresh = store.get_ticket(ticket.id)
    assert (fresh.relay_attempts, fresh.last_error) == (0, None)
    assert ids(store.relays_due()) == [ticket.id]


def test_a_new_answer_is_due_at_once_even_after_failures(store):
    ticket = answered(store, "First.")
    store.record_relay_failure(ticket.id, "Bad Gateway", retry_in=300)
    assert store.relays_due() == []
    store.answer_ticket(ticket.id, answer="Correction.", staff_user="U2")
    assert ids(store.relays_due()) == [ticket.id]


def race_for_claims(stores, ticket_ids, threads_per_store=4):
    """Every thread tries to claim every ticket at once; returns the winners per ticket."""
    threads = len(stores) * threads_per_store
    start = threading.Barrier(threads)

    def race(worker: int) -> list[int]:
        store = stores[worker % len(stores)]
        start.wait(timeout=10)
        return [t for t in ticket_ids if store.claim_relay(t, owner=f"worker-{worker}")]

    with ThreadPoolExecutor(threads) as pool:
        won = list(pool.map(race, range(threads)))
    return {t: sum(t in mine for mine in won) for t in ticket_ids}


def test_racing_threads_claim_each_answer_once(store):
    tickets = [answered(store, f"answer {n}").id for n in range(20)]
    assert race_for_claims([store], tickets, threads_per_store=8) == {t: 1 for t in tickets}


def test_two_stores_on_one_database_claim_each_answer_once(db_url, clock):
    # As `python -m bot telegram` and `python -m bot slack` sharing one database.
    with open_store(db_url, clock=clock) as first, open_store(db_url, clock=clock) as second:
        tickets = [answered(first, f"answer {n}").id for n in range(20)]
        assert race_for_claims([first, second], tickets) == {t: 1 for t in tickets}


def test_an_answer_pending_before_the_upgrade_is_relayed_after_it(db_url):
    old = PostgresDatabase(db_url) if db_url.startswith("postgresql://") else SQLiteDatabase(db_url)
    apply_migrations(old, [m for m in MIGRATIONS if m.__name__ < "m004"])
    with old.transaction() as tx:
        tx.execute("INSERT INTO tickets (channel, chat_id, question, lang, attempted_answer,"
                   " status, created_at, answer, staff_user, answered_at)"
                   " VALUES ('telegram', '7', 'q', 'en', 'a', 'answered', '2026-01-01',"
                   " 'Yes.', 'U1', '2026-01-01')")
    old.close()

    with open_store(db_url) as store:
        [pending] = store.relays_due()
        claimed = store.claim_relay(pending.id, owner="sender")
        assert (claimed.answer, claimed.answer_version) == ("Yes.", 0)
        assert store.mark_relayed(pending.id, version=0, owner="sender") is True
        assert store.relays_pending() == []
