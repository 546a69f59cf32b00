"""seen_event (dropping Slack retries) and purge (keeping records only as long as needed)."""

from __future__ import annotations

import pytest


def ask(store, *, declined=False):
    return store.record_question(channel="slack", user_key="u", question="Visa?", lang="en",
                                 answered=not declined, declined=declined, top_source=None)


def open_ticket(store, question="Visa?"):
    return store.open_ticket(channel="telegram", chat_id="chat-1", question=question, lang="en",
                             attempted_answer="-")


def test_seen_event_records_once(store):
    assert store.seen_event("slack:Ev01") is False
    assert store.seen_event("slack:Ev01") is True
    assert store.seen_event("slack:Ev01") is True
    assert store.seen_event("slack:Ev02") is False


def test_purge_an_empty_store(store):
    assert store.purge(older_than_days=30) == \
        {"questions": 0, "feedback": 0, "tickets": 0, "seen_events": 0}


def test_purge_removes_only_old_records(store, clock):
    # 40 days ago
    old_question = ask(store)
    store.record_feedback(old_question, True)
    ask(store, declined=True)
    store.seen_event("old-event")
    closed_old = open_ticket(store, "closed long ago")
    store.close_ticket(closed_old.id, by="U1")
    still_open = open_ticket(store, "nobody answered yet")
    answered = open_ticket(store, "answered, relay owed")
    store.answer_ticket(answered.id, answer="Yes.", staff_user="U1")

    clock.advance(days=35)  # 5 days ago
    new_question = ask(store)
    store.record_feedback(new_question, False)
    store.seen_event("new-event")
    closed_recently = open_ticket(store, "closed recently")
    store.close_ticket(closed_recently.id, by="U1")

    clock.advance(days=5)
    removed = store.purge(older_than_days=30)
    assert removed == {"questions": 2, "feedback": 1, "tickets": 1, "seen_events": 1}

    stats = store.stats()
    assert (stats["questions"], stats["helpful"], stats["not_helpful"]) == (1, 0, 1)
    assert store.get_ticket(closed_old.id) is None
    assert store.get_ticket(closed_recently.id) is not None
    assert store.get_ticket(still_open.id).status == "open"
    assert store.get_ticket(answered.id).status == "answered"
    assert store.seen_event("old-event") is False  # forgotten, so recorded afresh
    assert store.seen_event("new-event") is True

    assert store.purge(older_than_days=30) == \
        {"questions": 0, "feedback": 0, "tickets": 0, "seen_events": 0}


def test_purge_keeps_a_ticket_whose_question_goes(store, clock):
    question_id = ask(store, declined=True)
    ticket = store.open_ticket(channel="telegram", chat_id="c", question="Visa?", lang="en",
                               attempted_answer="-", question_id=question_id)
    clock.advance(days=31)
    assert store.purge(older_than_days=30)["questions"] == 1
    assert store.get_ticket(ticket.id).question == "Visa?"


def test_purge_zero_days_removes_everything_before_now(store, clock):
    ask(store)
    clock.advance(seconds=1)
    assert store.purge(older_than_days=0)["questions"] == 1


def test_purge_rejects_negative_days(store):
    with pytest.raises(ValueError):
        store.purge(older_than_days=-1)
