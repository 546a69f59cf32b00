"""The health and metrics HTTP server: `GET /healthz` (JSON) and `GET /metrics` (Prometheus).

It runs on the bot's own event loop, so a loop blocked by mistake also stops the health
check from answering, which is what a container's HEALTHCHECK should notice.

/healthz answers 200 with {"status": "ok", ...} while every configured channel takes updates
and the index can be read, and 503 otherwise ("starting", "stopping", "degraded", "error").
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Awaitable, Callable

from aiohttp import web
from bot.ops.metrics import Metrics

log = logging.getLogger(__name__)

# The classic text format, which every Prometheus version reads (and what generate_latest
# writes for names like ours).
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# () -> the health document; its "status" decides the HTTP status.
HealthSource = Callable[[], Awaitable[dict]]


class StatusServer:
    """Serves `health()` and `metrics` on host:port (port 0 picks a free one)."""

    def __init__(self, health: HealthSource, metrics: Metrics, *, host: str = "0.0.0.0",
                 port: int = 0) -> None:
        self.health = health
        self.metrics = metrics
        self.host = host
        self.requested_port = port
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int | None:
        return self._runner.addresses[0][1] if self._runner and self._runner.addresses else None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.requested_port).start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise OSError(exc.errno, f"cannot serve health and metrics on port "
                                     f"{self.requested_port} (INNOCORE_METRICS_PORT): "
                                     f"{exc.strerror}") from exc

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        doc = await self.health()
        status = 200 if doc.get("status") == "ok" else 503
        return web.json_response(doc, status=status, dumps=lambda d: json.dumps(d, indent=1))

    async def _metrics(self, request: web.Request) -> web.Response:
        doc = await self.health()  # the same facts feed the state gauges
        self.metrics.set_status(index_version=doc.get("index_version"),
                                documents=doc.get("documents"),
                                channels_up={name: c["up"] for name, c in
                                             doc.get("channels", {}).items()})
        body = await asyncio.to_thread(self.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})


async def index_facts(engine) -> dict:
    """Index version and document count, read in a worker thread (the reader may be opening
    a new version) and never raising: an unreadable index is reported, not fatal here."""
    try:
        version, documents = await asyncio.to_thread(
            lambda: (engine.index_version, engine.document_count))
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        log.warning("health check could not read the index: %s", exc)
        return {"index_version": None, "documents": None, "index_error": str(exc)}
    return {"index_version": version, "documents": documents}
