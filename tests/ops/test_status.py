"""/healthz and /metrics of a running BotService (Telegram and Slack on fakes, in process),
and the counters recorded around the engine."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.engine.types import Reply, ReplyKind
from bot.ops.healthcheck import check
from bot.ops.metrics import Metrics, MeteredAssistant
from bot.ops.service import BotService
from tests.fakes import slack_api
from tests.fakes.telegram_api import FakeTelegram
from tests.ops.support import KNOWN_FACT, KNOWN_QUESTION

OUT_OF_SCOPE = "How do I cook pasta carbonara?"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} from the Prometheus text format."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def get(session: aiohttp.ClientSession, port: int, path: str) -> tuple[int, str, str]:
    async with session.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_healthz_and_metrics_count_what_the_channels_answered(settings, assistant):
    lines: list[str] = []
    api = await slack_api.SlackAPIFake(channel_ids={"#staff": slack_api.STAFF_CHANNEL_ID}).start()
    with FakeTelegram() as fake:
        settings = dataclasses.replace(
            settings, metrics_port=0, telegram_token=fake.token, telegram_api_url=fake.api_url,
            slack_bot_token=slack_api.BOT_TOKEN, slack_signing_secret=slack_api.SIGNING_SECRET,
            slack_api_url=api.base_url, slack_staff_channel="#staff")
        service = BotService(settings, slack_http_port=0, host="127.0.0.1", assistant=assistant,
                             say=lines.append)
        await service.start()
        sender = slack_api.SlackSender(f"http://127.0.0.1:{service.port_of('slack')}/slack/events")
        port = service.status_server.port
        try:
            fake.text(201, KNOWN_QUESTION)
            answer = await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 201)
            fake.text(202, OUT_OF_SCOPE)
            await fake.wait_for("sendMessage", lambda p: p["chat_id"] == 202)
            assert (await sender.event(slack_api.mention(KNOWN_QUESTION, ts="5.000001")))[0] == 200
            await api.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == "5.000001")
            assert KNOWN_FACT in answer.params["text"]

            async with aiohttp.ClientSession() as http:
                status, content_type, body = await get(http, port, "/healthz")
                assert status == 200 and content_type.startswith("application/json")
                health = json.loads(body)
                assert health["status"] == "ok"
                assert health["index_version"] == assistant.index_version
                assert health["documents"] == assistant.document_count > 30
                assert health["channels"] == {"telegram": {"up": True, "mode": "long polling"},
                                              "slack": {"up": True, "mode": "HTTP"}}

                status, content_type, body = await get(http, port, "/metrics")
                assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
                found = samples(body)
                tg, sl = (("channel", "telegram"),), (("channel", "slack"),)
                assert found[("innocore_questions_total", tg)] == 2
                assert found[("innocore_questions_total", sl)] == 1
                assert found[("innocore_declines_total", tg)] == 1
                assert found[("innocore_declines_total", sl)] == 0
                assert found[("innocore_errors_total", tg)] == 0
                assert found[("innocore_answer_seconds_count", tg)] == 2
                assert found[("innocore_answer_seconds_bucket", tg + (("le", "+Inf"),))] == 2
                assert found[("innocore_questions_in_progress", tg)] == 0
                assert found[("innocore_channel_up", tg)] == found[("innocore_channel_up", sl)] == 1
                assert found[("innocore_index_documents", ())] == assistant.document_count
                assert found[("innocore_index_info",
                              (("version", assistant.index_version),))] == 1

                # What the container's HEALTHCHECK runs (it blocks: in a worker thread).
                healthy, summary = await asyncio.to_thread(check, port)
                assert healthy and summary.startswith("ok: index ")
                assert summary.endswith("telegram up, slack up")

                # A channel that stops taking updates makes the service unhealthy.
                await service.channels[0].stop_intake()
                status, _, body = await get(http, port, "/healthz")
                assert status == 503
                health = json.loads(body)
                assert health["status"] == "degraded"
                assert health["channels"]["telegram"]["up"] is False
                healthy, summary = await asyncio.to_thread(check, port)
                assert not healthy and summary.startswith("degraded: ")
        finally:
            await sender.close()
            await service.stop()
            await api.stop()
    assert service.state == "stopped"
    assert "slack: on (HTTP on port" in "\n".join(lines)


class Broken:
    def ask(self, text, lang=None, previous=None):
        raise RuntimeError("index unreadable")


class Fixed:
    def __init__(self, kind: ReplyKind):
        self.kind = kind

    def ask(self, text, lang=None, previous=None):
        return Reply(question=text, answer="…", lang="en", kind=self.kind)


def test_engine_errors_and_declines_are_counted_per_channel():
    metrics = Metrics()
    with pytest.raises(RuntimeError):
        MeteredAssistant(Broken(), metrics, "slack").ask("anything")
    MeteredAssistant(Fixed(ReplyKind.DECLINE), metrics, "telegram").ask("pasta?")
    MeteredAssistant(Fixed(ReplyKind.ANSWER), metrics, "telegram").ask("salary?")
    found = samples(metrics.exposition().decode())
    sl, tg = (("channel", "slack"),), (("channel", "telegram"),)
    assert found[("innocore_errors_total", sl)] == 1
    assert found[("innocore_questions_total", sl)] == 1
    assert found[("innocore_questions_total", tg)] == 2
    assert found[("innocore_declines_total", tg)] == 1
    assert found[("innocore_errors_total", tg)] == 0
    assert found[("innocore_questions_in_progress", sl)] == 0


def test_two_services_do_not_share_counters():
    first, second = Metrics(), Metrics()
    MeteredAssistant(Fixed(ReplyKind.ANSWER), first, "telegram").ask("salary?")
    key = ("innocore_questions_total", (("channel", "telegram"),))
    assert samples(first.exposition().decode())[key] == 1
    assert samples(second.exposition().decode()).get(key, 0) == 0


def test_the_health_check_fails_when_nothing_answers():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: the connection is refused
        healthy, summary = check(port, timeout=2)
    assert not healthy and summary.startswith(f"no answer from http://127.0.0.1:{port}/healthz")
