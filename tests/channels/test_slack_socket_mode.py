"""Socket Mode, the default: the app opens a WebSocket (apps.connections.open with the
app-level token) to the fake Slack, which pushes envelopes the app must ack."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from bot.channels.slack.app import start
from bot.store import open_store
from tests.fakes.slack_api import (APP_TOKEN, BOT_TOKEN, SlackAPIFake, event_callback, mention,
                                   slash_command)


@pytest.fixture
async def socket_app(settings, assistant, caplog):
    caplog.set_level(logging.DEBUG)  # to check what connecting logged, too
    api = await SlackAPIFake().start()
    settings = dataclasses.replace(settings, slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN,
                                   slack_signing_secret=None, slack_api_url=api.base_url)
    with open_store(settings.db) as store:
        service = await start(settings, assistant, store)
        try:
            yield api
        finally:
            await service.stop()
            await api.stop()


def acked(envelope_id: str):
    return lambda call: call.args.get("envelope_id") == envelope_id


async def test_the_app_connects_with_the_app_token_and_answers_a_mention(socket_app, caplog):
    api = socket_app
    opened = await api.wait_for("apps.connections.open")
    assert APP_TOKEN in (opened.token, opened.args.get("token"))

    envelope = await api.push("events_api", event_callback(
        mention("What is the salary?", ts="400.000100"), event_id="EvSOCKET1"))

    await api.wait_for("socket.ack", acked(envelope))
    reply = await api.wait_for("chat.postMessage",
                               lambda c: c.args.get("thread_ts") == "400.000100")
    assert "90" in reply.args["text"] and reply.token == BOT_TOKEN
    logged = "\n".join(r.getMessage() for r in caplog.get_records("setup") + caplog.records)
    assert "apps.connections.open" in logged
    assert APP_TOKEN not in logged and BOT_TOKEN not in logged


async def test_a_redelivered_envelope_is_acked_and_answered_once(socket_app):
    api = socket_app
    body = event_callback(mention("Who can apply?", ts="401.000100"), event_id="EvSOCKET2")
    first = await api.push("events_api", body)
    await api.wait_for("socket.ack", acked(first))
    again = await api.push("events_api", body, retry_attempt=1)
    await api.wait_for("socket.ack", acked(again))
    await api.push("events_api", event_callback(mention("hello", ts="401.000900"),
                                                event_id="EvSOCKET3"))

    await api.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == "401.000900")
    await api.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == "401.000100")
    assert len(api.calls_to("chat.postMessage",
                            lambda c: c.args.get("thread_ts") == "401.000100")) == 1


async def test_a_slash_command_is_answered_in_its_ack(socket_app):
    api = socket_app
    envelope = await api.push("slash_commands", slash_command(
        "stats", user_id="USTAFF", response_url=api.response_url()))

    ack = await api.wait_for("socket.ack", acked(envelope))
    assert "for administrators only" in ack.args["payload"]["text"]
