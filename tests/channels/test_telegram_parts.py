"""The Telegram channel's pieces alone: formatting, callback data, flood control, hand-off
memory, settings checks. No server, no engine."""

from __future__ import annotations

import argparse
import dataclasses
import logging

import pytest

from bot.channels import telegram
from bot.channels.telegram import adapter
from bot.channels.telegram.app import RedactToken, user_salt, webhook_options
from bot.channels.telegram.guards import FloodGuard, Verdict
from bot.channels.telegram.handoff import HandoffBook
from bot.config import ConfigError, Settings
from bot.engine.types import Reply, ReplyKind, Source


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def reply(kind=ReplyKind.ANSWER, answer="Salary: 90 million won <KRW> & more", lang="en",
          sources=()):
    return Reply(question="q", answer=answer, lang=lang, kind=kind, sources=sources)


def source(title, section, score=0.9):
    return Source(title=title, source=f"{title}.md", section=section, score=score)


def test_reply_is_escaped_with_deduplicated_sources_and_feedback_buttons():
    sources = (source("Salary <and> support", "Salary"), source("Salary <and> support", "Salary"),
               source("FAQ", "What is the salary?"), source("Overview", ""),
               source("Extra", "Not shown"))
    out = adapter.render_reply(reply(sources=sources), question_id=7)
    assert out.html == ("Salary: 90 million won &lt;KRW&gt; &amp; more\n\n<b>Sources</b>\n"
                        "• Salary &lt;and&gt; support › Salary\n"
                        "• FAQ › What is the salary?\n"
                        "• Overview")
    assert [b.callback_data for row in out.markup.inline_keyboard for b in row] == ["fb:7:1",
                                                                                    "fb:7:0"]


def test_decline_offers_a_person_and_greetings_get_no_buttons():
    declined = adapter.render_reply(reply(ReplyKind.DECLINE, "모릅니다", "ko"), question_id=8)
    rows = declined.markup.inline_keyboard
    assert [b.callback_data for b in rows[1]] == ["ho:8"]
    assert rows[1][0].text == "🙋 담당자에게 물어보기"
    assert adapter.render_reply(reply(ReplyKind.GREETING, "Hi!"), None).markup is None


def test_a_huge_answer_is_cut_to_one_telegram_message():
    out = adapter.render_reply(reply(answer="<" * 5000, sources=(source("T", "S"),)), 1)
    assert len(out.html) <= adapter.MAX_MESSAGE_CHARS and out.html.endswith("• T › S")
    assert out.html.split("…")[0].endswith("&lt;")  # never half an entity


def test_removing_feedback_keeps_the_handoff_button():
    markup = adapter.render_reply(reply(ReplyKind.DECLINE), 9).markup
    left = adapter.without_feedback(markup)
    assert [b.callback_data for row in left.inline_keyboard for b in row] == ["ho:9"]
    assert adapter.without_handoff(left) is None


@pytest.mark.parametrize("data, parsed", [
    ("fb:12:1", ("fb", "12", "1")), ("ho:3", ("ho", "3", "")),
    ("menu:salary", ("menu", "salary", "")),
    ("lang:auto", ("lang", "auto", "")), ("fb:x:1", ("", "", "")), ("menu:rm -rf", ("", "", "")),
    ("lang:fr", ("", "", "")), (None, ("", "", "")), ("ho:1:2", ("", "", "")),
])
def test_callback_data_is_parsed_strictly(data, parsed):
    assert adapter.parse_callback(data) == parsed


def test_user_keys_are_stable_salted_pseudonyms():
    key = adapter.user_key(123456789, b"salt")
    assert key == adapter.user_key(123456789, b"salt") and key.startswith("tg:") and len(key) == 19
    assert "123456789" not in key
    assert key != adapter.user_key(123456789, b"other") != adapter.user_key(123456780, b"salt")


def test_the_bot_mention_is_taken_out_of_the_question():
    assert adapter.strip_mention("@InnoCore_Bot  what is the salary?", "innocore_bot") == \
        "what is the salary?"
    assert adapter.strip_mention("연봉은? @innocore_bot", "innocore_bot") == "연봉은?"


