"""The core knows nothing of chat platforms, and only reads what ingest wrote: a test keeps it
that way."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "bot" / "engine"


def test_engine_imports_no_platform_and_no_ingest():
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("telegram", "slack_bolt", "slack_sdk", "bot.channels",
                                            "bot.ops", "bot.ingest")), f"{path.name} imports {name}"
