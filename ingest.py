"""Rebuild the answer index from knowledge/: `python ingest.py [--json] [--dry-run]`."""

import sys

from bot.ingest.cli import main

if __name__ == "__main__":
    sys.exit(main())
