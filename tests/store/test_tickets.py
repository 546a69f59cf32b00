"""Hand-off tickets: open -> posted -> answered -> relayed -> closed, and the privacy rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.store import StoreError, Ticket


def open_ticket(store, question="Can I bring my cat?", *, chat_id="chat-42", question_id=None):
    return store.open_ticket(channel="telegram", chat_id=chat_id, question=question, lang="en",
                             attempted_answer="The documents do not say.",
                             question_id=question_id)


def test_open_ticket_returns_a_full_ticket(store, clock):
    ticket = open_ticket(store)
    assert ticket == Ticket(
        id=ticket.id, channel="telegram", chat_id="chat-42", question="Can I bring my cat?",
        lang="en", attempted_answer="The documents do not say.", status="open",
        created_at=clock.now, slack_channel=None, slack_ts=None, answer=None, staff_user=None,
        relayed=False, relay_attempts=0, last_error=None, answer_version=0)
    assert ticket.created_at.tzinfo == dt.timezone.utc
    assert store.get_ticket(ticket.id) == ticket
    assert store.stats()["open_tickets"] == 1


def test_ticket_is_frozen(store):
    ticket = open_ticket(store)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ticket.status = "closed"


def test_ticket_can_point_at_its_question(store):
    question_id = store.record_question(channel="telegram", user_key="u", question="Cat?",
                                        lang="en", answered=False, declined=True, top_source=None)
    assert open_ticket(store, question_id=question_id).status == "open"


def test_ticket_for_question(store):
    question_id = store.record_question(channel="telegram", user_key="u", question="Cat?",
                                        lang="en", answered=False, declined=True, top_source=None)
    assert store.ticket_for_question(question_id) is None
    ticket = open_ticket(store, question_id=question_id)
    open_ticket(store, question_id=question_id)
    assert store.ticket_for_question(question_id) == ticket


def test_get_unknown_ticket_is_none(store):
    assert store.get_ticket(12345) is None


def test_tickets_to_post_oldest_first_until_posted(store, clock):
    first = open_ticket(store, "first")
    clock.advance(minutes=1)
    second = open_ticket(store, "second")
    assert [t.id for t in store.tickets_to_post()] == [first.id, second.id]

    store.mark_ticket_posted(first.id, slack_channel="C1", slack_ts="1700000000.000100")
    assert [t.id for t in store.tickets_to_post()] == [second.id]
    posted = store.get_ticket(first.id)
    assert (posted.slack_channel, posted.slack_ts) == ("C1", "1700000000.000100")


def test_ticket_for_thread(store):
    ticket = open_ticket(store)
    store.mark_ticket_posted(ticket.id, slack_channel="C1", slack_ts="111.222")
    assert store.ticket_for_thread("C1", "111.222").id == ticket.id
    assert store.ticket_for_thread("C1", "999.999") is None
    assert store.ticket_for_thread("C2", "111.222") is None


def test_answer_then_relay(store):
    ticket = open_ticket(store)
    store.mark_ticket_posted(ticket.id, slack_channel="C1", slack_ts="1.1")
    answered = store.answer_ticket(ticket.id, answer="Yes, cats are welcome.", staff_user="U_STAFF")
    assert answered.status == "answered"
    assert (answered.answer, answered.staff_user, answered.relayed) == \
        ("Yes, cats are welcome.", "U_STAFF", False)
    assert store.tickets_to_post() == []
    assert store.stats()["open_tickets"] == 0
    assert [t.id for t in store.relays_pending()] == [ticket.id]

    assert store.mark_relayed(ticket.id, version=answered.answer_version) is True
    relayed = store.get_ticket(ticket.id)
    assert relayed.relayed is True
    assert relayed.chat_id == "chat-42"  # still open for follow-ups until closed
    assert store.relays_pending() == []


def test_relays_pending_oldest_answer_first(store, clock):
    first, second = open_ticket(store, "a"), open_ticket(store, "b")
    store.answer_ticket(second.id, answer="B", staff_user="U1")
    clock.advance(minutes=1)
    store.answer_ticket(first.id, answer="A", staff_user="U1")
    assert [t.id for t in store.relays_pending()] == [second.id, first.id]


def test_relay_failures_are_counted_and_the_last_error_kept_short(store):
    ticket = open_ticket(store)
    store.answer_ticket(ticket.id, answer="Yes.", staff_user="U1")
    store.record_relay_failure(ticket.id, "Forbidden: bot was blocked by the user")
    store.record_relay_failure(ticket.id, "Timed out\n" + "x" * 1000)
    failed = store.get_ticket(ticket.id)
    assert failed.relay_attempts == 2
    assert failed.last_error.startswith("Timed out x")
    assert len(failed.last_error) <= 200 and "\n" not in failed.last_error
    assert [t.id for t in store.relays_pending()] == [ticket.id]  # still owed

    store.mark_relayed(ticket.id, version=failed.answer_version)
    assert store.get_ticket(ticket.id).last_error is None


def test_a_new_answer_is_relayed_again(store):
    ticket = open_ticket(store)
    first = store.answer_ticket(ticket.id, answer="First.", staff_user="U1")
    store.mark_relayed(ticket.id, version=first.answer_version)
    again = store.answer_ticket(ticket.id, answer="Correction.", staff_user="U2")
    assert (again.answer, again.staff_user, again.relayed) == ("Correction.", "U2", False)
    assert (first.answer_version, again.answer_version) == (1, 2)
    assert [t.id for t in store.relays_pending()] == [ticket.id]


def test_close_after_relay_erases_chat_id(store):
    ticket = open_ticket(store)
    answered = store.answer_ticket(ticket.id, answer="Yes.", staff_user="U1")
    store.mark_relayed(ticket.id, version=answered.answer_version)
    store.close_ticket(ticket.id, by="U1")
    closed = store.get_ticket(ticket.id)
    assert closed.status == "closed"
    assert closed.chat_id is None
    assert closed.answer == "Yes."


def test_close_without_answer_erases_chat_id(store):
    ticket = open_ticket(store)
    store.close_ticket(ticket.id, by="U1")
    closed = store.get_ticket(ticket.id)
    assert (closed.status, closed.chat_id) == ("closed", None)
    assert store.tickets_to_post() == []


def test_close_before_relay_keeps_chat_id_until_relayed(store):
    ticket = open_ticket(store)
    answered = store.answer_ticket(ticket.id, answer="Yes.", staff_user="U1")
    store.close_ticket(ticket.id, by="U1")
    assert store.get_ticket(ticket.id).chat_id == "chat-42"
    assert [t.id for t in store.relays_pending()] == [ticket.id]  # the answer is still owed

    store.mark_relayed(ticket.id, version=answered.answer_version)
    assert store.get_ticket(ticket.id).chat_id is None
    assert store.relays_pending() == []


def test_closed_ticket_cannot_be_answered(store):
    ticket = open_ticket(store)
    store.close_ticket(ticket.id, by="U1")
    store.close_ticket(ticket.id, by="U2")  # closing twice is harmless
    with pytest.raises(StoreError, match=f"ticket {ticket.id} is closed"):
        store.answer_ticket(ticket.id, answer="Too late.", staff_user="U1")


@pytest.mark.parametrize("action", [
    lambda store: store.mark_ticket_posted(999, slack_channel="C1", slack_ts="1.1"),
    lambda store: store.answer_ticket(999, answer="A", staff_user="U1"),
    lambda store: store.mark_relayed(999, version=1),
    lambda store: store.record_relay_failure(999, "boom"),
    lambda store: store.close_ticket(999, by="U1"),
])
def test_unknown_ticket_is_a_store_error(store, action):
    with pytest.raises(StoreError, match="no ticket 999"):
        action(store)
