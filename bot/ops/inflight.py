"""Which asyncio tasks belong to a service, so that stopping it can wait for its work only.

A Slack handler runs as a loose task that bolt starts after acknowledging the request;
nothing else keeps it. To finish such replies on SIGTERM, the service runs its start-up in a
context of its own and a task factory notes every task created in that context, or in a
context copied from it (tasks inherit their creator's context; so do server callbacks).
Python 3.11 cannot read a task's context afterwards (Task.get_context is 3.12), hence the
factory. Tasks of a test or a benchmark sharing the loop are never counted.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from typing import Coroutine

_OWNER: contextvars.ContextVar["TaskLedger | None"] = contextvars.ContextVar(
    "innocore_task_owner", default=None)


class TaskLedger:
    """The tasks started, directly or not, by coroutines run through `run_owned`."""

    def __init__(self) -> None:
        self._tasks: weakref.WeakSet[asyncio.Task] = weakref.WeakSet()

    def run_owned(self, coro: Coroutine) -> asyncio.Task:
        """Run `coro` in a new task whose context (and its descendants') marks this ledger."""
        loop = asyncio.get_running_loop()
        _install_factory(loop)
        context = contextvars.copy_context()
        context.run(_OWNER.set, self)
        return loop.create_task(coro, context=context)

    def running(self) -> set[asyncio.Task]:
        return {t for t in self._tasks if not t.done()}


def _install_factory(loop: asyncio.AbstractEventLoop) -> None:
    previous = loop.get_task_factory()
    if getattr(previous, "_innocore_ledger", False):
        return

    def factory(loop, coro, **kwargs):
        task = (previous(loop, coro, **kwargs) if previous is not None
                else asyncio.Task(coro, loop=loop, **kwargs))
        owner = _OWNER.get()  # the creator's context, where create_task was called
        if owner is None and "context" in kwargs:
            owner = kwargs["context"].get(_OWNER)
        if owner is not None:
            owner._tasks.add(task)
        return task

    factory._innocore_ledger = True
    loop.set_task_factory(factory)
