"""Real services for tests: a fresh PostgreSQL schema and a `chroma run` server on 127.0.0.1.

PostgreSQL (127.0.0.1:5432, trust auth, database ``test``) and the Chroma server are used
when reachable; otherwise the tests needing them skip, unless EARFUL_REQUIRE_SERVICES=1,
which makes them fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PG_BASE = os.environ.get("EARFUL_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def require_services() -> bool:
    return os.environ.get("EARFUL_REQUIRE_SERVICES") == "1"


def unavailable(what: str) -> None:
    """Skip the test, or fail it when services are required."""
    if require_services():
        pytest.fail(f"{what} is required (EARFUL_REQUIRE_SERVICES=1) but unavailable")
    pytest.skip(f"{what} unavailable")


def _pg_connect(url: str):  # type: ignore[no-untyped-def]
    psycopg = pytest.importorskip("psycopg") if not require_services() else __import__("psycopg")
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def schema_url(schema: str, base: str = PG_BASE) -> str:
    """``base`` with ``search_path`` set to ``schema`` (libpq ``options``)."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"


class PgSchemas:
    """Creates throw-away schemas in the test database and drops them afterwards."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.run = uuid.uuid4().hex[:8]

    def new(self) -> str:
        """A URL whose tables live in a brand-new, empty schema."""
        name = f"earful_t{self.run}_{len(self.created)}"
        with _pg_connect(PG_BASE) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        self.created.append(name)
        return schema_url(name)

    def drop_all(self) -> None:
        if not self.created:
            return
        with _pg_connect(PG_BASE) as conn:
            for name in self.created:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PgSchemas]:
    """Schemas in the test database, or a skip when PostgreSQL is absent."""
    try:
        with _pg_connect(PG_BASE) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure to connect means "absent"
        unavailable(f"PostgreSQL at {PG_BASE} ({error})")
    schemas = PgSchemas()
    yield schemas
    schemas.drop_all()


@pytest.fixture
def pg_url(pg_schemas: PgSchemas) -> str:
    """A database URL on a fresh, empty schema."""
    return pg_schemas.new()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float, process: subprocess.Popen[bytes] | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


class ChromaServer:
    """`chroma run --path X --host 127.0.0.1 --port P` as a subprocess that can be stopped and
    started again on the same port and data (to test an index that goes away)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if chroma is None:
            unavailable("the chroma command")
        command = [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for_port(self.port, 30, self.process):
            self.stop()
            unavailable("a Chroma server (chroma run)")

    def vacuum(self) -> None:
        """Stop the server, run `chroma vacuum` on its data (freed pages of its SQLite file can
        keep deleted text until then), and start it again on the same port."""
        self.stop()
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
        subprocess.run(
            [chroma, "vacuum", "--path", str(self.path), "--force"],
            check=True,
            timeout=60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the test session."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    server.start()
    yield server
    server.stop()
