"""Fixtures for the operations tests: a private copy of the knowledge folder and index, and a
folder nobody can write to."""

from __future__ import annotations

import os
import shutil
import subprocess

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


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can write to: permission bits, or for root the immutable attribute."""
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
        pytest.skip("running as root on a filesystem without chattr +i")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
