"""The hand-off loop end to end: an applicant on the Telegram fake asks a person, the ticket
appears in the staff channel on the Slack fake, a staff reply in its thread reaches the
applicant's chat, and Resolved closes it. Real engine, real store, real HTTP everywhere."""

from __future__ import annotations

import asyncio
import dataclasses
from functools import partial

import pytest

from bot.channels.slack.adapter import RESOLVE_ACTION
from bot.channels.telegram.app import build_application, running
from bot.channels.telegram.relay import Backoff, PendingRelays, make_bot, send_staff_answer
from bot.store import open_store
from tests.channels.relaying import Gate, eventually
from tests.fakes.slack_api import STAFF_CHANNEL, STAFF_CHANNEL_ID, message, running_app
from tests.fakes.telegram_api import FakeTelegram, button_data

STAFF = "USTAFF"
BACKOFF = Backoff(first=0.01, cap=0.02)  # the wait after a failed relay, short for tests


@pytest.fixture
async def gated(settings, assistant):
    """Telegram and Slack fakes, the Slack app with a Telegram relay whose sends can be held
    (the Gate), and the store."""
    with FakeTelegram() as telegram:
        settings = dataclasses.replace(settings, telegram_token=telegram.token,
                                       telegram_api_url=telegram.api_url)
        with open_store(settings.db) as store:
            async with make_bot(settings) as bot:
                gate = Gate(bot)
                relay = partial(send_staff_answer, gate, store, backoff=BACKOFF)
                async with running_app(settings, assistant, store, relay=relay, post_every=0.05,
                                       relay_every=0.2) as slack:
                    yield slack, telegram, gate


@pytest.fixture
def both(gated):
    slack, telegram, _ = gated
    return slack, telegram


def staff_post(call) -> bool:
    """A new post (not a thread reply) to the staff channel."""
    return call.args.get("channel") == STAFF_CHANNEL and "thread_ts" not in call.args


def to_chat(chat_id: int, containing: str):
    return lambda params: params["chat_id"] == chat_id and containing in params.get("text", "")


