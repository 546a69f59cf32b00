"""What the bot remembers between a decline and the press of "talk to a person".

Kept in memory and bounded: the store keeps what staff need (the ticket), this only keeps
what a button press needs for a while. After a restart (or once forgotten) a button press is
served from the store, which keeps the text of declined questions (handlers.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from cachetools import LRUCache


@dataclass(frozen=True)
class Declined:
    """A question the documents left unanswered, all or in part, that may still become a
    ticket."""

    question: str
    lang: str
    attempted_answer: str


class HandoffBook:
    """Declined questions awaiting a press, tickets already opened, and users who asked to
    write to a person (their next message becomes the ticket)."""

    def __init__(self, size: int = 10_000, wait_seconds: float = 1800.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._declined: LRUCache[tuple[int, int], Declined] = LRUCache(maxsize=size)
        self._tickets: LRUCache[tuple[int, int], int] = LRUCache(maxsize=size)
        self._waiting: LRUCache[tuple[int, int], float] = LRUCache(maxsize=size)
        self._opening: set[tuple[int, int]] = set()
        self._wait_seconds = wait_seconds
        self._clock = clock

    def remember(self, chat_id: int, question_id: int, declined: Declined) -> None:
        self._declined[(chat_id, question_id)] = declined

    def take(self, chat_id: int, question_id: int) -> Declined | None:
        return self._declined.pop((chat_id, question_id), None)

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
        self._tickets[(chat_id, question_id)] = ticket_id

    def ticket_for(self, chat_id: int, question_id: int) -> int | None:
        return self._tickets.get((chat_id, question_id))

    def wait_for_question(self, chat_id: int, user_id: int) -> None:
        self._waiting[(chat_id, user_id)] = self._clock()

    def cancel_wait(self, chat_id: int, user_id: int) -> None:
        self._waiting.pop((chat_id, user_id), None)

    def waiting(self, chat_id: int, user_id: int) -> bool:
        """True (once) when this user asked to write to a person and has not written yet."""
        since = self._waiting.pop((chat_id, user_id), None)
        return since is not None and self._clock() - since <= self._wait_seconds
