"""What a process loads before its first reply: the cold-start target is 3 s on two cores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.engine import Assistant

REPO = Path(__file__).resolve().parents[2]

FIRST_REPLY = """
import json, sys
from bot.config import Settings
from bot.engine import Assistant
assistant = Assistant.from_settings(Settings.from_env())
for question in sys.argv[1:]:
    reply = assistant.ask(question)
print(json.dumps({"answered": reply.answered, "modules": sorted(sys.modules)}))
"""


def _first_reply(index_settings, *questions: str) -> tuple[bool, list[str]]:
    """Whether a new process answered an English question (or the last of `questions`), and
    the modules it had loaded."""
    env = dict(os.environ, INNOCORE_INDEX_DIR=str(index_settings.index_dir),
               INNOCORE_KNOWLEDGE_DIR=str(index_settings.knowledge_dir))
    done = subprocess.run([sys.executable, "-c", FIRST_REPLY,
                           *(questions or ["How much is the salary?"])],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
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


def test_the_first_reply_does_not_wait_for_chromadb_and_the_second_uses_it(index_settings):
    # importing chromadb is 0.6-1 s of a cold start: the first reply finds its nearest rows by
    # an exact scan of the same vectors, and later questions search the chromadb collection
    answered, modules = _first_reply(index_settings)
    assert answered and "chromadb" not in modules
    answered, modules = _first_reply(index_settings, "How much is the salary?",
                                     "When is the Boston info session?")
    assert answered and "chromadb" in modules


def test_the_first_reply_is_the_reply_a_warm_process_gives(index_settings, assistant):
    questions = ["How much is the salary?", "연구단은 몇 개예요?",
                 "wich institute leeds the hydrogen center?", "외국인 포닥은 비자 지원 받을 수 있나요?",
                 "what about GIST?"]
    cold = []
    for question in questions:  # each the first question of a new assistant
        fresh = Assistant.from_settings(index_settings)
        cold.append(fresh.ask(question))
        assert not fresh.reader.current().collection_open
    assistant.warm_up()
    assert assistant.reader.current().collection_open
    for question, first in zip(questions, cold):
        warm = assistant.ask(question)
        assert (first.answer, first.sources) == (warm.answer, warm.sources)


def test_a_version_whose_chromadb_collection_is_gone_still_answers(index_settings, tmp_path,
                                                                   caplog):
    # the nearest rows then come from the scan of the version's vectors, with one warning
    import dataclasses
    import shutil

    from bot.engine.index import CHROMA_DIR, current_version, version_dir

    index_dir = tmp_path / "index"
    shutil.copytree(index_settings.index_dir, index_dir)
    shutil.rmtree(version_dir(index_dir, current_version(index_dir)) / CHROMA_DIR)
    broken = Assistant.from_settings(dataclasses.replace(index_settings, index_dir=index_dir))
    broken.warm_up()
    assert not broken.reader.current().collection_open
    for question in ("How much is the salary?", "연구단은 몇 개예요?"):
        reply = broken.ask(question)
        assert reply.answered and reply.sources
    assert sum("could not be opened" in r.getMessage() for r in caplog.records) == 1
