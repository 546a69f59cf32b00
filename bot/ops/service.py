"""Everything `python -m bot serve` runs, with an async start()/stop() pair.

    service = BotService(settings)          # decides the channels now (ConfigError if none)
    await service.start()                   # store, engine, channels, health/metrics
    ...
    await service.stop()                    # no new questions; replies in flight are finished

Start-up fails early and clearly: the conversation store is opened and read first (a corrupt
file or an unwritable folder is a StoreError before anything else happens), then the index is
loaded (StartError when it cannot be), then the channels start.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import time
from typing import Callable
from urllib.parse import urlsplit

from bot.config import DEFAULT_SLACK_PORT, Settings
from bot.ops import StartError
from bot.ops.channels import SlackChannel, TelegramChannel, plan_channels
from bot.ops.inflight import TaskLedger
from bot.ops.metrics import Metrics, MeteredAssistant
from bot.ops.status import StatusServer, index_facts

log = logging.getLogger(__name__)

DRAIN_SECONDS = 25.0  # below compose's stop_grace_period (30 s), after which Docker kills


def _stderr(line: str) -> None:
    print(f"innocore-bot: {line}", file=sys.stderr, flush=True)


def load_engine(settings: Settings):
    """The Assistant over settings.index_dir (built first if there is none), warmed up."""
    from bot.engine import Assistant
    from bot.engine.index import IndexMissing
    from bot.ingest.ensure import ensure_index
    from bot.ingest.pipeline import IngestError

    try:
        ensure_index(settings)
        assistant = Assistant.from_settings(settings)
        assistant.warm_up()
    except (IngestError, IndexMissing, OSError) as exc:
        detail = exc.explained() if isinstance(exc, IngestError) else exc
        raise StartError(f"cannot load the index from {settings.index_dir}: {detail}") from exc
    return assistant


def describe_store(db: str) -> str:
    from bot.store.base import describe_db, is_postgres_url

    return f"PostgreSQL {describe_db(db)}" if is_postgres_url(db) else f"SQLite {db}"


def describe_index(settings: Settings, version: str, documents: int) -> str:
    where = f"files in {settings.index_dir}"
    if settings.chroma_url:
        parts = urlsplit(settings.chroma_url)  # host and port only: no credentials in logs
        where += f", dense vectors on the Chroma server {parts.hostname}:{parts.port or 8000}"
    return f"version {version}, {documents} documents ({where})"


class BotService:
    """The store, the engine, the configured channels and the health/metrics server.

    `assistant` lets tests and benchmarks share an engine already loaded; `say` receives the
    start-up and shutdown lines meant for the operator (stderr by default)."""

    def __init__(self, settings: Settings, *, slack_http_port: int = DEFAULT_SLACK_PORT,
                 host: str = "0.0.0.0", assistant=None, drain_seconds: float = DRAIN_SECONDS,
                 say: Callable[[str], None] = _stderr) -> None:
        self.settings = settings
        self.plans = plan_channels(settings, slack_http_port=slack_http_port)
        self.host = host
        self.drain_seconds = drain_seconds
        self.say = say
        self.metrics = Metrics()
        self.assistant = assistant
        self.store = None
        self.channels: list = []
        self.status_server: StatusServer | None = None
        self.state = "created"
        self.started_at = time.monotonic()
        self._ledger = TaskLedger()
        self._baseline: set[asyncio.Task] = set()

    # --- start ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the store, load the engine, start the channels and health/metrics."""
        self.state = "starting"
        # Every task the start-up creates, and every task those create, is noted (inflight.py).
        await self._ledger.run_owned(self._start())

    async def _start(self) -> None:
        try:
            await self._open_store()
            if self.settings.metrics_port is not None:
                self.status_server = StatusServer(self.health, self.metrics, host=self.host,
                                                  port=self.settings.metrics_port)
                await self.status_server.start()
                self.say(f"health and metrics: on port {self.status_server.port} "
                         "(/healthz, /metrics)")
            else:
                self.say("health and metrics: off (INNOCORE_METRICS_PORT is not set)")
            if self.assistant is None:
                self.assistant = await asyncio.to_thread(load_engine, self.settings)
            facts = await index_facts(self.assistant)
            self.say("index: " + describe_index(self.settings, facts["index_version"],
                                                facts["documents"]))
            await self._start_channels()
        except BaseException:
            await self._close()
            self.state = "failed"
            raise
        # Tasks alive now are the channels' own loops; later ones are work to finish on stop.
        self._baseline = self._ledger.running()
        self.state = "running"

    async def _open_store(self) -> None:
        from bot.store import open_store

        def open_and_read():
            store = open_store(self.settings.db)
            try:
                store.stats()  # reads every table: corruption shows now, not at a question
            except BaseException:
                store.close()
                raise
            return store

        self.store = await asyncio.to_thread(open_and_read)
        self.say("conversation store: " + describe_store(self.settings.db))

    async def _start_channels(self) -> None:
        telegram = None
        for plan in self.plans:
            if not plan.on:
                self.say(plan.describe())
                continue
            engine = MeteredAssistant(self.assistant, self.metrics, plan.name)
            if plan.name == "telegram":
                telegram = TelegramChannel(self.settings, engine, self.store, plan)
                self.channels.append(telegram)
                await telegram.start()
            else:
                slack = SlackChannel(self.settings, engine, self.store, plan, host=self.host)
                self.channels.append(slack)
                await slack.start(relay=telegram.relay() if telegram else None)
                if plan.http_port is not None:  # port 0 asked for any free port: show it
                    plan = dataclasses.replace(plan, http_port=slack.port)
            self.say(plan.describe())

    # --- stop -------------------------------------------------------------------------------

    async def stop(self) -> None:
        """Take no new updates, finish the replies in flight, then close everything."""
        if self.state in ("stopped", "created"):
            return
        self.state = "stopping"
        for channel in reversed(self.channels):
            await channel.stop_intake()
        if self.status_server is not None:  # its connections would count as work in flight
            await self.status_server.stop()
        await self._drain()
        await self._close()
        self.state = "stopped"

    async def _drain(self) -> None:
        """Wait for the work this service started since start-up (Slack handlers run as loose
        tasks; Telegram's Application also waits for its own in close())."""
        pending = self._ledger.running() - self._baseline - {asyncio.current_task()}
        if not pending:
            return
        self.say(f"finishing {len(pending)} task(s) in flight")
        done, still = await asyncio.wait(pending, timeout=self.drain_seconds)
        if still:
            log.warning("%d task(s) still running after %.0f s: %s", len(still),
                        self.drain_seconds, ", ".join(sorted(t.get_name() for t in still)))

    async def _close(self) -> None:
        for channel in reversed(self.channels):
            try:
                await channel.close()
            except Exception:
                log.exception("closing the %s channel failed", channel.name)
        self.channels = []
        if self.status_server is not None:
            await self.status_server.stop()
            self.status_server = None
        if self.store is not None:
            self.store.close()
            self.store = None

    # --- health -----------------------------------------------------------------------------

    async def health(self) -> dict:
        """What /healthz shows: status, index version, document count, channels up."""
        channels = {c.name: {"up": await c.is_up(), "mode": c.plan.mode} for c in self.channels}
        doc: dict = {"status": self.state, "index_version": None, "documents": None}
        if self.assistant is not None:
            doc.update(await index_facts(self.assistant))
        doc["channels"] = channels
        doc["uptime_seconds"] = round(time.monotonic() - self.started_at, 1)
        if self.state == "running":
            if doc.get("index_error"):
                doc["status"] = "error"
            elif not all(c["up"] for c in channels.values()):
                doc["status"] = "degraded"
            else:
                doc["status"] = "ok"
        return doc

    def port_of(self, channel: str) -> int | None:
        """The HTTP port a channel listens on (Slack in HTTP mode), once started."""
        for c in self.channels:
            if c.name == channel:
                return getattr(c, "port", None)
        return None
