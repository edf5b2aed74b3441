"""A turn's statements, compiled by SQLAlchemy once and run by the driver's cursor.

Every turn runs the same four statements (read the conversation; save its state, its answer
and the answer's outbox entry). Through ``Connection.execute`` each costs SQLAlchemy's
per-call machinery (a cache key, an execution context, a result object): 40-60 us on a turn's
path, three to five times the statement itself, which made a turn slower than the
hand-written store it replaced. The statements stay written once in SQLAlchemy Core
(:mod:`adapters.sql.statements`); this compiles each for its database when the store opens
(SQL text, parameter order, the columns' type conversions) and runs it on the connection of
the unit of work, inside its transaction.

Only statements with a fixed shape are prepared: no expanding ``IN`` lists and one parameter
set per call (anything else goes through ``Connection.execute``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, exc
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class Prepared:
    """One statement compiled for one database."""

    sql: str
    order: tuple[str, ...] | None  # parameter names in order (positional drivers), else named
    fixed: Mapping[str, Any]  # values compiled into the statement (a LIMIT, say)
    converts: Mapping[str, Convert]  # the columns' conversions of values (a time to text)

    def rows(self, conn: Connection, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run with ``parameters`` on ``conn``'s driver connection, in its transaction; the rows
        it returns (none for a statement without RETURNING)."""
        values = {**self.fixed, **parameters}
        for name, convert in self.converts.items():
            values[name] = convert(values[name])
        driver_error = conn.dialect.loaded_dbapi.Error
        cursor = conn.connection.cursor()
        try:
            cursor.execute(self.sql, [values[name] for name in self.order] if self.order else values)
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        except driver_error as error:
            # As Connection.execute would: SQLAlchemy's exception (which the database turns into
            # StoreUnavailable), and a connection found dead is dropped from the pool.
            lost = conn.dialect.is_disconnect(error, conn.connection.dbapi_connection, cursor)
            if lost:
                conn.invalidate(error)
            raise exc.DBAPIError.instance(
                self.sql, values, error, driver_error, connection_invalidated=lost, dialect=conn.dialect
            ) from error
        finally:
            with contextlib.suppress(driver_error):  # a cursor of a dead connection
                cursor.close()


def prepare(statement: ClauseElement, dialect: Dialect, columns: Sequence[str] = ()) -> Prepared:
    """``statement`` compiled for ``dialect``; an INSERT's ``columns`` are those given values."""
    compiled = statement.compile(dialect=dialect, column_keys=list(columns) or None)
    assert isinstance(compiled, SQLCompiler), "a statement compiles to SQL"
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError("a statement whose columns have Python-side defaults: run it with execute()")
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    converts: dict[str, Convert] = {}
    for name, bind in binds.items():
        if bind.expanding:
            raise ValueError(f"{name} is an expanding parameter: run the statement with execute()")
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            converts[name] = convert
    # Values the statement carries itself (a LIMIT's), which the caller does not pass.
    fixed = {name: bind.value for name, bind in binds.items() if not bind.required and bind.value is not None}
    order = compiled.positiontup
    return Prepared(compiled.string, tuple(order) if order else None, fixed, converts)
