"""Multi-workspace installs: an ``AsyncInstallationStore`` in the Earful SQLite database.

OAuth (``/slack/install`` -> ``/slack/oauth_redirect``) saves one installation per workspace;
Bolt then looks up that workspace's bot token for every request. Rows live in their own
table of the same database file, written on one thread like the session store.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation

T = TypeVar("T")
log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_installations (
    enterprise_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    installed_at REAL NOT NULL,
    installation TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, team_id, user_id)
);
"""


def plain_json(value: Any) -> Any:
    """Installation fields for ``json.dumps``: datetimes as timestamps, the rest as text."""
    return value.timestamp() if isinstance(value, datetime) else str(value)


class WorkspaceInstalls(AsyncInstallationStore):
    """What both databases' stores share: a workspace's bot is its latest installation's, and
    deleting anything of a workspace deletes all of it. Subclasses find and delete rows."""

    async def async_save_bot(self, bot: Bot) -> None:
        # Bots are saved as part of their installation (async_save); nothing else calls this.
        raise NotImplementedError("bots are stored with their installation")

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self.async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        if installation is None or not installation.bot_token:
            return None
        return installation.to_bot()

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        """Release the connections."""


class SqliteInstallationStore(WorkspaceInstalls):
    """Installations by (enterprise, workspace, installing user); the row with an empty user is
    the workspace's latest install, whose bot token Bolt uses."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="earful-slack-installs")
        self._db: sqlite3.Connection | None = None
        self._logger = log

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._db is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False, timeout=30
                )
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(SCHEMA)
            return fn(self._db)

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def close(self) -> None:
        """Close the connection and its thread."""

        def close(db: sqlite3.Connection) -> None:
            db.close()
            self._db = None

        if self._db is not None:
            await self._run(close)
        self._executor.shutdown(wait=True)

    async def async_save(self, installation: Installation) -> None:
        data = json.dumps(installation.to_dict_for_copying(), default=plain_json)
        enterprise = installation.enterprise_id or ""
        team = installation.team_id or ""
        rows = [
            (enterprise, team, user, installation.installed_at, data) for user in ("", installation.user_id)
        ]

        def save(db: sqlite3.Connection) -> None:
            db.executemany("INSERT OR REPLACE INTO slack_installations VALUES (?, ?, ?, ?, ?)", rows)

        await self._run(save)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = (enterprise_id or "", "" if is_enterprise_install else (team_id or ""), user_id or "")

        def find(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT installation FROM slack_installations WHERE enterprise_id = ? AND team_id = ?"
                " AND user_id = ?",
                key,
            ).fetchone()
            return str(row[0]) if row else None

        found = await self._run(find)
        return Installation(**json.loads(found)) if found else None

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        def delete(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
                (enterprise_id or "", team_id or ""),
            )

        await self._run(delete)
