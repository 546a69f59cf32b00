"""Stopping a service finishes the replies it has started, and only waits for its own work."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

import aiohttp
import pytest

from bot.ops.service import BotService
from tests.fakes import slack_api
from tests.ops.support import KNOWN_FACT, KNOWN_QUESTION


class HeldEngine:
    """The real engine, but each answer waits until the test releases it."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.release = threading.Event()
        self.asked = threading.Event()

    def ask(self, text, lang=None, previous=None):
        self.asked.set()
        assert self.release.wait(30), "the test never released the answer"
        return self.assistant.ask(text, lang=lang, previous=previous)

    def warm_up(self):
        pass

    @property
    def index_version(self):
        return self.assistant.index_version

    @property
    def document_count(self):
        return self.assistant.document_count


async def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_stop_finishes_a_slack_reply_in_flight_and_ignores_other_tasks(settings, assistant):
    engine = HeldEngine(assistant)
    lines: list[str] = []
    api = await slack_api.SlackAPIFake().start()
    settings = dataclasses.replace(settings, slack_bot_token=slack_api.BOT_TOKEN,
                                   slack_signing_secret=slack_api.SIGNING_SECRET,
                                   slack_api_url=api.base_url)
    service = BotService(settings, slack_http_port=0, host="127.0.0.1", assistant=engine,
                         drain_seconds=20, say=lines.append)
    await service.start()
    unrelated = asyncio.create_task(asyncio.Event().wait())  # the caller's, not the service's
    sender = slack_api.SlackSender(f"http://127.0.0.1:{service.port_of('slack')}/slack/events")
    try:
        status, _ = await sender.event(slack_api.mention(KNOWN_QUESTION, ts="7.000001"))
        assert status == 200  # acknowledged; the answer is still being worked on
        await wait_for(engine.asked.is_set)

        stopping = asyncio.create_task(service.stop())
        await wait_for(lambda: "finishing 1 task(s) in flight" in lines)
        assert not stopping.done() and not api.calls_to("chat.postMessage")
        with pytest.raises(aiohttp.ClientConnectionError):  # no new questions taken
            await sender.event(slack_api.mention("too late", ts="7.000002"))
        started = time.monotonic()
        engine.release.set()
        await asyncio.wait_for(stopping, 10)
        assert time.monotonic() - started < 5  # not the 20 s drain limit: `unrelated` is not ours
    finally:
        engine.release.set()
        unrelated.cancel()
        await sender.close()
        await service.stop()
        await api.stop()

    reply = api.calls_to("chat.postMessage")
    assert len(reply) == 1 and reply[0].args["thread_ts"] == "7.000001"
    assert KNOWN_FACT in reply[0].text()
    assert service.state == "stopped"
