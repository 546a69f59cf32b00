"""A staff answer reaches the applicant once, whoever sends it: senders racing in one process
and in two (two stores on one database, SQLite and PostgreSQL), a send in flight, an answer
replaced mid-send, and Telegram down for longer than the old give-up (8 tries)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.telegram.app import build_application, running
from bot.channels.telegram.relay import Backoff, PendingRelays, make_bot, send_staff_answer
from bot.store import Delivery, open_store
from tests.channels.relaying import Gate, eventually, relay_pending
from tests.store.databases import fresh_database


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    """One database that several stores (as several processes would) open."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


def answered_ticket(store, chat_id: int, answer: str = "Yes: each center helps with housing."):
    ticket = store.open_ticket(channel="telegram", chat_id=str(chat_id),
                               question="Is there housing?", lang="en", attempted_answer="(no)")
    return store.answer_ticket(ticket.id, answer=answer, staff_user="U_STAFF")


def to_chat(chat_id: int):
    return lambda params: params["chat_id"] == chat_id


def sent_to(fake, chat_id: int) -> list[str]:
    return [c.params["text"] for c in fake.calls("sendMessage", to_chat(chat_id))]


async def test_senders_racing_in_two_processes_send_each_answer_once(fake, relay_settings, db):
    chats = range(100, 115)
    with open_store(db) as store:
        tickets = [answered_ticket(store, chat) for chat in chats]
    processes = 2
    start = threading.Barrier(processes)

    def process() -> list[Delivery]:
        """One process: its own store connection, bot and loop, with three senders at once
        (a direct send, the application's sweep and relay_pending) on every ticket."""
        async def main() -> list[Delivery]:
            with open_store(db) as store:
                async with make_bot(relay_settings) as bot:
                    await asyncio.to_thread(start.wait, 10)
                    direct = [send_staff_answer(bot, store, t) for t in tickets]
                    results = await asyncio.gather(*direct, PendingRelays(bot, store).sweep(),
                                                   relay_pending(bot, store))
            return results[:len(tickets)]
        return asyncio.run(main())

    with ThreadPoolExecutor(processes) as pool:
        futures = [pool.submit(process) for _ in range(processes)]
        outcomes = [outcome for future in futures for outcome in future.result(timeout=60)]

    assert Delivery.FAILED not in outcomes
    for chat in chats:
        assert len(sent_to(fake, chat)) == 1, f"chat {chat} got {len(sent_to(fake, chat))}"
    with open_store(db) as store:
        assert store.relays_pending() == []


async def test_a_send_in_flight_shuts_out_every_other_sender(fake, relay_settings, db):
    with open_store(db) as first, open_store(db) as second:
        ticket = answered_ticket(first, 120)
        async with make_bot(relay_settings) as bot:
            gate = Gate(bot)
            gate.close()
            in_flight = asyncio.create_task(send_staff_answer(gate, first, ticket))
            await gate.holding()

            assert await send_staff_answer(bot, second, ticket) is Delivery.SKIPPED
            assert await PendingRelays(bot, second).sweep() == 0
            assert await relay_pending(bot, second) == 0
            gate.open()
            assert await in_flight is Delivery.DELIVERED
        assert second.get_ticket(ticket.id).relayed
    assert len(sent_to(fake, 120)) == 1


async def test_an_answer_replaced_mid_send_is_delivered_after_it(fake, relay_settings, db):
    with open_store(db) as first, open_store(db) as second:
        ticket = answered_ticket(first, 121, answer="The deadline is 30 June.")
        async with make_bot(relay_settings) as bot:
            gate = Gate(bot)
            gate.close()
            in_flight = asyncio.create_task(send_staff_answer(gate, first, ticket))
            await gate.holding()

            second.answer_ticket(ticket.id, answer="Correction: the deadline is 15 June.",
                                 staff_user="U_STAFF")
            assert await send_staff_answer(bot, second, ticket) is Delivery.SKIPPED
            gate.open()
            assert await in_flight is Delivery.DELIVERED
        relayed = second.get_ticket(ticket.id)
    texts = sent_to(fake, 121)
    assert len(texts) == 2
    assert "30 June" in texts[0] and "Correction: the deadline is 15 June." in texts[1]
    assert relayed.relayed and relayed.answer_version == 2


async def test_telegram_down_for_more_than_eight_tries_then_delivered(fake, relay_settings,
                                                                     assistant):
    refusals = 12
    backoff = Backoff(first=0.01, cap=0.04)
    with open_store(relay_settings.db) as store:
        ticket = answered_ticket(store, 122)
        fake.fail("sendMessage", error_code=502, description="Bad Gateway", times=refusals,
                  when=to_chat(122))
        app = build_application(relay_settings, assistant, store, relay_interval=0.005,
                                relay_backoff=backoff)
        async with running(app):
            delivered = await fake.wait_for("sendMessage", to_chat(122), count=refusals + 1,
                                            timeout=20)
            await eventually(lambda: store.get_ticket(ticket.id).relayed, "marked relayed")
        relayed = store.get_ticket(ticket.id)

    attempts = fake.calls("sendMessage", to_chat(122))
    assert len(attempts) == refusals + 1 and attempts[-1] is delivered
    assert relayed.relay_attempts == refusals and relayed.last_error is None
    # Each try waited at least the backoff after the failure before it: growing, then capped.
    gaps = [later.at - earlier.at for earlier, later in zip(attempts, attempts[1:])]
    for failures, gap in enumerate(gaps, start=1):
        assert gap >= backoff.delay(failures) * 0.9, (failures, gaps)


async def test_a_send_slower_than_half_its_lease_is_cut_off_and_retried(fake, relay_settings):
    # Past the lease another sender may claim the ticket: a send never runs that long.
    with open_store(relay_settings.db) as store:
        ticket = answered_ticket(store, 123)
        async with make_bot(relay_settings) as bot:
            gate = Gate(bot)
            gate.close()
            outcome = await send_staff_answer(gate, store, ticket, lease_seconds=0.2)
            assert outcome is Delivery.FAILED
            failed = store.get_ticket(ticket.id)
            assert failed.last_error == "TimeoutError: no answer from Telegram in 0.1s"
            gate.open()
            assert await relay_pending(gate, store) == 1
    assert len(sent_to(fake, 123)) == 1
