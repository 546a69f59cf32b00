"""`python ingest.py` (and `python -m bot ingest`): rebuild the index from the knowledge folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", type=Path, metavar="DIR",
                        help="documents folder (default: $INNOCORE_KNOWLEDGE_DIR or knowledge/)")
    parser.add_argument("--index", type=Path, metavar="DIR",
                        help="index folder (default: $INNOCORE_INDEX_DIR or data/index/)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    parser.add_argument("--wait", action="store_true",
                        help="if another ingest is running, wait for it instead of refusing")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ingest.pipeline import IngestError, run_ingest

    knowledge = args.knowledge or settings.knowledge_dir
    index = args.index or settings.index_dir
    try:
        report = run_ingest(knowledge, index, dry_run=args.dry_run, wait=args.wait,
                            progress=sys.stderr.isatty() and not args.json,
                            chroma_url=settings.chroma_url, embedder=settings.embedder)
    except IngestError as exc:
        if args.json:
            print(json.dumps({"error": str(exc), "problems": exc.problems}, ensure_ascii=False))
        else:
            print(f"error: {exc.explained()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # the temporary version folder is removed on the way out
        print("interrupted: the index was not changed", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python ingest.py", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    from bot.config import ConfigError

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return run(args, settings)