async def posted(store, ticket_id: int, timeout: float = 5.0):
    """The ticket once the app has recorded where its card is (just after Slack answered)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (ticket := store.get_ticket(ticket_id)).slack_ts is None:
        assert loop.time() < deadline, f"ticket {ticket_id} never marked posted"
        await asyncio.sleep(0.01)
    return ticket


def open_ticket(store, chat_id: int, question: str = "Can I bring my dog to the interview?"):
    return store.open_ticket(channel="telegram", chat_id=str(chat_id), question=question,
                             lang="en", attempted_answer="I'm sorry, the documents don't say.")


async def reply_in_thread(slack, thread_ts: str, text: str, *, ts: str, user: str = STAFF):
    """A staff member writes in a thread of the staff channel."""
    status, _ = await slack.send.event(message(text, user=user, channel=STAFF_CHANNEL_ID,
                                               channel_type="channel", ts=ts,
                                               thread_ts=thread_ts))
    assert status == 200


async def test_an_applicants_question_reaches_staff_and_their_answer_reaches_the_applicant(
        assistant, both):
    slack, telegram = both
    # The Telegram application, without its own relay retries: the Slack side's are tested.
    app = build_application(slack.settings, assistant, slack.store, relay_interval=None)
    async with running(app):
        # On Telegram: a question the documents don't cover, then "ask a person".
        telegram.text(501, "Can I bring my pet iguana to the interview?")
        declined = await telegram.wait_for("sendMessage", lambda p: p["chat_id"] == 501)
        handoff = [d for d in button_data(declined.params) if d.startswith("ho:")]
        telegram.press(501, telegram.sent(declined), handoff[0])

        # In Slack: the ticket, with the question, its language and the bot's attempt.
        card = await slack.api.wait_for("chat.postMessage", staff_post)
        shown = card.text()
        assert "pet iguana" in shown and "English" in shown and "Telegram" in shown
        assert "The bot replied" in shown and "Resolved" in shown
        ticket = await posted(slack.store, int(card.args["blocks"][-1]["elements"][0]["value"]))
        assert ticket.chat_id == "501" and ticket.slack_ts == card.response["ts"]

        # A staff reply in the card's thread reaches the applicant's chat.
        await reply_in_thread(slack, ticket.slack_ts, "Iguanas are welcome in the lobby.",
                              ts="9.000001")
        await telegram.wait_for("sendMessage", to_chat(501, "Iguanas are welcome in the lobby."))

    update = await slack.api.wait_for("chat.update", lambda c: "was delivered" in c.text())
    assert update.args["ts"] == ticket.slack_ts
    ticket = slack.store.get_ticket(ticket.id)
    assert ticket.status == "answered" and ticket.relayed and ticket.staff_user == STAFF


async def test_an_answer_telegram_refused_is_kept_and_retried_until_delivered(both):
    # The Slack process's retry loop is the only retrier here, and it does not give up.
    slack, telegram = both
    refusals = 9
    ticket = open_ticket(slack.store, 502)
    await slack.api.wait_for("chat.postMessage", staff_post)
    ticket = await posted(slack.store, ticket.id)
    telegram.fail("sendMessage", error_code=502, description="Bad Gateway", times=refusals)

    await reply_in_thread(slack, ticket.slack_ts, "Yes, small dogs only.", ts="9.000002")

    note = await slack.api.wait_for("chat.postMessage",
                                    lambda c: c.args.get("thread_ts") == ticket.slack_ts)
    assert "could not reach the applicant" in note.text()
    # The fake records refused calls too: nine refused, then the one that arrived.
    await telegram.wait_for("sendMessage", to_chat(502, "Yes, small dogs only."),
                            count=refusals + 1)
    await slack.api.wait_for("chat.update", lambda c: "was delivered" in c.text())
    assert slack.store.get_ticket(ticket.id).relayed
    assert len(telegram.calls("sendMessage", lambda p: p["chat_id"] == 502)) == refusals + 1


async def test_an_answer_replaced_while_the_first_is_sent_reaches_the_applicant_after_it(
        gated):
    slack, telegram, gate = gated
    ticket = open_ticket(slack.store, 506)
    await slack.api.wait_for("chat.postMessage", staff_post)
    ticket = await posted(slack.store, ticket.id)
    gate.close()
    await reply_in_thread(slack, ticket.slack_ts, "Interviews are on Monday.", ts="9.000006")
    await gate.holding()

    await reply_in_thread(slack, ticket.slack_ts, "Sorry: on Tuesday.", ts="9.000007")
    await eventually(lambda: slack.store.get_ticket(ticket.id).answer == "Sorry: on Tuesday.",
                     "second answer saved")
    gate.open()

    await telegram.wait_for("sendMessage", to_chat(506, "Sorry: on Tuesday."))
    await slack.api.wait_for("chat.update", lambda c: "was delivered" in c.text())
    sent = [c.params["text"] for c in telegram.calls("sendMessage", lambda p: p["chat_id"] == 506)]
    assert len(sent) == 2 and "Monday" in sent[0] and "Tuesday" in sent[1]
    notes = slack.api.calls_to("chat.postMessage", lambda c: "thread_ts" in c.args)
    assert not [n for n in notes if "could not reach" in n.text()]  # waiting is no failure


async def test_every_sender_in_one_process_delivers_an_answer_once(assistant, both):
    # As `python -m bot serve`: the Telegram application's retries, the Slack retry loop and
    # the thread handler share one store, while Telegram refuses a few times.
    slack, telegram = both
    app = build_application(slack.settings, assistant, slack.store, relay_interval=0.01,
                            relay_backoff=BACKOFF)
    async with running(app):
        ticket = open_ticket(slack.store, 507)
        await slack.api.wait_for("chat.postMessage", staff_post)
        ticket = await posted(slack.store, ticket.id)
        telegram.fail("sendMessage", error_code=502, description="Bad Gateway", times=4)
        await reply_in_thread(slack, ticket.slack_ts, "Parking is free.", ts="9.000008")
        await telegram.wait_for("sendMessage", to_chat(507, "Parking is free."), count=5)
        await eventually(lambda: slack.store.get_ticket(ticket.id).relayed, "marked relayed")
        # The card says so, whichever sender delivered it.
        await slack.api.wait_for("chat.update", lambda c: "was delivered" in c.text())
        # More passes of both retriers find nothing more to send.
        assert await slack.service.handoff.retry_relays() == 0
        assert await PendingRelays(app.bot, slack.store, backoff=BACKOFF).sweep() == 0
    assert len(telegram.calls("sendMessage", lambda p: p["chat_id"] == 507)) == 5


async def test_resolved_closes_the_ticket_and_later_replies_are_not_sent(both):
    slack, telegram = both
    ticket = open_ticket(slack.store, 503)
    await slack.api.wait_for("chat.postMessage", staff_post)
    ticket = await posted(slack.store, ticket.id)

    status, _ = await slack.send.click(RESOLVE_ACTION, str(ticket.id), user_id=STAFF,
                                       channel=STAFF_CHANNEL_ID, message_ts=ticket.slack_ts)
    assert status == 200
    update = await slack.api.wait_for("chat.update", lambda c: "Resolved by" in c.text())
    assert f"Resolved by <@{STAFF}>" in update.text()
    assert all(b["type"] != "actions" for b in update.args["blocks"])
    assert slack.store.get_ticket(ticket.id).status == "closed"

    await reply_in_thread(slack, ticket.slack_ts, "One more thing...", ts="9.000003")
    note = await slack.api.wait_for("chat.postMessage",
                                    lambda c: c.args.get("thread_ts") == ticket.slack_ts)
    assert "resolved, so this message was not sent" in note.text()
    assert telegram.calls("sendMessage", lambda p: p["chat_id"] == 503) == []


async def test_a_ticket_slack_refused_to_post_is_posted_on_the_next_pass(both):
    slack, _ = both
    slack.api.fail("chat.postMessage", "service_unavailable", times=2)
    ticket = open_ticket(slack.store, 504, question="Is there a dress code?")

    await slack.api.wait_for("chat.postMessage", staff_post, count=3)
    assert all("dress code" in c.text() for c in slack.api.calls_to("chat.postMessage", staff_post))
    assert (await posted(slack.store, ticket.id)).slack_ts == "1700000000.000001"
    assert slack.store.tickets_to_post() == []


async def test_chatter_in_other_threads_and_mentions_of_the_bot_are_not_relayed(both):
    slack, telegram = both
    ticket = open_ticket(slack.store, 505)
    await slack.api.wait_for("chat.postMessage", staff_post)
    ticket = await posted(slack.store, ticket.id)

    await reply_in_thread(slack, "5.5", "unrelated thread", ts="9.1")
    await reply_in_thread(slack, ticket.slack_ts, "<@UBOT> what is the salary?", ts="9.2")
    await reply_in_thread(slack, ticket.slack_ts, "This one is for the applicant.", ts="9.3")

    await telegram.wait_for("sendMessage", to_chat(505, "This one is for the applicant."))
    sent = [c.params["text"] for c in telegram.calls("sendMessage", lambda p: p["chat_id"] == 505)]
    assert len(sent) == 1 and "salary" not in sent[0] and "unrelated" not in sent[0]