def test_flood_guard_warns_once_then_ignores_until_the_window_clears():
    clock = Clock()
    guard = FloodGuard(limit=3, window=60, clock=clock)
    assert [guard.check("u") for _ in range(3)] == [Verdict.ALLOW] * 3
    assert guard.check("u") is Verdict.WARN
    assert guard.check("u") is Verdict.IGNORE
    assert guard.check("someone else") is Verdict.ALLOW
    clock.now += 59.9
    assert guard.check("u") is Verdict.IGNORE
    clock.now += 0.1  # the first three messages leave the window
    assert guard.check("u") is Verdict.ALLOW
    assert [guard.check("u") for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]


def test_handoff_book_remembers_declines_and_waits_for_a_while():
    clock = Clock()
    book = HandoffBook(size=2, wait_seconds=60, clock=clock)
    book.wait_for_question(chat_id=1, user_id=1)
    assert book.waiting(1, 1) and not book.waiting(1, 1)  # consumed
    book.wait_for_question(1, 1)
    clock.now += 61
    assert not book.waiting(1, 1)  # expired
    for question_id in (1, 2, 3):
        book.remember(1, question_id, object())
    assert book.take(1, 1) is None and book.take(1, 3) is not None  # only the newest kept


def test_user_keys_follow_innocore_user_salt_when_set_else_the_token():
    salt = "s" * 32
    old, new = "111:OLD-token", "222:NEW-token"
    assert adapter.user_key(9, user_salt(old, salt)) == adapter.user_key(9, user_salt(new, salt))
    assert adapter.user_key(9, user_salt(old)) != adapter.user_key(9, user_salt(new))
    assert user_salt(old, None) == user_salt(old, "")  # unset: today's keys, unchanged
    assert user_salt(old, salt) not in (user_salt(old), user_salt(salt))


def test_innocore_user_salt_setting_is_secret_and_long_enough():
    settings = Settings.from_env({"INNOCORE_USER_SALT": "0123456789abcdef-salt"})
    assert settings.user_salt == "0123456789abcdef-salt"
    assert "0123456789abcdef" not in repr(settings)
    assert Settings.from_env({}).user_salt is None
    with pytest.raises(ConfigError, match="INNOCORE_USER_SALT must be at least 16 characters"):
        Settings.from_env({"INNOCORE_USER_SALT": "short"})


def test_staff_answer_pieces_fit_and_keep_every_character():
    answer = ("line & more\n" * 800).strip()
    pieces = adapter.render_staff_answer("Q?", answer, "en")
    assert all(len(p) <= adapter.MAX_MESSAGE_CHARS for p in pieces) and len(pieces) == 4
    body = "".join(pieces).split("</i>\n\n", 1)[1]
    assert body.replace("&amp;", "&") == answer


def test_webhook_needs_an_https_url_and_a_valid_secret():
    base = Settings(telegram_token="1:x")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET"):
        webhook_options(base)
    with pytest.raises(ConfigError, match="https"):
        webhook_options(dataclasses.replace(base, telegram_webhook_url="http://x/hook",
                                            telegram_webhook_secret="abc"))
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_options(dataclasses.replace(base, telegram_webhook_url="https://x/hook",
                                            telegram_webhook_secret="not ok!"))
    options = webhook_options(dataclasses.replace(base, telegram_webhook_url="https://x.org/a/b",
                                                  telegram_webhook_secret="abc",
                                                  telegram_webhook_port=8443))
    assert (options["url_path"], options["port"], options["secret_token"]) == ("a/b", 8443, "abc")


def test_run_without_a_token_is_a_config_error_before_anything_loads():
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        telegram.run(argparse.Namespace(webhook=False), Settings())


def test_the_token_is_redacted_from_log_records():
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: POST %s %s",
                               ("https://api.telegram.org/bot1:SECRET/getMe", "200"), None)
    assert RedactToken("1:SECRET").filter(record)
    assert record.getMessage() == "HTTP Request: POST https://api.telegram.org/bot<token>/getMe 200"
