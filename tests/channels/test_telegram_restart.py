"""After a restart: "Ask a person" under an old decline still opens its ticket (the store keeps
declined questions), once, and only for the applicant who asked; with INNOCORE_USER_SALT set,
a new bot token keeps users' language choices.

Each run is a new Application (empty memory) on a new fake Bot API, over one store; a press
on the old message is replayed from the message the first run sent.
"""

from __future__ import annotations

import contextlib
import dataclasses

from bot.channels.telegram.app import build_application, running
from bot.store import open_store
from tests.fakes.telegram_api import FakeTelegram, button_data

QUESTION = "Can I bring my pet iguana to the lab on Mars?"


@contextlib.asynccontextmanager
async def run(settings, assistant, store, token: str = "123456:FAKE-token_for-tests"):
    """One run of the bot: a fresh fake Bot API and a fresh Application."""
    with FakeTelegram(token) as fake:
        settings = dataclasses.replace(settings, telegram_token=fake.token,
                                       telegram_api_url=fake.api_url)
        async with running(build_application(settings, assistant, store, relay_interval=None)):
            yield fake


async def press(fake, user_id: int, message: dict, data: str):
    """Press `data` under `message`; returns the answerCallbackQuery."""
    update_id = fake.press(user_id, message, data)
    return await fake.wait_for("answerCallbackQuery",
                               lambda p: p["callback_query_id"] == f"cq{update_id}")


async def declined_with_button(fake, chat_id: int) -> tuple[dict, str]:
    """Ask QUESTION from `chat_id`: the declining message as sent, and its hand-off button."""
    fake.text(chat_id, QUESTION)
    declined = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == chat_id)
    [handoff] = [d for d in button_data(declined.params) if d.startswith("ho:")]
    return fake.sent(declined), handoff


def ticket_number(text: str) -> int:
    return int(text.split("#")[1].split(")")[0])


async def test_a_handoff_pressed_after_a_restart_opens_the_ticket_once(settings, assistant):
    with open_store(settings.db) as store:
        async with run(settings, assistant, store) as fake:
            message, handoff = await declined_with_button(fake, 21)

        async with run(settings, assistant, store) as fake:
            fake.press(21, message, handoff)
            done = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 21)
            assert "passed your question to our staff" in done.params["text"]
            ticket = store.get_ticket(ticket_number(done.params["text"]))
            assert (ticket.question, ticket.lang, ticket.chat_id) == (QUESTION, "en", "21")
            assert ticket.attempted_answer  # the engine's reply, asked again

        async with run(settings, assistant, store) as fake:  # and after another restart
            again = await press(fake, 21, message, handoff)
            assert f"#{ticket.id}" in again.params["text"]
            assert fake.calls("sendMessage") == []
        with store.database.transaction() as tx:
            assert tx.fetch_one("SELECT COUNT(*) AS n FROM tickets")["n"] == 1


async def test_after_a_restart_only_the_asker_can_hand_their_question_over(settings, assistant):
    with open_store(settings.db) as store:
        async with run(settings, assistant, store) as fake:
            message, handoff = await declined_with_button(fake, 23)

        async with run(settings, assistant, store) as fake:
            # Another user sends the same button data from their own chat (clients can).
            forged = {**message, "chat": {**message["chat"], "id": 24}}
            fake.press(24, forged, handoff)
            prompt = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 24)
            assert "can no longer find that question" in prompt.params["text"]
        assert store.ticket_for_question(int(handoff.split(":")[1])) is None


async def test_two_presses_at_once_after_a_restart_open_one_ticket(settings, assistant):
    with open_store(settings.db) as store:
        async with run(settings, assistant, store) as fake:
            fake.text(25, QUESTION)
            declined = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 25)
            [handoff] = [d for d in button_data(declined.params) if d.startswith("ho:")]
            message = fake.sent(declined)

        async with run(settings, assistant, store) as fake:
            presses = [fake.press(25, message, handoff) for _ in range(2)]  # one getUpdates
            for update_id in presses:
                await fake.wait_for("answerCallbackQuery",
                                    lambda p, u=update_id: p["callback_query_id"] == f"cq{u}")
            await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 25)
        with store.database.transaction() as tx:
            assert tx.fetch_one("SELECT COUNT(*) AS n FROM tickets")["n"] == 1


async def test_with_innocore_user_salt_a_new_token_keeps_language_choices(settings, assistant):
    settings = dataclasses.replace(settings, user_salt="a-long-random-salt-for-tests")
    with open_store(settings.db) as store:
        async with run(settings, assistant, store, token="111:OLD-token") as fake:
            fake.command(26, "/lang", lang="ko")
            picker = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 26)
            await press(fake, 26, fake.sent(picker), "lang:en")

        async with run(settings, assistant, store, token="222:NEW-token") as fake:
            fake.text(26, "이노코어 포닥의 연봉은 얼마인가요?", lang="ko")
            reply = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 26)
            assert "<b>Sources</b>" in reply.params["text"]  # English, as chosen before
