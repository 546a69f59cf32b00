"""`python -m bot serve`: every configured channel in one process, until SIGTERM or SIGINT.

At start it says which channels are on (and why the others are off), where the store and the
index are, and whether health and metrics are served. On SIGTERM or SIGINT it takes no new
updates, finishes the replies in flight and exits 0. Start-up problems exit non-zero with one
clear line: 2 for configuration (no channel, a half-configured one), 1 for the store or index.

The pieces live in bot/ops: channels (which run, and how), service (start/stop), status
(/healthz and /metrics), metrics (counters around the engine).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.config import DEFAULT_SLACK_PORT, Settings
from bot.ops import StartError
from bot.ops.service import BotService
from bot.store import StoreError

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Slack's HTTP mode listens here; `--slack-port` when the command line offers it (0 asks
    # for any free port, so only a missing one means the default).
    slack_port = getattr(args, "slack_port", None)
    if slack_port is None:
        slack_port = DEFAULT_SLACK_PORT
    service = BotService(settings, slack_http_port=slack_port)  # ConfigError: exit 2
    try:
        asyncio.run(serve_until_signalled(service))
    except StoreError as exc:
        print(f"innocore-bot: error: conversation store: {exc}", file=sys.stderr)
        return 1
    except StartError as exc:
        print(f"innocore-bot: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a port in use, an unreadable folder
        print(f"innocore-bot: error: {exc}", file=sys.stderr)
        return 1
    return 0


async def serve_until_signalled(service: BotService) -> None:
    """Start the service, run until SIGTERM/SIGINT, then stop it gracefully."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[str] = []

    def on_signal(sig: signal.Signals) -> None:
        if stop.is_set():
            service.say(f"{sig.name} again: already stopping")
            return
        received.append(sig.name)
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        await service.start()
        service.say("ready")
        await stop.wait()
        service.say(f"{received[0]}: taking no new questions, finishing the replies in flight")
        await service.stop()
        service.say("stopped")
    finally:
        await service.stop()  # after a failed start or an exception: close what was opened
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
