"""`python -m bot purge --older-than DAYS`: delete conversation records older than DAYS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from bot.store.base import StoreError, describe_db, is_postgres_url
from bot.store.store import open_store


def run(args: argparse.Namespace, settings: Settings) -> int:
    days = args.older_than
    where = describe_db(settings.db)
    if days < 0:
        print(f"purge: --older-than must be 0 or more days, got {days}", file=sys.stderr)
        return 2
    # Purging a path that does not exist would create an empty database: a typo, most likely.
    if not is_postgres_url(settings.db) and not Path(settings.db).exists():
        print(f"purge failed: no database at {where} (check INNOCORE_DB)", file=sys.stderr)
        return 1
    try:
        with open_store(settings.db) as store:
            removed = store.purge(older_than_days=days)
    except StoreError as exc:
        print(f"purge failed: {exc}", file=sys.stderr)
        return 1
    print(f"Removed records older than {days} days from {where}:")
    for table, count in removed.items():
        print(f"  {table}: {count}")
    return 0
