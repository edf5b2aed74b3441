"""Where the SQL stores' rows live: one SQLite file, or a PostgreSQL database shared by workers.

Only this differs by database: how connections are made, how one conversation is locked, and
what an erasure does once its rows are deleted. The schema is migrated on open (Alembic, from
the migrations shipped in this package) under a lock, so any number of workers may start at
once. A database that cannot be reached raises :class:`core.errors.StoreUnavailable`, which
the service turns into "try again".
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Table, event, exc, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from core.errors import StoreUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number works; it only has to differ from other advisory locks on the database.
MIGRATION_LOCK = 0x6561726675_6C  # "earful"
# An INSERT that can say ON CONFLICT: the same methods in both dialects.
Upsert = sqlite.Insert | postgresql.Insert
_UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def unavailable(error: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"the session database is unavailable: {error}")


class Database:
    """An engine on one database, and what the stores need of it that differs by dialect."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def insert(self, table: Table) -> Upsert:
        """An INSERT into ``table`` that can take ``on_conflict_do_nothing/do_update``."""
        return (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(table)

    @asynccontextmanager
    async def transaction(self, *, writes: bool = True) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction that commits when the block ends (and rolls back if it
        raises). ``writes=False`` tells SQLite not to take the write lock up front."""
        try:
            async with self._connection() as conn:
                if not writes:
                    await conn.execution_options(earful_reads_only=True)
                async with conn.begin():
                    yield conn
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Nothing to hold: an embedded database has one owning process, where the service's
        lock (:class:`core.locks.KeyedLocks`) orders each conversation."""
        yield

    async def forget_deleted(self) -> None:
        """After an erasure: make sure deleted rows are gone from the files, not just unlinked."""

    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        """Within the migration's transaction: keep other processes from migrating at once."""

    async def migrate(self) -> str:
        """Bring the schema to the newest revision; returns it."""
        try:
            async with self.engine.connect() as conn, conn.begin():
                await self._lock_migrations(conn)
                return await conn.run_sync(_upgrade)
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    async def revision(self) -> str | None:
        """The schema revision in force (``None`` before the first migration)."""
        async with self.transaction(writes=False) as conn:
            return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())

    async def close(self) -> None:
        await self.engine.dispose()


def _upgrade(conn: Connection) -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    return str(MigrationContext.configure(conn).get_current_revision())


class SqliteDatabase(Database):
    """One SQLite file. One connection, on aiosqlite's thread, serves every call, so writes are
    serialised and the event loop never waits on disk; WAL with ``synchronous=FULL`` keeps a
    committed turn through a crash of the process and of the machine."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        engine = create_async_engine(
            f"sqlite+aiosqlite:///{path}",
            poolclass=AsyncAdaptedQueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"timeout": 30},
        )
        event.listen(engine.sync_engine, "connect", _sqlite_connected)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        super().__init__(engine)

    async def forget_deleted(self) -> None:
        """Deleted rows linger in free pages and the WAL until they are overwritten."""
        try:
            async with self.engine.connect() as conn:
                driver = (await conn.get_raw_connection()).driver_connection
                assert driver is not None  # a live aiosqlite connection
                for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM"):
                    await (await driver.execute(statement)).close()
        except _UNREACHABLE as error:
            raise unavailable(error) from error


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN (below), not the sqlite3 module, so that it can be IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the file's write lock up front: two writers never deadlock
    # upgrading a read lock; a reader just reads its snapshot of the WAL.
    reads_only = conn.get_execution_options().get("earful_reads_only", False)
    conn.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def lock_key(channel: str, customer: str) -> int:
    """The advisory lock key of one conversation: 64 bits of a hash, as a signed bigint."""
    digest = hashlib.sha256(f"{channel}\x00{customer}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass
class _Held:
    """The connection holding a conversation lock; store calls made under it reuse it."""

    database: PostgresDatabase
    conn: AsyncConnection
    active: bool = True


_HELD: contextvars.ContextVar[_Held | None] = contextvars.ContextVar("earful_pg_held", default=None)


class PostgresDatabase(Database):
    """A PostgreSQL database (psycopg 3, the 'postgres' extra) that several workers share: one
    conversation is handled by one worker at a time under an advisory lock."""

    def __init__(self, url: str, *, max_size: int = 10, timeout: float = 10.0) -> None:
        """``url`` is a libpq URL (``?options=-csearch_path%3Dname`` picks a schema); ``timeout``
        bounds the wait for a connection. Raises ImportError without psycopg."""
        engine = create_async_engine(
            sqlalchemy_url(url),
            pool_size=max_size,
            max_overflow=0,
            pool_timeout=timeout,
            pool_pre_ping=True,  # a connection dropped while idle is replaced, not handed out
            connect_args={"connect_timeout": max(1, round(timeout))},
        )
        super().__init__(engine)

    def _held(self) -> _Held | None:
        held = _HELD.get()
        return held if held is not None and held.database is self and held.active else None

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        held = self._held()
        if held is not None:
            yield held.conn
        else:
            async with self.engine.connect() as conn:
                yield conn

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Hold the conversation's advisory lock: other workers wait at this point. The lock
        dies with the connection, so a killed worker never leaves a conversation stuck."""
        if self._held() is not None:
            yield  # already ours (re-entered in the same task)
            return
        key = {"key": lock_key(channel, customer)}
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
                await conn.commit()  # the lock is the session's; no transaction stays open
                holder = _Held(self, conn)
                token = _HELD.set(holder)
                try:
                    yield
                finally:
                    holder.active = False  # tasks spawned inside must not reuse the connection
                    _HELD.reset(token)
                    try:
                        await conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                        await conn.commit()
                    except exc.DBAPIError:
                        await conn.invalidate()  # the pool drops it, and the lock goes with the session
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def sqlalchemy_url(url: str) -> str:
    """A libpq URL (``postgresql://`` or ``postgres://``) as SQLAlchemy's psycopg 3 URL."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def database_at(url: str | None, path: Path | None) -> Database:
    """PostgreSQL at ``url`` when it is set, else the SQLite file at ``path``. Raises
    ImportError without the 'postgres' extra, OSError when the file's folder cannot be made."""
    if url:
        return PostgresDatabase(url)
    if path is None:
        raise ValueError("a database needs a PostgreSQL URL or a SQLite file")
    return SqliteDatabase(path)
