"""How fast this machine runs the embedder: a reference for reading the other benchmarks' figures.

Their targets were set on one 2-core machine, and most of their time is the embedder's (the
vector of each question, of each passage at ingest). Machines of the same kind differ: the same
commit's cold ingest has measured 7.7 s on one and 20.8 s on another. This figure, printed beside
theirs, says which kind of machine a run was on.

    python benchmarks/machine.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Text of the kind the index holds, in both languages (no fact of the knowledge base needed)
REFERENCE_TEXT = (
    "The research centers recruit postdoctoral researchers in fields that join artificial "
    "intelligence with science and engineering. Applicants send their documents online. "
    "연구단은 인공지능과 과학기술을 결합한 분야의 박사후연구원을 채용합니다. "
    "지원자는 서류를 온라인으로 제출합니다."
)
RUNS = 5


def embedder_speed(embedder=None) -> float:
    """Milliseconds to embed 1,000 characters of passage text on one core (median of RUNS)."""
    if embedder is None:
        from bot.config import Settings
        from bot.engine.embedding import shared_embedder

        embedder = shared_embedder(Settings.from_env().embedder)
    embedder.embed_passages([REFERENCE_TEXT])  # first call: loading, not speed
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        embedder.embed_passages([REFERENCE_TEXT])
        times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times) * 1000 / len(REFERENCE_TEXT)


def describe(embedder=None) -> str:
    return (f"machine: {embedder_speed(embedder):.0f} ms to embed 1,000 characters on one core "
            f"(the embedder's speed, which most figures here follow)")


if __name__ == "__main__":
    print(describe())
