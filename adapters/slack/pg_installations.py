"""Multi-workspace installs on PostgreSQL, for deployments with several workers.

With ``EARFUL_DATABASE_URL`` set, every worker must see every workspace's installation and
every OAuth ``state`` it issued (the browser's redirect may reach another worker than the one
that served ``/slack/install``), so both live in the shared database, in tables the session
store's migrations create (``slack_installations``, ``slack_oauth_states``). The rows are the
same as :class:`adapters.slack.installations.SqliteInstallationStore`'s.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

from psycopg_pool import AsyncConnectionPool
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.installations import WorkspaceInstalls, plain_json

log = logging.getLogger(__name__)


class PgSlackInstalls(WorkspaceInstalls, AsyncOAuthStateStore):
    """Installations by (enterprise, workspace, installing user), the row with an empty user
    being the workspace's latest install; and OAuth states, each usable once before it expires."""

    def __init__(self, url: str, *, state_seconds: int = 600) -> None:
        self._pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            url, min_size=1, max_size=4, open=False, kwargs={"autocommit": True}
        )
        self._opened = False
        self._opening = asyncio.Lock()
        self.state_seconds = state_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    async def _execute(self, sql: str, params: tuple[Any, ...] | list[Any]) -> list[tuple[Any, ...]]:
        if not self._opened:
            async with self._opening:
                if not self._opened:
                    await self._pool.open(wait=True, timeout=10)
                    self._opened = True
        async with self._pool.connection() as conn:
            cursor = await conn.execute(sql, params)
            return list(await cursor.fetchall()) if cursor.description else []

    async def close(self) -> None:
        """Close the connections."""
        if self._opened:
            await self._pool.close()
            self._opened = False

    # --- installations -------------------------------------------------------------------

    async def async_save(self, installation: Installation) -> None:
        data = json.dumps(installation.to_dict_for_copying(), default=plain_json)
        enterprise, team = installation.enterprise_id or "", installation.team_id or ""
        users = dict.fromkeys(("", installation.user_id or ""))
        rows = [(enterprise, team, user, installation.installed_at, data) for user in users]
        # Both rows in one statement: the workspace's and the installing user's, or neither.
        await self._execute(
            "INSERT INTO slack_installations"
            " (enterprise_id, team_id, user_id, installed_at, installation) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
            + " ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE"
            " SET installed_at = EXCLUDED.installed_at, installation = EXCLUDED.installation",
            [value for row in rows for value in row],
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = (enterprise_id or "", "" if is_enterprise_install else (team_id or ""), user_id or "")
        rows = await self._execute(
            "SELECT installation FROM slack_installations"
            " WHERE enterprise_id = %s AND team_id = %s AND user_id = %s",
            key,
        )
        return Installation(**json.loads(rows[0][0])) if rows else None

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._execute(
            "DELETE FROM slack_installations WHERE enterprise_id = %s AND team_id = %s",
            (enterprise_id or "", team_id or ""),
        )

    # --- OAuth states --------------------------------------------------------------------

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self._execute(
            "INSERT INTO slack_oauth_states (state, expire_at)"
            " VALUES (%s, now() + make_interval(secs => %s))",
            (state, self.state_seconds),
        )
        return state

    async def async_consume(self, state: str) -> bool:
        rows = await self._execute(
            "DELETE FROM slack_oauth_states WHERE state = %s RETURNING expire_at > now()", (state,)
        )
        return bool(rows and rows[0][0])
