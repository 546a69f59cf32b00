"""What every channel command does first: open the engine, building its index if there is none."""

from __future__ import annotations

import sys

from bot.config import Settings


def open_engine(settings: Settings):
    """The Assistant over `settings.index_dir`, the index built from the documents first when
    there is none; None, after saying why on stderr, when the documents can't be ingested."""
    from bot.engine import Assistant
    from bot.ingest.ensure import ensure_index
    from bot.ingest.pipeline import IngestError

    try:
        ensure_index(settings)
    except IngestError as exc:
        print(f"error: could not build the index: {exc.explained()}", file=sys.stderr)
        return None
    return Assistant.from_settings(settings)
