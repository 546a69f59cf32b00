"""Questions, feedback, language choices, stats and gaps."""

from __future__ import annotations

import pytest

from bot.store import StoreError
from bot.store.base import normalize_question


def ask(store, question="When is the deadline?", *, answered=True, declined=False,
        lang="en", user_key="user-1", channel="telegram", top_source="faq.md"):
    return store.record_question(channel=channel, user_key=user_key, question=question,
                                 lang=lang, answered=answered, declined=declined,
                                 top_source=top_source)


def question_rows(store):
    with store.database.transaction() as tx:
        return tx.fetch_all("SELECT * FROM questions ORDER BY id")


def test_record_question_returns_increasing_ids(store):
    first = ask(store)
    second = ask(store)
    assert isinstance(first, int)
    assert second > first


def test_answered_question_text_is_not_kept(store):
    ask(store, "What is my salary?", answered=True, declined=False)
    [row] = question_rows(store)
    assert row["question"] is None
    assert row["question_norm"] is None
    assert (row["channel"], row["user_key"], row["lang"], row["top_source"]) == \
        ("telegram", "user-1", "en", "faq.md")
    assert bool(row["answered"]) is True and bool(row["declined"]) is False


def test_declined_question_text_is_kept(store):
    ask(store, "Can I bring my cat?", answered=False, declined=True, top_source=None)
    [row] = question_rows(store)
    assert row["question"] == "Can I bring my cat?"
    assert row["question_norm"] == "can i bring my cat"
    assert row["top_source"] is None


def test_a_question_answered_but_for_a_part_keeps_its_text_and_the_part_counts_as_a_gap(store):
    question_id = store.record_question(
        channel="telegram", user_key="u", question="What is the salary? Is there a visa?",
        lang="en", answered=True, declined=False, top_source="salary.md",
        open_parts=["Is there a visa?"])
    assert store.get_question(question_id) == ("What is the salary? Is there a visa?", "en")
    ask(store, "Is there a visa?", answered=False, declined=True, top_source=None)
    assert store.gaps() == [("is there a visa", 2)]


def test_get_question_gives_a_declined_text_back_to_its_asker_only(store):
    declined = ask(store, "Can I bring my cat?", answered=False, declined=True, lang="ko",
                   user_key="tg:asker")
    answered = ask(store, "What is my salary?", user_key="tg:asker")
    assert store.get_question(declined) == ("Can I bring my cat?", "ko")
    assert store.get_question(declined, user_key="tg:asker") == ("Can I bring my cat?", "ko")
    assert store.get_question(declined, user_key="tg:someone-else") == (None, None)
    assert store.get_question(answered) == (None, "en")  # its text was never kept
    assert store.get_question(999) == (None, None)


def test_purged_questions_are_gone_for_get_question(store, clock):
    question_id = ask(store, "Can I bring my cat?", answered=False, declined=True)
    clock.advance(days=31)
    store.purge(older_than_days=30)
    assert store.get_question(question_id) == (None, None)


def test_feedback_latest_wins(store):
    question_id = ask(store)
    store.record_feedback(question_id, True)
    store.record_feedback(question_id, False)
    stats = store.stats()
    assert (stats["helpful"], stats["not_helpful"]) == (0, 1)


def test_feedback_on_unknown_question_is_a_store_error(store):
    with pytest.raises(StoreError, match="no question 999"):
        store.record_feedback(999, True)


def test_user_lang_set_change_and_forget(store):
    assert store.get_user_lang("user-1") is None
    store.set_user_lang("user-1", "ko")
    store.set_user_lang("user-2", "en")
    assert store.get_user_lang("user-1") == "ko"
    store.set_user_lang("user-1", "en")
    assert store.get_user_lang("user-1") == "en"
    store.set_user_lang("user-1", None)
    assert store.get_user_lang("user-1") is None
    assert store.get_user_lang("user-2") == "en"


def test_stats_on_an_empty_store(store):
    assert store.stats() == {"questions": 0, "answered": 0, "declined": 0, "decline_rate": 0.0,
                             "helpful": 0, "not_helpful": 0, "open_tickets": 0}


def test_stats_counts_and_window(store, clock):
    old = ask(store, answered=False, declined=True)
    store.record_feedback(old, False)
    clock.advance(days=10)
    recent = ask(store)
    ask(store)
    ask(store, "hello", answered=False, declined=False)  # a greeting: neither
    store.record_feedback(recent, True)

    everything = store.stats()
    assert everything["questions"] == 4
    assert everything["answered"] == 2
    assert everything["declined"] == 1
    assert everything["decline_rate"] == pytest.approx(0.25)
    assert (everything["helpful"], everything["not_helpful"]) == (1, 1)

    last_week = store.stats(days=7)
    assert last_week["questions"] == 3
    assert last_week["declined"] == 0
    assert last_week["decline_rate"] == 0.0
    assert (last_week["helpful"], last_week["not_helpful"]) == (1, 0)


@pytest.mark.parametrize("raw, normalized", [
    ("Can I  bring my CAT?", "can i bring my cat"),
    ("  can i bring\tmy cat?!. ", "can i bring my cat"),
    ("What about visas...", "what about visas"),
    ("비자는 어떻게 되나요？", "비자는 어떻게 되나요"),
    ("Dr. Kim's e-mail", "dr. kim's e-mail"),
])
def test_normalize_question(raw, normalized):
    assert normalize_question(raw) == normalized


def test_gaps_most_frequent_first(store, clock):
    for text in ["Can I bring my cat?", "can i bring my CAT", "Can I  bring my cat!",
                 "Is there housing?", "is there housing",
                 "Parking?"]:
        ask(store, text, answered=False, declined=True)
        clock.advance(minutes=1)
    ask(store, "Answered questions never count", answered=True)
    assert store.gaps() == [("can i bring my cat", 3), ("is there housing", 2), ("parking", 1)]
    assert store.gaps(limit=2) == [("can i bring my cat", 3), ("is there housing", 2)]


def test_gaps_ties_go_to_the_most_recent_and_old_ones_drop_out(store, clock):
    ask(store, "Old question?", answered=False, declined=True)
    clock.advance(days=20)
    ask(store, "Older tie?", answered=False, declined=True)
    clock.advance(minutes=5)
    ask(store, "Newer tie?", answered=False, declined=True)
    clock.advance(days=15)
    assert store.gaps(days=30) == [("newer tie", 1), ("older tie", 1)]
    assert store.gaps(days=40) == [("newer tie", 1), ("older tie", 1), ("old question", 1)]
