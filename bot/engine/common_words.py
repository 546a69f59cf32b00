"""How common an English word is in English at large, from wordfreq's list of the 30,000 most
frequent words. A word the documents never use counts against an answer; how much depends on
whether it names a topic ("visa", "housing": rare in general) or is one of the words any
question is made of ("like" in "what's the pay like", "make", "behind": very common).
"""

from __future__ import annotations

import math
from functools import cache

# Zipf frequency: log10 of a word's occurrences per billion words ("visa" 4.1, "housing" 4.8,
# "behind" 5.3, "make" 6.1, "like" 6.4). Chosen on the development sets, English questions
# only: Korean words that name a topic are as common as the others ("세전" for before tax).
COMMON = 5.0       # up to here, a word weighs in full...
VERY_COMMON = 6.0  # ...from here, by FLOOR, and linearly in between
FLOOR = 0.25


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # loaded at the first unknown English word

    return get_frequency_dict("en", "small")


def load() -> None:
    """Reads the list now rather than at the first question that needs it (~0.15 s)."""
    _frequencies()


def is_common(word: str) -> bool:
    """Whether `word` is among the 30,000 commonest English words (a word of its own, not a
    typo of another: "lunch", not "reaserch")."""
    return word.lower() in _frequencies()


def topic_weight(word: str) -> float:
    """1 for a word no more common than a topic's name, down to FLOOR for the commonest;
    1 for a word not in the list at all (rare, or only a stem of one)."""
    frequency = _frequencies().get(word.lower())
    if not frequency:
        return 1.0
    zipf = math.log10(frequency) + 9
    share = min(1.0, max(0.0, (zipf - COMMON) / (VERY_COMMON - COMMON)))
    return 1.0 - (1.0 - FLOOR) * share
