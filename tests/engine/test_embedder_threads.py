"""A question is embedded on both cores when nothing else needs the second one, on one core when
another question or another program does; passages (ingest) always on one."""

from __future__ import annotations

import numpy as np
import pytest

from bot.engine import embedding
from bot.engine.embedding import E5Embedder

QUESTION = "이노코어 포닥 연봉은 얼마예요? How much is the salary?"


@pytest.fixture(scope="module")
def embedder():
    return E5Embedder(instances=2)


def threads_used(embedder: E5Embedder) -> int:
    """OpenMP's thread count in this thread, as the last embedding set it."""
    model = embedder._pool.get()
    try:
        return int(model._lib.omp_get_max_threads())
    finally:
        embedder._pool.put(model)


def test_a_question_takes_the_free_second_core_and_gets_the_same_vector(embedder, monkeypatch):
    monkeypatch.setattr(embedding, "_a_core_idle", lambda: False)
    alone = embedder.embed_query(QUESTION)
    assert threads_used(embedder) == 1
    monkeypatch.setattr(embedding, "_a_core_idle", lambda: True)
    spread = embedder.embed_query(QUESTION)
    assert threads_used(embedder) == 2
    assert np.allclose(alone, spread, atol=1e-5)


def test_a_question_keeps_one_core_while_another_is_embedded(embedder, monkeypatch):
    monkeypatch.setattr(embedding, "_a_core_idle", lambda: True)
    busy = embedder._pool.get()  # another question holds the other instance
    try:
        embedder.embed_query(QUESTION)
        assert threads_used(embedder) == 1
    finally:
        embedder._pool.put(busy)


def test_passages_keep_one_core_so_a_running_bot_still_answers(embedder, monkeypatch):
    monkeypatch.setattr(embedding, "_a_core_idle", lambda: True)
    embedder.embed_query(QUESTION)
    embedder.embed_passages(["연봉은 연 9천만 원입니다.", "The salary is 90 million won."])
    assert threads_used(embedder) == 1


def test_whether_a_core_is_idle_is_a_yes_or_no_on_any_system():
    assert embedding._a_core_idle() in (True, False)
