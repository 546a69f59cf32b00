"""Parallel embedding (bot.ingest.embed): the vectors of one plain call, in order, whatever
the workers do."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from bot.ingest.embed import BATCH, embed_passages


class Fake:
    """Vectors that encode the text, so order mistakes show. With `meet=n`, the first call of
    each thread waits until n threads are in: proof that n workers embed side by side."""

    name = "fake"

    def __init__(self, fail_on: str | None = None, meet: int = 1) -> None:
        self.fail_on = fail_on
        self.threads: set[int] = set()
        self.barrier = threading.Barrier(meet)

    def embed_passages(self, texts):
        if threading.get_ident() not in self.threads:
            self.threads.add(threading.get_ident())
            self.barrier.wait(timeout=30)
        if self.fail_on in texts:
            raise ValueError(f"cannot embed {self.fail_on!r}")
        return np.array([[float(t.split()[-1]), len(t)] for t in texts], dtype=np.float32)


def test_vectors_come_back_in_order_from_several_workers():
    texts = [f"text {i}" for i in range(10 * BATCH + 3)]
    embedder = Fake(meet=3)
    seen: list[int] = []
    vectors = embed_passages(texts, embedder, on_batch=seen.append, workers=3)
    assert vectors[:, 0].tolist() == list(range(len(texts)))
    assert sum(seen) == len(texts) and max(seen) <= BATCH
    assert len(embedder.threads) == 3


def test_a_failing_batch_fails_the_whole_call():
    texts = [f"text {i}" for i in range(5 * BATCH)]
    with pytest.raises(ValueError, match="text 17"):
        embed_passages(texts, Fake(fail_on="text 17"), workers=2)


def test_same_vectors_as_one_plain_call():
    from bot.engine.embedding import E5Embedder

    texts = [f"InnoCORE postdoc note {i}: " + "연구단 " * (i % 5) + "research" for i in range(3 * BATCH)]
    embedder = E5Embedder()
    plain = embedder.embed_passages(texts)
    assert np.array_equal(embed_passages(texts, embedder, workers=2), plain)
