"""Per-key asyncio locks: one conversation at a time within one process."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class _TaskLock:
    """An :class:`asyncio.Lock` that knows which task holds it."""

    __slots__ = ("__weakref__", "lock", "owner")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.owner: asyncio.Task[object] | None = None


class KeyedLocks:
    """A lock per key, created on first use and forgotten when unused.

    Re-entrant within one task: a task that holds a key may take it again (a channel holds its
    conversation from the moment an update arrives, and the service it calls takes the same
    conversation). Waiters are served first come, first served, so taking a key without an
    ``await`` before it keeps the order in which events arrived.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[tuple[str, ...], _TaskLock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, *key: str) -> AsyncIterator[None]:
        """Hold the lock of ``key`` for the duration of the ``async with`` block."""
        held = self._locks.get(key)
        if held is None:
            held = self._locks[key] = _TaskLock()
        task = asyncio.current_task()
        if task is not None and held.owner is task:
            yield  # already this task's
            return
        async with held.lock:
            held.owner = task
            try:
                yield
            finally:
                held.owner = None
