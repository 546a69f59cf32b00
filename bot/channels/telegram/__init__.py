"""The Telegram channel: a thin adapter over the answer engine.

Modules: texts (the bot's own words, ko/en), adapter (Telegram data <-> our types), guards
(flood control), handoff (declines awaiting "talk to a person"), handlers, app
(build_application), relay (staff answers back to applicants: the seam Slack calls).

`python -m bot telegram [--webhook]` calls `run(args, settings)`.
"""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Long polling by default; with --webhook, serve TELEGRAM_WEBHOOK_URL's path on
    TELEGRAM_WEBHOOK_PORT (TLS ends in front of it)."""
    settings.require("telegram_token")
    from bot.channels.telegram.app import (ALLOWED_UPDATES, build_application, protect_logs,
                                          webhook_options)

    protect_logs(settings.telegram_token)
    webhook = webhook_options(settings) if getattr(args, "webhook", False) else None

    from bot.channels.startup import open_engine
    from bot.store import open_store

    if (assistant := open_engine(settings)) is None:
        return 1
    assistant.warm_up()
    from telegram.error import InvalidToken

    with open_store(settings.db) as store:
        app = build_application(settings, assistant, store)
        try:
            if webhook is not None:
                app.run_webhook(**webhook)
            else:
                app.run_polling(allowed_updates=ALLOWED_UPDATES)
        except InvalidToken:  # its message holds the token itself: never print it
            print("error: Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)",
                  file=sys.stderr)
            return 1
    return 0
