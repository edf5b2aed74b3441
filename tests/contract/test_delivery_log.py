"""Every session store keeps delivery keys for platform events (DeliveryLog)."""

from __future__ import annotations

from pathlib import Path

from fakes import MemorySessionStore

from adapters.sql.database import SqliteDatabase
from adapters.sql.sessions import SqlSessionStore


async def test_memory_store_claims_a_key_once() -> None:
    store = MemorySessionStore()
    assert await store.claim_delivery("slack:event:T1:Ev1") is True
    assert await store.claim_delivery("slack:event:T1:Ev1") is False
    assert await store.claim_delivery("slack:event:T1:Ev2") is True


async def test_sqlite_store_claims_a_key_once_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "earful.sqlite3"
    store = await SqlSessionStore.open(SqliteDatabase(path))
    assert await store.claim_delivery("slack:event:T1:Ev1") is True
    assert await store.claim_delivery("slack:event:T1:Ev1") is False
    await store.close()
    reopened = await SqlSessionStore.open(SqliteDatabase(path))
    try:
        assert await reopened.claim_delivery("slack:event:T1:Ev1") is False
        assert await reopened.claim_delivery("slack:event:T1:Ev2") is True
    finally:
        await reopened.close()
