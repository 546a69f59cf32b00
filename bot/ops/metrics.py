"""Counters for the answer path, recorded around `Assistant.ask` by a wrapper.

    metrics = Metrics()                                   # its own registry: no globals
    telegram_engine = MeteredAssistant(assistant, metrics, "telegram")
    build_application(settings, telegram_engine, store)   # the channel never knows

Every channel calls `ask()` in a worker thread; prometheus-client's metrics are thread-safe.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest

from bot.engine.types import Reply, ReplyKind

# Seconds: the engine answers in tens of milliseconds; a busy machine in hundreds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """What `/metrics` shows, in one registry per process."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.questions = Counter("innocore_questions", "Questions the engine was asked.",
                                 ["channel"], registry=r)
        self.declines = Counter("innocore_declines",
                                "Questions the documents do not cover (a hand-off is offered).",
                                ["channel"], registry=r)
        self.errors = Counter("innocore_errors", "Engine calls that raised an exception.",
                              ["channel"], registry=r)
        self.latency = Histogram("innocore_answer_seconds", "Time the engine took to reply.",
                                 ["channel"], buckets=LATENCY_BUCKETS, registry=r)
        self.in_progress = Gauge("innocore_questions_in_progress",
                                 "Questions the engine is working on now.", ["channel"],
                                 registry=r)
        self.channel_up = Gauge("innocore_channel_up", "1 when the channel takes updates.",
                                ["channel"], registry=r)
        self.documents = Gauge("innocore_index_documents",
                               "Documents in the index version being served.", registry=r)
        self.index = Info("innocore_index", "The index version being served.", registry=r)

    def start_channel(self, channel: str) -> None:
        """Show the channel's series (at 0) before its first question."""
        for metric in (self.questions, self.declines, self.errors, self.latency,
                       self.in_progress):
            metric.labels(channel)

    def record(self, channel: str, reply: Reply, seconds: float) -> None:
        self.questions.labels(channel).inc()
        if reply.kind is ReplyKind.DECLINE:
            self.declines.labels(channel).inc()
        self.latency.labels(channel).observe(seconds)

    def record_error(self, channel: str, seconds: float) -> None:
        self.questions.labels(channel).inc()
        self.errors.labels(channel).inc()
        self.latency.labels(channel).observe(seconds)

    def set_status(self, *, index_version: str | None, documents: int | None,
                   channels_up: dict[str, bool]) -> None:
        """The gauges that describe state rather than count events (set before a scrape)."""
        if index_version is not None:
            self.index.info({"version": index_version})
        if documents is not None:
            self.documents.set(documents)
        for channel, up in channels_up.items():
            self.channel_up.labels(channel).set(1 if up else 0)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


class MeteredAssistant:
    """The Assistant as one channel sees it: the same answers, counted under the channel."""

    def __init__(self, assistant, metrics: Metrics, channel: str) -> None:
        self.assistant = assistant
        self.metrics = metrics
        self.channel = channel
        metrics.start_channel(channel)

    def ask(self, text: str, lang: str | None = None, previous: str | None = None) -> Reply:
        started = time.perf_counter()
        with self.metrics.in_progress.labels(self.channel).track_inprogress():
            try:
                reply = self.assistant.ask(text, lang=lang, previous=previous)
            except Exception:
                self.metrics.record_error(self.channel, time.perf_counter() - started)
                raise
        self.metrics.record(self.channel, reply, time.perf_counter() - started)
        return reply

    def warm_up(self) -> None:
        self.assistant.warm_up()

    @property
    def index_version(self) -> str:
        return self.assistant.index_version

    @property
    def document_count(self) -> int:
        return self.assistant.document_count
