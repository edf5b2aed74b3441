"""Multi-workspace installs: what the Slack channel needs of the store that keeps them.

OAuth (``/slack/install`` -> ``/slack/oauth_redirect``) saves one installation per workspace;
Bolt then looks up that workspace's bot token for every request. The composition root hands
the channel a store on Earful's database (:mod:`adapters.sql.slack_installs`).
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from datetime import datetime
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

log = logging.getLogger(__name__)


def plain_json(value: Any) -> Any:
    """Installation fields for ``json.dumps``: datetimes as timestamps, the rest as text."""
    return value.timestamp() if isinstance(value, datetime) else str(value)


class WorkspaceInstalls(AsyncInstallationStore, AsyncOAuthStateStore):
    """Installations by (enterprise, workspace, installing user), the row with an empty user
    being the workspace's latest install, whose bot token Bolt uses; and OAuth states, each
    usable once before it expires. A workspace's bot is its latest installation's, and deleting
    anything of a workspace deletes all of it; subclasses keep, find and delete the rows."""

    @property
    def logger(self) -> logging.Logger:
        return log

    @abstractmethod
    async def async_save(self, installation: Installation) -> None:
        """Keep ``installation`` as its workspace's latest and as its installing user's."""

    @abstractmethod
    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The installation of the workspace (of one installing user when ``user_id`` is given)."""

    @abstractmethod
    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget every installation of the workspace."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connections."""

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
