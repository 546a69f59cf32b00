"""Scenario tests: signed requests over real HTTP to the Slack app, assertions on the Web API
calls it makes to a fake Slack on 127.0.0.1. The engine and the store are the real ones."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import time

import pytest

from bot.channels.slack import run
from bot.channels.slack.app import start
from bot.config import ConfigError, Settings
from bot.store import open_store
from tests.fakes.slack_api import (ADMIN, BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET,
                                   SlackAPIFake, mention, message, running_app)


@pytest.fixture
async def slack(settings, assistant):
    with open_store(settings.db) as store:
        async with running_app(settings, assistant, store) as scenario:
            yield scenario


def in_thread(channel: str, thread_ts: str):
    return lambda call: (call.args.get("channel"), call.args.get("thread_ts")) == (channel, thread_ts)


async def test_a_mention_is_answered_in_its_thread_with_sources_and_scores(slack):
    status, _ = await slack.send.event(mention("What is the salary of an InnoCORE postdoc?",
                                               channel="C0GENERAL", ts="100.000200"))
    assert status == 200

    reply = await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "100.000200"))
    assert "90" in reply.args["text"]                # 90 million won, from the documents
    shown = reply.text()
    assert "Sources" in shown and "score 0." in shown
    assert f"<@{BOT_USER_ID}>" not in shown
    assert reply.token == slack.settings.slack_bot_token


async def test_a_mention_inside_a_thread_is_answered_in_that_thread(slack):
    await slack.send.event(mention("연봉은 얼마인가요?", ts="101.000300", thread_ts="101.000100"))

    reply = await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "101.000100"))
    assert "9천만" in reply.args["text"]
    assert "Korean" in reply.text()


async def test_a_direct_message_is_answered_in_the_conversation(slack):
    await slack.send.event(message("Who can apply to InnoCORE?", channel="D0ALICE"))

    reply = await slack.api.wait_for("chat.postMessage",
                                     lambda c: c.args.get("channel") == "D0ALICE")
    assert "thread_ts" not in reply.args
    assert reply.args["text"]


async def test_a_question_the_documents_do_not_cover_is_declined_and_says_so(slack):
    await slack.send.event(message("What is the weather on Mars today?", channel="D0BOB"))

    reply = await slack.api.wait_for("chat.postMessage", lambda c: c.args.get("channel") == "D0BOB")
    assert "declined" in reply.text()
    assert "Sources" not in reply.text()


async def test_the_bots_own_messages_and_channel_chatter_get_no_reply(slack):
    await slack.send.event(message("an answer the bot posted", channel="D0ALICE", user=BOT_USER_ID,
                                   bot_id=BOT_ID))
    await slack.send.event(message("lunch?", channel="C0GENERAL", channel_type="channel"))
    await slack.send.event(message("edited", channel="D0ALICE", subtype="message_changed"))
    # A question sent afterwards is answered; nothing was posted before it.
    await slack.send.event(message("hello", channel="D0LAST"))

    await slack.api.wait_for("chat.postMessage", lambda c: c.args.get("channel") == "D0LAST")
    assert [c.args["channel"] for c in slack.api.calls_to("chat.postMessage")] == ["D0LAST"]


async def test_a_retried_event_is_answered_once(slack):
    question = mention("What is the salary?", ts="200.000100")
    await slack.send.event(question, event_id="EvRETRY1")
    # Slack timed out waiting and resends the same event, twice.
    assert (await slack.send.event(question, event_id="EvRETRY1", retry=1))[0] == 200
    assert (await slack.send.event(question, event_id="EvRETRY1", retry=2))[0] == 200
    # A later, different event is answered: by then a duplicate would have been too.
    await slack.send.event(mention("Who can apply?", ts="200.000900"), event_id="EvOTHER")

    await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "200.000900"))
    await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "200.000100"))
    assert len(slack.api.calls_to("chat.postMessage", in_thread("C0GENERAL", "200.000100"))) == 1


@pytest.mark.parametrize("how", ["forged signature", "stale timestamp", "no signature"])
async def test_a_forged_or_stale_request_is_refused_with_401_and_does_nothing(slack, how):
    event = mention("What is the salary?", ts="300.000100")
    if how == "forged signature":
        status, _ = await slack.send.event(event, secret="not-the-signing-secret")
    elif how == "stale timestamp":
        status, _ = await slack.send.event(event, timestamp=int(time.time()) - 10 * 60)
    else:
        status, _ = await slack.send.post('{"type": "event_callback"}', "application/json",
                                          headers={"X-Slack-Signature": ""})
    assert status == 401
    status, _ = await slack.send.command("stats", user_id=ADMIN, secret="forged",
                                         response_url=slack.api.response_url())
    assert status == 401

    # A genuine request afterwards is served; the refused ones left no trace.
    await slack.send.event(mention("hello", ts="300.000900"))
    await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "300.000900"))
    assert slack.api.calls_to("chat.postMessage", in_thread("C0GENERAL", "300.000100")) == []
    assert slack.api.calls_to("respond") == []


async def test_no_token_or_secret_reaches_the_logs_even_at_debug(settings, assistant, caplog):
    caplog.set_level(logging.DEBUG)
    with open_store(settings.db) as store:
        async with running_app(settings, assistant, store) as slack:
            await slack.send.event(mention("What is the salary?", ts="500.000100"))
            await slack.send.event(mention("hello"), secret="forged")
            await slack.send.command("ask Who can apply?", user_id=ADMIN,
                                     response_url=slack.api.response_url())
            await slack.api.wait_for("chat.postMessage", in_thread("C0GENERAL", "500.000100"))
            await slack.api.wait_for("respond")

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "chat.postMessage" in logged  # the Web API client did log its requests
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logged


@pytest.mark.parametrize("http, missing", [
    (False, "SLACK_BOT_TOKEN, SLACK_APP_TOKEN"),
    (True, "SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET"),
])
def test_missing_tokens_are_one_clear_error_at_start(http, missing):
    with pytest.raises(ConfigError, match=f"missing setting\\(s\\): {missing}$"):
        run(argparse.Namespace(http=http, port=3000), Settings())


async def test_a_bot_token_slack_rejects_is_a_clear_error_at_start(settings, assistant):
    settings = dataclasses.replace(settings, slack_bot_token="xoxb-revoked")
    api = await SlackAPIFake().start()
    settings = dataclasses.replace(settings, slack_api_url=api.base_url,
                                   slack_signing_secret=SIGNING_SECRET)
    try:
        with open_store(settings.db) as store:
            with pytest.raises(ConfigError, match=r"^Slack rejected SLACK_BOT_TOKEN: invalid_auth$"):
                await start(settings, assistant, store, http_port=0, host="127.0.0.1")
    finally:
        await api.stop()
    assert [c.method for c in api.calls] == ["auth.test"]


async def test_slack_unreachable_at_start_is_a_warning_and_http_mode_still_serves(
        settings, assistant, caplog, unused_tcp_port):
    """Slack down for a moment must not stop the app: only a token Slack rejects does."""
    settings = dataclasses.replace(settings, slack_bot_token=BOT_TOKEN,
                                   slack_signing_secret=SIGNING_SECRET,
                                   slack_api_url=f"http://127.0.0.1:{unused_tcp_port}/api/")
    with open_store(settings.db) as store:
        with caplog.at_level(logging.WARNING):
            service = await start(settings, assistant, store, http_port=0, host="127.0.0.1")
        try:
            assert service.port
        finally:
            await service.stop()
    assert "could not reach Slack to check SLACK_BOT_TOKEN" in caplog.text
