"""Shared fixtures: one real index built from knowledge/ per test session, and fresh settings."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.config import Settings

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> Settings:
    """Settings whose index (built once, from the shipped knowledge/) every test may read."""
    from bot.ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("shared-index")
    settings = Settings(knowledge_dir=KNOWLEDGE, index_dir=root / "index", db=str(root / "db.sqlite"))
    run_ingest(settings.knowledge_dir, settings.index_dir)
    return settings


def engine_with_notices(root: Path, notices: dict[str, str | Path]):
    """The real engine over knowledge/ with notices added under notices/ (a file's text, or a
    folder of them to copy), indexed in `root`."""
    from bot.engine import Assistant
    from bot.ingest.ensure import ensure_index

    knowledge = root / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    (knowledge / "notices").mkdir()
    for name, content in notices.items():
        if isinstance(content, Path):
            shutil.copytree(content, knowledge / "notices", dirs_exist_ok=True)
        else:
            (knowledge / "notices" / name).write_text(content, encoding="utf-8")
    settings = Settings(knowledge_dir=knowledge, index_dir=root / "index")
    ensure_index(settings)
    return Assistant.from_settings(settings)


@pytest.fixture(scope="session")
def assistant(index_settings):
    """The real answer engine over the shared index."""
    from bot.engine import Assistant

    return Assistant.from_settings(index_settings)


@pytest.fixture(scope="session")
def near_miss(assistant) -> str:
    """A question that only just misses the documents' wording, so its decline names the
    closest sections (the engine says which of these candidates does)."""
    candidates = ["연구단은 어떤 방식으로 골랐어요?", "연구단은 어떻게 뽑았나요?",
                  "How were the eight centers picked?", "when does the research actually kick off?",
                  "설명회 도시랑 날짜 전부 알려줘", "How do I get a visa to work in Korea?"]
    question = next((q for q in candidates if assistant.ask(q).suggestions), None)
    assert question, "none of the near-miss questions is a near miss any more"
    return question


@pytest.fixture
def settings(index_settings, tmp_path) -> Settings:
    """The shared index with a fresh conversation store for this test."""
    return dataclasses.replace(index_settings, db=str(tmp_path / "innocore.db"))


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can write to: permission bits, or for root the immutable attribute
    (root ignores permission bits)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root and chattr is missing: cannot make a folder unwritable")
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a filesystem without chattr +i: cannot make a folder unwritable")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
