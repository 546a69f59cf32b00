"""End-to-end: the real Application polls a fake Bot API (a real HTTP server on 127.0.0.1)
through TELEGRAM_API_URL, over the real engine and a real SQLite store.

One Application serves the whole module; each test talks as its own user, so tests do not
see each other's messages. Nothing sleeps: every wait is for a Bot API call, with a timeout.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass

import pytest
import pytest_asyncio

from bot.channels.telegram.app import build_application, running, user_salt
from bot.channels.telegram.adapter import user_key
from bot.config import Settings
from bot.engine.types import MAX_QUESTION_CHARS
from bot.store import Store, open_store
from tests.fakes.telegram_api import Call, FakeTelegram, button_data

pytestmark = pytest.mark.asyncio(loop_scope="module")

GROUP = -100123


@dataclass
class Bot:
    fake: FakeTelegram
    store: Store
    settings: Settings

    async def reply_to(self, send, chat_id: int, *, timeout: float = 10.0) -> Call:
        """Queue an update with `send()` and wait for the next message to `chat_id`."""
        mark = self.fake.mark()
        send()
        return await self.fake.wait_for("sendMessage", lambda p: p["chat_id"] == chat_id,
                                        since=mark, timeout=timeout)

    async def ask(self, user_id: int, text: str, lang: str = "en") -> Call:
        return await self.reply_to(lambda: self.fake.text(user_id, text, lang=lang), user_id)

    async def press(self, user_id: int, call: Call, data: str, lang: str = "en") -> Call:
        """Press a button under the message `call` sent; returns the answerCallbackQuery."""
        mark = self.fake.mark()
        update_id = self.fake.press(user_id, self.fake.sent(call), data, lang=lang)
        return await self.fake.wait_for(
            "answerCallbackQuery", lambda p: p["callback_query_id"] == f"cq{update_id}", since=mark)

    def messages_to(self, chat_id: int) -> list[Call]:
        return self.fake.calls("sendMessage", lambda p: p["chat_id"] == chat_id)

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.settings.db)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(index_settings, assistant, tmp_path_factory):
    with FakeTelegram() as fake:
        settings = dataclasses.replace(
            index_settings, db=str(tmp_path_factory.mktemp("telegram") / "innocore.db"),
            telegram_token=fake.token, telegram_api_url=fake.api_url)
        with open_store(settings.db) as store:
            app = build_application(settings, assistant, store)
            async with running(app):
                yield Bot(fake, store, settings)


def sources_of(html: str) -> list[str]:
    return [line for line in html.splitlines() if line.startswith("• ")]


async def test_start_greets_in_korean_and_english_with_the_menu(bot):
    call = await bot.reply_to(lambda: bot.fake.command(1, "/start"), 1)
    assert "안녕하세요" in call.params["text"] and "Hello" in call.params["text"]
    assert button_data(call.params) == ["menu:salary", "menu:eligibility", "menu:sessions",
                                        "menu:centers", "menu:human"]


async def test_commands_menu_is_published_in_both_languages(bot):
    published = bot.fake.calls("setMyCommands")
    assert {c.params.get("language_code") for c in published} == {None, "ko"}
    names = [c["command"] for c in published[0].params["commands"]]
    assert {"start", "help", "lang", "human", "salary", "eligibility", "sessions",
            "centers"} <= set(names)


async def test_korean_question_is_answered_with_sources_and_feedback_buttons(bot):
    call = await bot.ask(2, "이노코어 포닥의 연봉은 얼마인가요?", lang="ko")
    html = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert "9천만 원" in html
    assert "<b>출처</b>" in html and sources_of(html)
    assert " › " in sources_of(html)[0]
    data = button_data(call.params)
    assert [d.rsplit(":", 1)[1] for d in data] == ["1", "0"] and data[0].startswith("fb:")


async def test_english_question_is_answered_with_sources(bot):
    call = await bot.ask(3, "What is the salary of an InnoCORE postdoc?")
    html = call.params["text"]
    assert "90 million won" in html
    assert "<b>Sources</b>" in html and sources_of(html)
    assert "ho:" not in " ".join(button_data(call.params))  # answered: no hand-off offered


async def test_feedback_is_stored_and_its_buttons_removed(bot):
    call = await bot.ask(4, "Where and when are the InnoCORE info sessions?")
    helpful, not_helpful = button_data(call.params)
    question_id = int(not_helpful.split(":")[1])

    answered = await bot.press(4, call, not_helpful)
    assert answered.params["text"] == "Thank you for your feedback!"
    edit = await bot.fake.wait_for("editMessageReplyMarkup",
                                   lambda p: p["chat_id"] == 4)
    assert "reply_markup" not in edit.params or not button_data(edit.params)
    with bot.db() as db:
        assert db.execute("SELECT helpful FROM feedback WHERE question_id = ?",
                          (question_id,)).fetchone() == (0,)


async def test_decline_offers_a_person_and_the_button_opens_a_ticket(bot):
    question = "Can I bring my pet iguana to the lab on Mars?"
    call = await bot.ask(5, question)
    data = button_data(call.params)
    handoff = [d for d in data if d.startswith("ho:")]
    assert handoff, data
    assert "<b>Sources</b>" not in call.params["text"]

    mark = bot.fake.mark()
    bot.fake.press(5, bot.fake.sent(call), handoff[0])
    done = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 5, since=mark)
    assert "passed your question to our staff" in done.params["text"]
    ticket_id = int(done.params["text"].split("#")[1].split(")")[0])
    ticket = bot.store.get_ticket(ticket_id)
    assert ticket.status == "open" and ticket.chat_id == "5" and ticket.lang == "en"
    assert ticket.question == question and ticket.attempted_answer
    edit = await bot.fake.wait_for("editMessageReplyMarkup", lambda p: p["chat_id"] == 5)
    assert not [d for d in button_data(edit.params) if d.startswith("ho:")]

    again = await bot.press(5, call, handoff[0])
    assert f"#{ticket_id}" in again.params["text"]  # a second press opens no second ticket
    with bot.db() as db:
        assert db.execute("SELECT COUNT(*) FROM tickets WHERE chat_id = '5'").fetchone() == (1,)


async def test_an_answer_leaving_a_part_open_offers_a_person_for_it(bot):
    question = "How much is the salary and is there a visa sponsorship?"
    call = await bot.ask(61, question)
    assert "90 million" in call.params["text"] and "visa sponsorship" in call.params["text"]
    [handoff] = [d for d in button_data(call.params) if d.startswith("ho:")]

    mark = bot.fake.mark()
    bot.fake.press(61, bot.fake.sent(call), handoff)
    done = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 61, since=mark)
    ticket = bot.store.get_ticket(int(done.params["text"].split("#")[1].split(")")[0]))
    assert ticket.question == question and "90 million" in ticket.attempted_answer
    assert ("is there a visa sponsorship", 1) in bot.store.gaps()


async def test_a_near_miss_offers_the_closest_sections_and_a_button_quotes_one(bot, assistant,
                                                                               near_miss):
    question = near_miss
    expected = assistant.ask(question).suggestions[0]
    call = await bot.ask(41, question)
    near = [d for d in button_data(call.params) if d.startswith("near:")]
    assert near and any(d.startswith("ho:") for d in button_data(call.params))

    mark = bot.fake.mark()
    bot.fake.press(41, bot.fake.sent(call), near[0])
    quoted = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 41, since=mark)
    text = quoted.params["text"]
    assert expected.label.split(" › ")[-1] in text  # cited: the section offered
    assert "<b>Sources</b>" in text or "<b>출처</b>" in text

    mark = bot.fake.mark()
    bot.fake.press(41, bot.fake.sent(call), near[0].rsplit(":", 1)[0] + ":7")  # none such
    gone = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 41, since=mark)
    assert "no longer find" in gone.params["text"] or "다시 찾을 수 없" in gone.params["text"]


async def test_talk_to_a_person_from_the_menu_turns_the_next_message_into_a_ticket(bot):
    start = await bot.reply_to(lambda: bot.fake.command(6, "/start", lang="ko"), 6)
    mark = bot.fake.mark()
    bot.fake.press(6, bot.fake.sent(start), "menu:human", lang="ko")
    prompt = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 6, since=mark)
    assert "담당자에게 전달할 질문" in prompt.params["text"]

    done = await bot.ask(6, "비자 서류는 언제까지 내야 하나요?", lang="ko")
    assert "담당자에게 전달했습니다" in done.params["text"]
    with bot.db() as db:
        row = db.execute("SELECT question, lang, status FROM tickets"
                         " WHERE chat_id = '6'").fetchone()
    assert row == ("비자 서류는 언제까지 내야 하나요?", "ko", "open")

    after = await bot.ask(6, "이노코어 포닥의 연봉은 얼마인가요?", lang="ko")  # back to answers
    assert "9천만 원" in after.params["text"]


async def test_menu_topic_button_asks_the_engine_in_the_users_language(bot):
    start = await bot.reply_to(lambda: bot.fake.command(7, "/start", lang="ko"), 7)
    mark = bot.fake.mark()
    bot.fake.press(7, bot.fake.sent(start), "menu:salary", lang="ko")
    await bot.fake.wait_for("answerCallbackQuery", since=mark)
    call = await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 7, since=mark)
    assert "9천만 원" in call.params["text"] and "<b>출처</b>" in call.params["text"]


async def test_topic_command_and_help(bot):
    call = await bot.reply_to(lambda: bot.fake.command(8, "/sessions"), 8)
    assert "Boston" in call.params["text"]
    help_ = await bot.reply_to(lambda: bot.fake.command(8, "/help"), 8)
    assert "/human" in help_.params["text"] and "/lang" in help_.params["text"]


async def test_lang_choice_is_remembered_and_wins_over_detection(bot):
    picker = await bot.reply_to(lambda: bot.fake.command(9, "/lang", lang="ko"), 9)
    assert button_data(picker.params) == ["lang:ko", "lang:en", "lang:auto"]
    mark = bot.fake.mark()
    bot.fake.press(9, bot.fake.sent(picker), "lang:en", lang="ko")
    confirm = await bot.fake.wait_for("editMessageText", lambda p: p["chat_id"] == 9, since=mark)
    assert "English" in confirm.params["text"]
    assert bot.store.get_user_lang(user_key(9, user_salt(bot.settings.telegram_token))) == "en"

    call = await bot.ask(9, "이노코어 포닥의 연봉은 얼마인가요?", lang="ko")
    assert "<b>Sources</b>" in call.params["text"]


@pytest.mark.parametrize("kind", ["sticker", "photo", "location"])
async def test_non_text_gets_a_short_note(bot, kind):
    user = {"sticker": 10, "photo": 11, "location": 12}[kind]
    call = await bot.reply_to(lambda: getattr(bot.fake, kind)(user), user)
    assert call.params["text"] == "I can only answer text questions. Please type your question."


async def test_too_long_message_gets_a_note_and_the_bot_keeps_answering(bot):
    call = await bot.ask(13, "급여 " * MAX_QUESTION_CHARS, lang="ko")
    assert "너무 깁니다" in call.params["text"] and "1,000" in call.params["text"]
    after = await bot.ask(13, "What is the salary of an InnoCORE postdoc?")
    assert "90 million won" in after.params["text"]


async def test_a_flooding_user_is_slowed_with_one_polite_note(bot):
    limit = 20
    others = await bot.ask(15, "What is the salary of an InnoCORE postdoc?")  # warm, unrelated
    assert others
    mark = bot.fake.mark()
    for i in range(limit + 5):
        bot.fake.text(14, f"What is the salary of an InnoCORE postdoc? ({i})")
    await bot.fake.wait_for("sendMessage", lambda p: p["chat_id"] == 14 and "quickly" in p["text"],
                            since=mark)
    await bot.fake.wait_for("sendMessage",  # every admitted message is answered
                            lambda p: p["chat_id"] == 14 and "quickly" not in p["text"],
                            since=mark, count=limit)
    # A later message from someone else is answered; by then the flood's extra messages were
    # handled (updates are taken in order) and got nothing more than the one note.
    await bot.ask(15, "Who is InnoCORE for?")
    replies = [c.params["text"] for c in bot.messages_to(14)]
    assert sum("quickly" in r for r in replies) == 1
    assert len(replies) == limit + 1


async def test_group_answers_mentions_replies_and_commands_only(bot):
    ignored = bot.fake.text(16, "What is the salary of an InnoCORE postdoc?", chat_id=GROUP,
                            chat_type="group")
    assert ignored
    mentioned = await bot.reply_to(
        lambda: bot.fake.mention(16, GROUP, "What is the salary of an InnoCORE postdoc?"), GROUP)
    assert "90 million won" in mentioned.params["text"]
    assert mentioned.params["reply_parameters"]["message_id"]  # quoted: whose question it was
    assert len(bot.messages_to(GROUP)) == 1  # the message without a mention got nothing

    bot.fake.sticker(17, chat_id=GROUP, chat_type="group")  # not addressed: ignored too
    replied = await bot.reply_to(
        lambda: bot.fake.text(17, "Where and when are the InnoCORE info sessions?",
                              chat_id=GROUP, chat_type="group", reply_to=bot.fake.sent(mentioned)),
        GROUP)
    assert "Boston" in replied.params["text"]
    command = await bot.reply_to(
        lambda: bot.fake.command(17, f"/help@{bot.fake.username}", chat_id=GROUP,
                                 chat_type="group"), GROUP)
    assert "/human" in command.params["text"]
    assert len(bot.messages_to(GROUP)) == 3


async def test_the_store_keeps_pseudonyms_not_telegram_ids(bot):
    await bot.ask(987654321, "What is the salary of an InnoCORE postdoc?")
    with bot.db() as db:
        keys = {row[0] for row in db.execute("SELECT user_key FROM questions")}
        answered_text = db.execute("SELECT COUNT(*) FROM questions WHERE question = ?",
                                   ("What is the salary of an InnoCORE postdoc?",)).fetchone()[0]
    assert keys and all(k.startswith("tg:") and len(k) == 19 for k in keys)
    assert not any("987654321" in k for k in keys)
    assert answered_text == 0  # the store keeps the text of unanswered questions only


async def test_a_short_follow_up_is_read_with_the_question_before_it(bot):
    await bot.ask(71, "수소 연구단은 어디가 주관해요?", lang="ko")
    follow_up = await bot.ask(71, "참여 기관은요?", lang="ko")
    assert "지능형 수소기술 혁신연구단 › 참여 연구기관" in follow_up.params["text"]
    alone = await bot.ask(72, "참여 기관은요?", lang="ko")  # another user: nothing to follow
    assert "지능형 수소기술" not in alone.params["text"]


async def test_a_question_not_answered_in_between_does_not_end_the_thread(bot):
    await bot.ask(73, "수소 연구단은 어디가 주관해요?", lang="ko")
    declined = await bot.ask(73, "비자 지원 되나요?", lang="ko")
    assert "ho:" in " ".join(button_data(declined.params))  # declined: a person is offered
    follow_up = await bot.ask(73, "참여 기관은요?", lang="ko")
    assert "지능형 수소기술 혁신연구단 › 참여 연구기관" in follow_up.params["text"]
