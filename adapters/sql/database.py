"""Where the SQL stores' rows live: one SQLite file, or a PostgreSQL database shared by workers.

A store's call is one unit of work, ``work(connection)``, written once in SQLAlchemy Core and
run in one transaction by :meth:`Database.run`. Only this differs by database: how the work
reaches its connection, how one conversation is locked, and what an erasure does once its rows
are deleted. The schema is migrated on open (Alembic, from the migrations shipped in this
package) under a lock, so any number of workers may start at once. A database that cannot be
reached raises :class:`core.errors.StoreUnavailable`, which the service turns into "try again".
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Dialect, Engine, Table, create_engine, event, exc, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from adapters.sql.prepared import Prepared, prepare
from core.errors import StoreUnavailable

T = TypeVar("T")
MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number works; it only has to differ from other advisory locks on the database.
MIGRATION_LOCK = 0x6561726675_6C  # "earful"
# An INSERT that can say ON CONFLICT: the same methods in both dialects.
Upsert = sqlite.Insert | postgresql.Insert
Work = Callable[[Connection], T]
_UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def unavailable(error: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"the session database is unavailable: {error}")


class Database(ABC):
    """One database, and what the stores need of it that differs by dialect."""

    dialect: str
    sql_dialect: Dialect  # SQLAlchemy's, which compiles statements for it
    # What opens a unit of work that writes. The driver opens none by itself: a read is one
    # statement, which runs atomically without BEGIN and COMMIT (nor their round trips).
    begin_writes: Prepared

    def _unit(self, work: Work[T], writes: bool) -> Work[T]:
        """``work`` as one transaction on a connection: SQLAlchemy's ``begin()`` keeps the books
        (its COMMIT or ROLLBACK ends the unit), ``begin_writes`` opens it in the database."""

        def unit(conn: Connection) -> T:
            with conn.begin():
                if writes:
                    self.begin_writes.rows(conn, {})
                return work(conn)

        return unit

    def insert(self, table: Table) -> Upsert:
        """An INSERT into ``table`` that can take ``on_conflict_do_nothing/do_update``."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    @abstractmethod
    async def run(self, work: Work[T], *, writes: bool = True) -> T:
        """``work(connection)`` in one transaction, committed when it returns (rolled back if it
        raises). ``writes=False``: the work only reads (one statement), which SQLite runs without
        taking the write lock and PostgreSQL without a transaction of its own."""

    @abstractmethod
    async def migrate(self) -> str:
        """Bring the schema to the newest revision; returns it."""

    @abstractmethod
    async def forget_deleted(self) -> None:
        """After an erasure: make sure deleted rows are gone from the files, not just unlinked."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connections."""

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Nothing to hold: an embedded database has one owning process, where the service's
        lock (:class:`core.locks.KeyedLocks`) orders each conversation."""
        yield

    async def revision(self) -> str | None:
        """The schema revision in force (``None`` before the first migration)."""

        def current(conn: Connection) -> str | None:
            return MigrationContext.configure(conn).get_current_revision()

        return await self.run(current, writes=False)


def upgrade(conn: Connection) -> str:
    """Alembic's upgrade to the newest revision, in the caller's transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    return str(MigrationContext.configure(conn).get_current_revision())


class SqliteDatabase(Database):
    """One SQLite file. Every call runs whole on one dedicated thread with one connection, so
    calls are serialised, a call is one hop off the event loop, and the loop never waits on
    disk; WAL with ``synchronous=FULL`` keeps a committed turn through a crash of the process
    and of the machine."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="earful-sqlite")
        self.engine: Engine = create_engine(
            f"sqlite:///{path}", pool_size=1, max_overflow=0, connect_args={"timeout": 30}
        )
        self.sql_dialect = self.engine.dialect
        # IMMEDIATE: a write takes the file's write lock up front, so two writers never deadlock
        # upgrading a read lock; a reader reads its snapshot of the WAL.
        self.begin_writes = prepare(text("BEGIN IMMEDIATE"), self.sql_dialect)
        event.listen(self.engine, "connect", _sqlite_connected)
        self._connection: Connection | None = None  # opened on the thread, kept until close

    def _conn(self) -> Connection:
        """The one connection, on the database's thread (a checkout per call cost a third more)."""
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        return self._connection

    async def _on_thread(self, call: Callable[[], T]) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, call)
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    async def run(self, work: Work[T], *, writes: bool = True) -> T:
        unit = self._unit(work, writes)
        return await self._on_thread(lambda: unit(self._conn()))

    async def migrate(self) -> str:
        # BEGIN IMMEDIATE: a second process opening the file waits, then finds nothing to do.
        return await self.run(upgrade)

    async def forget_deleted(self) -> None:
        """Deleted rows linger in free pages and the WAL until they are overwritten."""

        def scrub() -> None:
            driver = _driver(self._conn())  # no transaction: VACUUM needs none
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
            driver.execute("VACUUM").close()

        await self._on_thread(scrub)

    async def close(self) -> None:
        def close() -> None:
            if self._connection is not None:
                self._connection.close()
            self.engine.dispose()

        await self._on_thread(close)
        self._executor.shutdown(wait=True)


