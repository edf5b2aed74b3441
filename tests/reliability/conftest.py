"""Fixtures for the reliability suites: real PostgreSQL and Chroma server (see tests/services.py)."""

from services import chroma_server, pg_schemas, pg_url

__all__ = ["chroma_server", "pg_schemas", "pg_url"]
