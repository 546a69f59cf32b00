"""The Slack adapter and command parsing alone: Slack text in, Block Kit out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.channels.slack import commands
from bot.channels.slack.adapter import (RESOLVE_ACTION, SECTION_LIMIT, plain_text, reply_message,
                                        sections, ticket_message)
from bot.engine.types import Reply, ReplyKind, Source
from bot.store import Ticket


def test_plain_text_drops_the_bots_mention_and_unwraps_links_and_entities():
    text = "<@UBOT> is <https://innocore.kr/a|the notice> &lt;new&gt; &amp; <https://x.kr>? <!here>"
    assert plain_text(text, bot_user_id="UBOT") == "is the notice <new> & https://x.kr?"


def test_plain_text_keeps_korean_and_folds_whitespace():
    assert plain_text("<@UBOT>  연봉은\n얼마인가요?", bot_user_id="UBOT") == "연봉은 얼마인가요?"


def test_a_reply_escapes_its_answer_and_lists_sources_with_scores():
    reply = Reply(question="q", answer="Pay is <90M> & more", lang="en", kind=ReplyKind.ANSWER,
                  sources=(Source("Salary", "program/salary.en.md", "Salary", 0.8712),
                           Source("FAQ", "faq/faq.en.md", "What is the pay?", 0.8)))
    message = reply_message(reply)

    assert message["text"] == "Pay is <90M> & more"  # the notification text is not mrkdwn
    first, sources, meta = message["blocks"]
    assert first["text"]["text"] == "Pay is &lt;90M&gt; &amp; more"
    listed = sources["elements"][0]["text"]
    assert "1. *Salary* — `program/salary.en.md` (score 0.87)" in listed
    assert "2. *FAQ* › What is the pay? — `faq/faq.en.md` (score 0.80)" in listed
    assert meta["elements"][0]["text"] == "English · answered from the documents"


def test_long_text_is_split_into_sections_slack_accepts():
    text = "\n".join(["x" * 1000] * 7) + "\n" + "y" * (SECTION_LIMIT + 10)
    blocks = sections(text)
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    assert "".join(b["text"]["text"].replace("\n", "") for b in blocks) == text.replace("\n", "")


TICKET = Ticket(id=7, channel="telegram", chat_id="42", question="Can I <apply> twice?", lang="ko",
                attempted_answer="죄송합니다.", status="open",
                created_at=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc), slack_channel="C0STAFF",
                slack_ts="1.0001", answer=None, staff_user=None, relayed=False, relay_attempts=0,
                last_error=None, answer_version=0)


def card(ticket: Ticket, **options) -> tuple[str, list[dict]]:
    message = ticket_message(ticket, **options)
    texts = [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]
    return texts[0], message["blocks"]


def test_an_open_ticket_shows_the_question_language_attempt_and_a_resolved_button():
    status, blocks = card(TICKET)
    shown = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "Korean" in shown and "Telegram" in shown and "> Can I &lt;apply&gt; twice?" in shown
    assert "> 죄송합니다." in shown
    assert "reply in this thread" in status
    assert blocks[-1]["elements"][0]["action_id"] == RESOLVE_ACTION
    assert blocks[-1]["elements"][0]["value"] == "7"


def test_a_ticket_card_follows_the_answer_the_relay_and_the_close():
    answered = dataclasses.replace(TICKET, status="answered", answer="Yes.", staff_user="USTAFF",
                                   last_error="Timed out", relay_attempts=1)
    assert "not delivered yet; retrying (last error: Timed out)" in card(answered)[0]
    delivered = dataclasses.replace(answered, relayed=True, last_error=None)
    assert "<@USTAFF>'s answer was delivered" in card(delivered)[0]
    status, blocks = card(dataclasses.replace(delivered, status="closed"), closed_by="UADMIN")
    assert status.startswith(":white_check_mark: Resolved by <@UADMIN>.")
    assert all(b["type"] != "actions" for b in blocks)


def test_commands_parse_a_subcommand_its_text_and_a_number_of_days():
    assert commands.parse("ask  What is the pay? ") == commands.Command("ask", "What is the pay?")
    assert commands.parse("Stats 7") == commands.Command("stats", "7", 7)
    assert commands.parse("gaps soon").days is None
    assert commands.parse("").name == "help"
    assert commands.parse("delete everything") == commands.Command("", "delete everything")
    assert commands.parse("reingest").admin_only and not commands.parse("ask x").admin_only
