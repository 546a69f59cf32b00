"""Fixtures of the ingest tests: one small index built per test module."""

from __future__ import annotations

import pytest

from tests.ingest.support import SMALL, copy_index, write_knowledge


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """(knowledge, index): SMALL ingested once per module. Tests that change it use a copy."""
    from bot.ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("small")
    knowledge = write_knowledge(root / "knowledge", SMALL)
    run_ingest(knowledge, root / "index")
    return knowledge, root / "index"


@pytest.fixture
def small_copy(small_index, tmp_path):
    """A private copy of the small index and its knowledge folder."""
    return copy_index(*small_index, tmp_path)
