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


def test_the_first_reply_loads_no_langchain_vector_store_or_tracing(index_settings):
    # langchain-chroma's wrapper pulled in langchain-core's runnables, tracers and langsmith:
    # 0.6 s of every start, for one nearest-neighbour call that chromadb answers itself
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_settings.index_dir),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    done = subprocess.run([sys.executable, "-c", FIRST_REPLY], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["answered"]
    heavy = [m for m in result["modules"]
             if m.split(".")[0] in ("langchain_chroma", "langsmith")
             or m.startswith(("langchain_core.vectorstores", "langchain_core.runnables"))]
    assert heavy == []
