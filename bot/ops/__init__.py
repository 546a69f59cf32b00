"""Operations: running every channel in one process, health and metrics, graceful shutdown.

Modules: channels (which channels run, each started and stopped on a shared loop), metrics
(Prometheus counters recorded around the engine), status (the /healthz and /metrics server),
service (BotService: start/stop). `python -m bot serve` (bot/serve.py) uses them; deploying
is described in docs/operations.md.
"""


class StartError(RuntimeError):
    """The bot cannot start; the message says why (never with a secret) and what to do."""