def _driver(conn: Connection) -> Any:
    """The sqlite3 connection under ``conn``."""
    driver = conn.connection.driver_connection
    assert driver is not None, "a connection in use has its driver's connection"
    return driver


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    # The database's unit of work says BEGIN (IMMEDIATE for a write), not the sqlite3 module.
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        dbapi_connection.execute(f"PRAGMA {pragma}").close()


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
    """A PostgreSQL database (psycopg 3's async driver, the 'postgres' extra) that several
    workers share: one conversation is handled by one worker at a time under an advisory lock."""

    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 10, timeout: float = 10.0) -> None:
        """``url`` is a libpq URL (``?options=-csearch_path%3Dname`` picks a schema); ``timeout``
        bounds the wait for a connection. Raises ImportError without psycopg."""
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url),
            pool_size=max_size,
            max_overflow=0,
            pool_timeout=timeout,
            pool_pre_ping=True,  # a connection dropped while idle is replaced, not handed out
            connect_args={"connect_timeout": max(1, round(timeout))},
            # The driver never opens a transaction by itself: a unit of work that writes says
            # BEGIN (Database._unit), and a read or a lock is one statement without BEGIN and COMMIT round
            # trips. One mode for every call, so no call switches it (and the pool back).
            isolation_level="AUTOCOMMIT",
            # Every unit of work ends its own transaction (run, _advisory): a rollback at each
            # return to the pool would only cost another call into the driver.
            pool_reset_on_return=None,
        )
        self.sql_dialect = self.engine.dialect
        self.begin_writes = prepare(text("BEGIN"), self.sql_dialect)  # READ COMMITTED, the default
        # First come, first served: SQLAlchemy's async pool does not hand connections out in
        # the order they were asked for, and under load a few callers waited many times their
        # share (200 Telegram customers on 2 workers: the longest wait for a conversation's
        # lock 5-8 s against 1.9 s, and past the 10 s timeout with the CPU busy). Callers queue
        # here, in order (asyncio's semaphore is FIFO), for one of the max_size connections.
        self._turns = asyncio.Semaphore(max_size)
        self._timeout = timeout

    def _held(self) -> _Held | None:
        held = _HELD.get()
        return held if held is not None and held.database is self and held.active else None

    @asynccontextmanager
    async def _checked_out(self) -> AsyncIterator[AsyncConnection]:
        """A connection of the pool, in the order callers asked for one."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._turns.acquire()
        except TimeoutError as error:
            raise StoreUnavailable(
                f"the session database is unavailable: no connection free within {self._timeout:g} s"
            ) from error
        try:
            async with self.engine.connect() as conn:
                yield conn
        finally:
            self._turns.release()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        held = self._held()
        if held is not None:
            yield held.conn
        else:
            async with self._checked_out() as conn:
                yield conn

    async def run(self, work: Work[T], *, writes: bool = True) -> T:
        try:
            async with self._connection() as conn:
                return await conn.run_sync(self._unit(work, writes))  # one hop into the greenlet
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    async def migrate(self) -> str:
        def locked_upgrade(conn: Connection) -> str:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            return upgrade(conn)

        return await self.run(locked_upgrade)

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Hold the conversation's advisory lock: other workers wait at this point. The lock
        dies with the connection, so a killed worker never leaves a conversation stuck."""
        if self._held() is not None:
            yield  # already ours (re-entered in the same task)
            return
        key = lock_key(channel, customer)
        try:
            async with self._checked_out() as conn:
                await conn.run_sync(_advisory, "pg_advisory_lock", key)
                holder = _Held(self, conn)
                token = _HELD.set(holder)
                try:
                    yield
                finally:
                    holder.active = False  # tasks spawned inside must not reuse the connection
                    _HELD.reset(token)
                    try:
                        await conn.run_sync(_advisory, "pg_advisory_unlock", key)
                    except exc.DBAPIError:
                        await conn.invalidate()  # the pool drops it, and the lock goes with the session
        except _UNREACHABLE as error:
            raise unavailable(error) from error

    async def forget_deleted(self) -> None:
        """Nothing more than the delete: autovacuum reclaims the dead rows' space in time."""

    async def close(self) -> None:
        await self.engine.dispose()


def _advisory(conn: Connection, function: str, key: int) -> None:
    """Take or give back a session's advisory lock, outside any transaction."""
    with conn.begin():
        conn.execute(text(f"SELECT {function}(:key)"), {"key": key})


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
