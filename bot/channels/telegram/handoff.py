"""What the bot remembers between a decline and the press of "talk to a person".

Kept in memory and bounded: the store keeps what staff need (the ticket), this only keeps
what a button press needs for a while. After a restart (or once forgotten) a button press is
served from the store, which keeps the text of declined questions (handlers.py).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A mapping that keeps only its `size` most recently written entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Declined:
    """A declined question that may still become a ticket."""

    question: str
    lang: str
    attempted_answer: str


class HandoffBook:
    """Declined questions awaiting a press, tickets already opened, and users who asked to
    write to a person (their next message becomes the ticket)."""

    def __init__(self, size: int = 10_000, wait_seconds: float = 1800.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._declined: Recent[tuple[int, int], Declined] = Recent(size)
        self._tickets: Recent[tuple[int, int], int] = Recent(size)
        self._waiting: Recent[tuple[int, int], float] = Recent(size)
        self._opening: set[tuple[int, int]] = set()
        self._wait_seconds = wait_seconds
        self._clock = clock

    def remember(self, chat_id: int, question_id: int, declined: Declined) -> None:
        self._declined.put((chat_id, question_id), declined)

    def take(self, chat_id: int, question_id: int) -> Declined | None:
        return self._declined.pop((chat_id, question_id))

    def start_opening(self, chat_id: int, question_id: int) -> bool:
        """False while a ticket for this question is being opened (a second press at once)."""
        key = (chat_id, question_id)
        if key in self._opening:
            return False
        self._opening.add(key)
        return True

    def done_opening(self, chat_id: int, question_id: int) -> None:
        self._opening.discard((chat_id, question_id))

    def opened(self, chat_id: int, question_id: int, ticket_id: int) -> None:
        self._tickets.put((chat_id, question_id), ticket_id)

    def ticket_for(self, chat_id: int, question_id: int) -> int | None:
        return self._tickets.get((chat_id, question_id))

    def wait_for_question(self, chat_id: int, user_id: int) -> None:
        self._waiting.put((chat_id, user_id), self._clock())

    def cancel_wait(self, chat_id: int, user_id: int) -> None:
        self._waiting.pop((chat_id, user_id))

    def waiting(self, chat_id: int, user_id: int) -> bool:
        """True (once) when this user asked to write to a person and has not written yet."""
        since = self._waiting.pop((chat_id, user_id))
        return since is not None and self._clock() - since <= self._wait_seconds
