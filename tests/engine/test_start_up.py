"""What a process loads before its first reply: the cold-start target is 3 s on two cores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

FIRST_REPLY = """
import json, sys
from bot.config import Settings
from bot.engine import Assistant
reply = Assistant.from_settings(Settings.from_env()).ask("How much is the salary?")
print(json.dumps({"answered": reply.answered, "modules": sorted(sys.modules)}))
"""


def _first_reply(index_settings) -> tuple[bool, list[str]]:
    """Whether a new process answered an English question, and the modules it had loaded."""
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_settings.index_dir),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    done = subprocess.run([sys.executable, "-c", FIRST_REPLY], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    return result["answered"], result["modules"]


def test_the_first_reply_loads_no_langchain_vector_store_or_tracing(index_settings):
    # langchain-chroma's wrapper pulled in langchain-core's runnables, tracers and langsmith:
    # 0.6 s of every start, for one nearest-neighbour call that chromadb answers itself
    answered, modules = _first_reply(index_settings)
    heavy = [m for m in modules
             if m.split(".")[0] in ("langchain_chroma", "langsmith")
             or m.startswith(("langchain_core.vectorstores", "langchain_core.runnables"))]
    assert answered and heavy == []


def test_an_english_first_reply_loads_no_korean_analyzer(index_settings):
    # Kiwi takes ~0.6 s to load and as long for its first sentence; the names the documents
    # spell two ways come stored with the index, so English alone never needs it
    answered, modules = _first_reply(index_settings)
    assert answered and "kiwipiepy" not in modules
