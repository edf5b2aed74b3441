"""A turn's statements run by the driver (adapters/sql/prepared.py) behave as
``Connection.execute`` does, on SQLite and PostgreSQL: the same rows, the same type
conversions, the same SQLAlchemy exceptions, and the unit of work's transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, exc, select
from sqlalchemy.dialects import sqlite

from adapters.sql.database import Database, PostgresDatabase, SqliteDatabase
from adapters.sql.prepared import prepare
from adapters.sql.schema import deliveries, interviews
from adapters.sql.sessions import SqlSessionStore
from adapters.sql.statements import INDEXED, LATEST_STATE, turn_statements, upserts_for
from core.errors import StoreUnavailable
from core.models import InterviewState

MOMENT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        opened: Database = SqliteDatabase(tmp_path / "p.sqlite3")
    else:
        opened = PostgresDatabase(request.getfixturevalue("pg_url"), max_size=2)
    store = await SqlSessionStore.open(opened)  # the schema, migrated
    yield store.database
    await store.close()


def interview(customer: str, turn: int) -> InterviewState:
    return InterviewState(
        interview_id=f"T1-{customer}",
        team="T1",
        customer=customer,
        channel="telegram",
        script_id="discovery.en",
        turn=turn,
        updated_at=MOMENT,
    )


async def test_rows_and_conversions_match_execute(database: Database) -> None:
    store = SqlSessionStore(database)
    await store.commit_turn(interview("ann", 1), None, None)
    await store.commit_turn(interview("ann", 2), None, None)  # the same interview, saved again
    latest = prepare(LATEST_STATE, database.sql_dialect)
    parameters = {"channel": "telegram", "customer": "ann"}

    def both(conn: Connection) -> tuple[object, object]:
        return latest.rows(conn, parameters), [tuple(row) for row in conn.execute(LATEST_STATE, parameters)]

    prepared, executed = await database.run(both, writes=False)
    assert prepared == executed and len(prepared) == 1  # LIMIT 1, carried by the statement
    assert InterviewState.model_validate_json(str(prepared[0][0])).turn == 2

    # A time goes through the column's conversion (ISO text on SQLite, timestamptz on PostgreSQL).
    insert = prepare(
        database.insert(deliveries).on_conflict_do_nothing(), database.sql_dialect, ["key", "seen_at"]
    )
    await database.run(lambda conn: insert.rows(conn, {"key": "k1", "seen_at": MOMENT}))
    seen = await database.run(lambda conn: conn.scalar(select(deliveries.c.seen_at)), writes=False)
    assert seen == MOMENT


async def test_a_failing_statement_raises_sqlalchemys_error_and_rolls_back(database: Database) -> None:
    save = turn_statements(database, upserts_for(database)).save_state  # as a turn saves
    good = {"interview_id": "i1", "team": "T1", "customer": "bo", "pseudonym": "", "channel": "telegram"}
    good |= {"status": "active", "updated_at": MOMENT, "state": "{}"}

    def saves_then_fails(conn: Connection) -> None:
        save.rows(conn, good)
        save.rows(conn, {**good, "interview_id": "i2", "state": None})  # NOT NULL

    with pytest.raises(exc.IntegrityError):
        await database.run(saves_then_fails)
    kept = await database.run(
        lambda conn: conn.scalars(select(interviews.c.interview_id)).all(), writes=False
    )
    assert kept == []  # the first save went with the transaction


def test_statements_of_a_changing_shape_are_refused() -> None:
    """An expanding IN list renders differently for every length: it stays with execute()."""
    with pytest.raises(ValueError, match="expanding"):
        prepare(INDEXED, sqlite.dialect())


async def test_a_write_that_cannot_lock_the_file_is_unavailable(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE meeting another writer's lock past the busy timeout is the store being
    unavailable (the service's "try again"), not an error of the driver's."""
    path = tmp_path / "locked.sqlite3"
    store = await SqlSessionStore.open(SqliteDatabase(path))
    # A read takes no BEGIN, so the setting applies to the connection outside any transaction.
    await store.database.run(lambda conn: conn.exec_driver_sql("PRAGMA busy_timeout = 100"), writes=False)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreUnavailable, match="database is locked"):
            await store.claim_delivery("telegram:1")
        other.execute("ROLLBACK")
        assert await store.claim_delivery("telegram:1") is True  # nothing was written before
    finally:
        other.close()
        await store.close()
