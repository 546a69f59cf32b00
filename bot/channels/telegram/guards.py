"""Per-user flood control: a sliding window of recent messages."""

from __future__ import annotations

import time
from collections import deque
from enum import Enum
from typing import Callable, Hashable


class Verdict(str, Enum):
    ALLOW = "allow"
    WARN = "warn"      # first message over the limit: tell the user once
    IGNORE = "ignore"  # still over the limit: say nothing


class FloodGuard:
    """Allow at most `limit` messages per user in any `window` seconds.

    The first message over the limit gets WARN (the caller sends one polite note), later ones
    IGNORE, until enough old messages leave the window. Ignored messages do not count, so a
    user who keeps sending is slowed, not locked out.
    """

    def __init__(self, limit: int = 20, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()

    def check(self, key: Hashable) -> Verdict:
        now = self._clock()
        recent = self._seen.setdefault(key, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            if key in self._warned:
                return Verdict.IGNORE
            self._warned.add(key)
            return Verdict.WARN
        self._warned.discard(key)
        recent.append(now)
        if len(self._seen) > 10_000:
            self._forget_idle(now)
        return Verdict.ALLOW

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, q in self._seen.items() if not q or now - q[-1] >= self.window]:
            del self._seen[key]
            self._warned.discard(key)
