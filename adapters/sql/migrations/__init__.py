"""Alembic migrations of the SQL schema, run on open by :meth:`adapters.sql.database.Database.migrate`.

A new revision is one more file in ``versions/`` whose ``down_revision`` names the newest one
before it; Alembic applies the files not yet applied, in that order.
"""
