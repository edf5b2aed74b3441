"""The system of record on SQL: one schema and one store for SQLite and PostgreSQL.

``schema`` (the tables), ``database`` (connections, locks and migrations per database),
``sessions`` (the session store), ``migrations`` (Alembic's, shipped in the package).
"""
