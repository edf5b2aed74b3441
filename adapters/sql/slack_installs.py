"""Slack's installations and OAuth states on Earful's SQL database (multi-workspace mode).

With several workers on PostgreSQL each must see every workspace's installation and every
OAuth ``state`` it issued (the browser's redirect may reach another worker than the one that
served ``/slack/install``), so both live in the database, in the schema's
``slack_installations`` and ``slack_oauth_states`` (:mod:`adapters.sql.schema`); on SQLite,
in the session store's file.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import select

from adapters.slack.installations import WorkspaceInstalls, plain_json
from adapters.sql.database import Database
from adapters.sql.schema import slack_installations, slack_oauth_states


class SqlSlackInstalls(WorkspaceInstalls):
    """:class:`adapters.slack.installations.WorkspaceInstalls` in one SQL database."""

    def __init__(self, database: Database, *, state_seconds: int = 600) -> None:
        self.database = database
        self.state_seconds = state_seconds
        self._migrated = False
        self._migrating = asyncio.Lock()

    async def _ready(self) -> Database:
        """The database, its schema migrated (once, on first use: Bolt builds this store before
        anything is awaited)."""
        if not self._migrated:
            async with self._migrating:
                if not self._migrated:
                    await self.database.migrate()
                    self._migrated = True
        return self.database

    async def close(self) -> None:
        """Close the connections."""
        await self.database.close()

    # --- installations -------------------------------------------------------------------

    async def async_save(self, installation: Installation) -> None:
        data = json.dumps(installation.to_dict_for_copying(), default=plain_json)
        key = {"enterprise_id": installation.enterprise_id or "", "team_id": installation.team_id or ""}
        users = dict.fromkeys(("", installation.user_id or ""))
        rows = [key | {"user_id": user, "installed_at": installation.installed_at} for user in users]
        database = await self._ready()
        insert = database.insert(slack_installations).values([row | {"installation": data} for row in rows])
        # Both rows in one statement: the workspace's and the installing user's, or neither.
        replace = {name: insert.excluded[name] for name in ("installed_at", "installation")}
        key_columns = ["enterprise_id", "team_id", "user_id"]
        upsert = insert.on_conflict_do_update(index_elements=key_columns, set_=replace)
        await database.run(lambda conn: conn.execute(upsert))

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        columns = slack_installations.c
        query = select(columns.installation).where(
            columns.enterprise_id == (enterprise_id or ""),
            columns.team_id == ("" if is_enterprise_install else (team_id or "")),
            columns.user_id == (user_id or ""),
        )
        found = await (await self._ready()).run(lambda conn: conn.scalar(query), writes=False)
        return Installation(**json.loads(found)) if found is not None else None

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        columns = slack_installations.c
        delete = slack_installations.delete().where(
            columns.enterprise_id == (enterprise_id or ""), columns.team_id == (team_id or "")
        )
        await (await self._ready()).run(lambda conn: conn.execute(delete))

    # --- OAuth states --------------------------------------------------------------------

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expire_at = datetime.now(UTC) + timedelta(seconds=self.state_seconds)
        insert = slack_oauth_states.insert().values(state=state, expire_at=expire_at)
        await (await self._ready()).run(lambda conn: conn.execute(insert))
        return state

    async def async_consume(self, state: str) -> bool:
        delete = (
            slack_oauth_states.delete()
            .where(slack_oauth_states.c.state == state)
            .returning(slack_oauth_states.c.expire_at)
        )
        expire_at = await (await self._ready()).run(lambda conn: conn.scalar(delete))
        return expire_at is not None and expire_at > datetime.now(UTC)
