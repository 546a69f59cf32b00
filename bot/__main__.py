"""The command line: `python -m bot ask|chat|telegram|slack|serve|purge|ingest`.

Each subcommand lives in its own module and is imported only when chosen, so `ask` never pays
for Slack or Telegram imports.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import logging
import os
import sys

from bot.config import DEFAULT_SLACK_PORT, ConfigError, Settings

# subcommand -> module exposing `run(args, settings) -> int`
COMMANDS = {
    "ask": "bot.channels.console",
    "chat": "bot.channels.console",
    "telegram": "bot.channels.telegram",
    "slack": "bot.channels.slack",
    "serve": "bot.serve",
    "purge": "bot.store.purge",
    "ingest": "bot.ingest.cli",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer questions and print the replies")
    ask.add_argument("questions", nargs="+", metavar="QUESTION",
                     help="one or more questions; '-' reads one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--lang", choices=["ko", "en"], help="reply language (default: the question's)")

    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--lang", choices=["ko", "en"], help="reply language (default: each question's)")

    telegram = sub.add_parser("telegram", help="run the Telegram bot (long polling by default)")
    telegram.add_argument("--webhook", action="store_true",
                          help="serve a webhook (TELEGRAM_WEBHOOK_URL, _PORT, _SECRET) instead of polling")

    slack = sub.add_parser("slack", help="run the Slack app (Socket Mode by default)")
    slack.add_argument("--http", action="store_true", help="serve the Events API over HTTP")
    slack.add_argument("--port", type=int, default=DEFAULT_SLACK_PORT,
                       help="HTTP port with --http (default %(default)s)")

    serve = sub.add_parser("serve", help="run every configured channel in one process")
    serve.add_argument("--slack-port", type=int, default=DEFAULT_SLACK_PORT,
                       help="port of Slack's HTTP mode when it has no app token "
                            "(default %(default)s; 0: any free port)")

    purge = sub.add_parser("purge", help="delete conversation records older than DAYS")
    purge.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    ingest = sub.add_parser("ingest", help="same as `python ingest.py`")
    from bot.ingest.cli import add_arguments
    add_arguments(ingest)
    return parser


def limit_malloc_arenas(count: int = 2) -> None:
    """glibc gives threads that contend for malloc arenas of their own (up to eight per core);
    with thread pools and an index re-opened every few seconds, fragmentation then grew the
    bot's memory by megabytes per re-index, never returned. Two arenas keep it flat
    (measured with benchmarks/soak.py). MALLOC_ARENA_MAX in the environment still wins."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, count)  # -8 is M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc (musl, ...): nothing to tune
        pass


def main(argv: list[str] | None = None) -> int:
    limit_malloc_arenas()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = Settings.from_env()
        module = importlib.import_module(COMMANDS[args.command])
        return int(module.run(args, settings) or 0)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
