"""Staff answers back to applicants: the seam the Slack side calls, against the fake Bot API."""

from __future__ import annotations


import pytest

from bot.channels.telegram.app import build_application, running
from bot.channels.telegram.relay import Backoff, make_bot, send_staff_answer
from bot.config import ConfigError
from bot.store import Delivery, open_store
from tests.channels.relaying import eventually, relay_pending


@pytest.fixture
def store(relay_settings):
    with open_store(relay_settings.db) as opened:
        yield opened


def answered_ticket(store, chat_id: int, *, lang: str = "en", question: str = "Is there housing?",
                    answer: str = "Yes: each center helps with housing."):
    ticket = store.open_ticket(channel="telegram", chat_id=str(chat_id), question=question,
                               lang=lang, attempted_answer="(declined)")
    return store.answer_ticket(ticket.id, answer=answer, staff_user="U_STAFF")


def to_chat(chat_id: int):
    return lambda params: params["chat_id"] == chat_id


async def test_staff_answer_reaches_the_applicant_in_their_language(fake, relay_settings, store):
    ticket = answered_ticket(store, 41, lang="ko", question="기숙사가 있나요?",
                             answer="네 <연구단>마다 숙소를 안내합니다 & 문의 환영")
    async with make_bot(relay_settings) as bot:
        assert await send_staff_answer(bot, store, ticket) is Delivery.DELIVERED
    sent = await fake.wait_for("sendMessage", to_chat(41))
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["text"].startswith("<b>🧑‍💼 담당자가 질문에 답변했습니다</b>")
    assert "<i>질문: 기숙사가 있나요?</i>" in sent.params["text"]
    assert "네 &lt;연구단&gt;마다 숙소를 안내합니다 &amp; 문의 환영" in sent.params["text"]
    assert store.get_ticket(ticket.id).relayed
    assert store.relays_pending() == []


async def test_a_failed_relay_is_recorded_and_retried_later(fake, relay_settings, store):
    ticket = answered_ticket(store, 42)
    fake.fail("sendMessage", error_code=403, description="Forbidden: bot was blocked by the user")
    async with make_bot(relay_settings) as bot:
        assert await send_staff_answer(bot, store, ticket) is Delivery.FAILED  # no exception
        failed = store.get_ticket(ticket.id)
        assert not failed.relayed and failed.relay_attempts == 1
        assert "Forbidden" in failed.last_error
        assert store.relays_due() == []  # the next try waits (5 s after a first failure)...
        assert await relay_pending(bot, store) == 1  # ...unless asked for now
    retried = await fake.wait_for("sendMessage", to_chat(42), count=2)
    assert "A staff member answered your question" in retried.params["text"]
    assert store.get_ticket(ticket.id).relayed


async def test_a_long_staff_answer_is_split_under_telegrams_limit(fake, relay_settings, store):
    paragraph = "Housing support differs by center & institute. " * 20
    ticket = answered_ticket(store, 43, answer="\n".join([paragraph] * 9))
    async with make_bot(relay_settings) as bot:
        assert await send_staff_answer(bot, store, ticket) is Delivery.DELIVERED
    parts = fake.calls("sendMessage", to_chat(43))
    assert len(parts) == 3 and all(len(p.params["text"]) <= 4096 for p in parts)
    assert sum(p.params["text"].count("&amp;") for p in parts) == 9 * 20


async def test_nothing_owed_is_skipped_not_sent_again(fake, relay_settings, store):
    unanswered = store.open_ticket(channel="telegram", chat_id="44", question="q", lang="en",
                                   attempted_answer="a")
    relayed = answered_ticket(store, 44)
    async with make_bot(relay_settings) as bot:
        assert await send_staff_answer(bot, store, relayed) is Delivery.DELIVERED
        assert await send_staff_answer(bot, store, relayed) is Delivery.SKIPPED
        assert await send_staff_answer(bot, store, unanswered) is Delivery.SKIPPED
    assert len(fake.calls("sendMessage")) == 1
    assert store.get_ticket(unanswered.id) == unanswered  # no failure recorded on it


def test_the_wait_after_failures_doubles_up_to_a_cap():
    assert [Backoff().delay(n) for n in range(1, 10)] == \
        [5, 10, 20, 40, 80, 160, 300, 300, 300]
    assert Backoff(first=0.01, cap=0.05).delay(1000) == 0.05  # days of failures: still capped


def test_make_bot_needs_the_token(settings):
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        make_bot(settings)


async def test_the_running_bot_delivers_answers_nobody_relayed(fake, relay_settings, store,
                                                                assistant):
    # One answer whose relay failed once, one nobody tried: the application's sweep takes the
    # failed one at once, and the untried one when it is still pending at the next sweep.
    failed = answered_ticket(store, 45)
    store.record_relay_failure(failed.id, "TimedOut")
    untried = answered_ticket(store, 46)
    app = build_application(relay_settings, assistant, store, relay_interval=0.05)
    async with running(app):
        first = await fake.wait_for("sendMessage", to_chat(45))
        second = await fake.wait_for("sendMessage", to_chat(46))
        # (the sweep records a delivery once Telegram has answered the send, a moment after
        # the fake saw it)
        await eventually(lambda: all(store.get_ticket(t.id).relayed for t in (failed, untried)),
                         "both deliveries recorded")
    assert first.at <= second.at
    assert len(fake.calls("sendMessage")) == 2  # each delivered once
