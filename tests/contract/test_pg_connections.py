"""PostgreSQL's connections: callers queue for them in order, and one that waits past the
timeout gets StoreUnavailable (the service's "try again"), not a pool's own error."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Coroutine
from typing import Any

import pytest
from sqlalchemy import Connection, text

from adapters.sql.database import PostgresDatabase
from core.errors import StoreUnavailable


def elsewhere(call: Coroutine[Any, Any, object]) -> asyncio.Task[object]:
    """``call`` as another conversation makes it: not in the holder's context (whose tasks
    share its connection)."""
    return asyncio.create_task(call, context=contextvars.Context())


def one(conn: Connection) -> object:
    return conn.scalar(text("SELECT 1"))


async def test_no_connection_free_within_the_timeout_is_unavailable(pg_url: str) -> None:
    database = PostgresDatabase(pg_url, max_size=1, timeout=0.5)
    try:
        async with database.conversation_lock("telegram", "holder"):  # the one connection
            with pytest.raises(StoreUnavailable, match=r"no connection free within 0\.5 s"):
                await elsewhere(database.run(one, writes=False))
        assert await database.run(one, writes=False) == 1  # free again
    finally:
        await database.close()


async def test_waiters_are_served_in_the_order_they_asked(pg_url: str) -> None:
    database = PostgresDatabase(pg_url, max_size=1)
    served: list[int] = []

    def numbered(number: int) -> object:
        def read(conn: Connection) -> object:
            served.append(number)
            return one(conn)

        return read

    try:
        async with database.conversation_lock("telegram", "holder"):
            waiting = []
            for number in range(10):
                waiting.append(elsewhere(database.run(numbered(number), writes=False)))
                await asyncio.sleep(0.01)  # each asks after the one before
        await asyncio.wait_for(asyncio.gather(*waiting), 30)
        assert served == list(range(10))
    finally:
        await database.close()
