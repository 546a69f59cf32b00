"""`python -m bot.ops.healthcheck`: exit 0 when the running bot's /healthz says "ok".

For a container's HEALTHCHECK: it asks 127.0.0.1 on INNOCORE_METRICS_PORT and prints the
status line; any other answer, or none within the timeout, exits 1.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from bot.config import ConfigError, Settings


def check(port: int, *, host: str = "127.0.0.1", timeout: float = 4.0) -> tuple[bool, str]:
    """(healthy?, a one-line summary) from GET /healthz."""
    url = f"http://{host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:  # 503: not ok, but the body says why
        body = exc.read()
    except OSError as exc:
        return False, f"no answer from {url}: {exc}"
    try:
        health = json.loads(body)
    except ValueError:
        return False, f"{url} did not answer JSON"
    channels = ", ".join(f"{name} {'up' if c.get('up') else 'down'}"
                         for name, c in health.get("channels", {}).items())
    summary = (f"{health.get('status')}: index {health.get('index_version')}, "
               f"{health.get('documents')} documents, {channels or 'no channels'}")
    return health.get("status") == "ok", summary


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 1
    if settings.metrics_port is None:
        print("INNOCORE_METRICS_PORT is not set: the bot serves no health check", file=sys.stderr)
        return 1
    healthy, summary = check(settings.metrics_port)
    print(summary)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
