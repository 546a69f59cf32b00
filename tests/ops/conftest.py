"""Fixtures for the operations tests: a private copy of the knowledge folder and index, and a
folder nobody can write to."""

from __future__ import annotations

import shutil

import pytest

from bot.config import Settings


@pytest.fixture
def private_index(index_settings, tmp_path) -> Settings:
    """A copy of knowledge/ and of the session's index that a test may change and re-ingest."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(index_settings.knowledge_dir, knowledge)
    index = tmp_path / "index"
    shutil.copytree(index_settings.index_dir, index, ignore=shutil.ignore_patterns(".ingest.lock"))
    return Settings(knowledge_dir=knowledge, index_dir=index, db=str(tmp_path / "innocore.db"))


