"""Alembic's entry: migrate the connection that :mod:`adapters.sql.database` hands in.

The caller holds the connection in a transaction (and, on PostgreSQL, a lock), so every
revision applies, or none does; there is no ``alembic.ini`` and no URL to read here.
"""

from alembic import context

from adapters.sql.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
