"""PostgreSQL schema migrations: run on start, safe when several workers start at once."""

from __future__ import annotations

import asyncio

import psycopg

from adapters.pg_sessions import MIGRATIONS, PgSessionStore


async def test_workers_starting_together_migrate_once(pg_url: str) -> None:
    stores = await asyncio.wait_for(
        asyncio.gather(*(PgSessionStore.open(pg_url, max_size=2) for _ in range(5))), 60
    )
    try:
        async with await psycopg.AsyncConnection.connect(pg_url) as conn:
            cursor = await conn.execute("SELECT version FROM schema_version ORDER BY version")
            rows = await cursor.fetchall()
        assert [row[0] for row in rows] == list(range(1, len(MIGRATIONS) + 1))
        assert await stores[0].migrate() == len(MIGRATIONS)  # re-running is a no-op
    finally:
        for store in stores:
            await store.close()
