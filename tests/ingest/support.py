"""Helpers for the ingest tests: small knowledge folders, the command in a subprocess, and
what an index folder holds (the published version, its rows, its Chroma collection)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "fixtures" / "innocore-announcement.ko.txt"

SALARY_EN = """---
id: salary
lang: en
title: Postdoc salary
section: program
---
# Postdoc salary

## Annual salary
Every InnoCORE postdoctoral researcher is paid a salary of 90 million won a year.

## Extra support
Researchers who earned more abroad can receive extra support matched from company projects.
"""

CENTERS_KO = """---
id: centers
lang: ko
title: 연구단 소개
section: centers
---
# 연구단 소개

## 수소 연구단
지능형 수소기술 혁신연구단은 UNIST가 주관하며 POSTECH과 서울대가 참여한다.

## 뇌질환 연구단
뇌질환 조기진단을 위한 AI+나노융합 연구단은 GIST가 주관한다.
"""

SESSIONS_EN = """id: sessions
lang: en
title: Info sessions
section: sessions
kind: events
item_template: "{city}: {weekday}, {date_text}"
items:
  - city: Boston
    date: 2025-06-18
    weekday: Wednesday
    date_text: 18 June 2025
  - city: New York
    date: 2025-06-20
    weekday: Friday
    date_text: 20 June 2025
"""

SMALL = {"program/salary.en.md": SALARY_EN, "centers/centers.ko.md": CENTERS_KO,
         "sessions/sessions.en.yaml": SESSIONS_EN}

# Asked after every failure: the index that keeps serving must still answer it.
QUESTION = "How much is the InnoCORE postdoc salary a year?"


def write_knowledge(folder: Path, docs: dict[str, str | bytes] = SMALL) -> Path:
    for rel, content in docs.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def copy_index(knowledge: Path, index: Path, dest: Path) -> tuple[Path, Path]:
    """A private copy of a built index and its knowledge folder (nothing is writing to them)."""
    return (Path(shutil.copytree(knowledge, dest / "knowledge")),
            Path(shutil.copytree(index, dest / "index")))


def command(*args: str | Path) -> list[str]:
    """`python ingest.py ARGS` as the operators run it."""
    return [sys.executable, str(REPO / "ingest.py"), *map(str, args)]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOCORE_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_command(*args: str | Path, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=REPO, env=clean_env(), capture_output=True,
                          text=True, timeout=timeout, **kwargs)


def state(index: Path) -> tuple[str | None, list[str]]:
    """What a reader sees: the CURRENT version and every folder under versions/."""
    from bot.engine import index as layout

    versions = index / layout.VERSIONS
    return (layout.current_version(index),
            sorted(p.name for p in versions.iterdir()) if versions.is_dir() else [])


def current_rows(index: Path) -> list[dict]:
    from bot.engine import index as layout

    return layout.read_chunks(layout.version_dir(index, layout.current_version(index)))


def chroma_collection(index: Path):
    from bot.engine import index as layout

    name = layout.current_version(index)
    client = layout.chroma_client(layout.version_dir(index, name) / layout.CHROMA_DIR)
    return client.get_collection(layout.collection_name(name))


def ask(knowledge: Path, index: Path, question: str = QUESTION):
    """A fresh Assistant over `index`, as a channel would build it, asked one question."""
    from bot.config import Settings
    from bot.engine import Assistant

    settings = Settings(knowledge_dir=knowledge, index_dir=index)
    return Assistant.from_settings(settings).ask(question)


def assert_still_answers(knowledge: Path, index: Path) -> None:
    reply = ask(knowledge, index)
    assert reply.answered, reply.answer
    assert reply.top_source.source == "program/salary.en.md"
    assert "90 million won" in reply.answer


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self) -> None:
        from bot.engine.embedding import shared_embedder

        self.inner = shared_embedder()
        self.name = self.inner.name
        self.texts: list[str] = []

    def embed_passages(self, texts):
        self.texts.extend(texts)
        return self.inner.embed_passages(texts)
