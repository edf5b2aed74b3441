"""Builds the Bolt ``AsyncApp`` and Web API clients from a :class:`SlackConfig`.

Single-workspace (a bot token) is the default; with an OAuth client id and secret the app
serves ``/slack/install`` and ``/slack/oauth_redirect`` and keeps each workspace's
installation in the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.delivery import dedupe_middleware
from adapters.slack.desk import SlackDesk
from adapters.slack.installations import SqliteInstallationStore
from adapters.slack.listeners import register
from adapters.slack.requests import own_team_only
from adapters.slack.voice import SlackVoice
from core.errors import MissingExtra
from core.ports import DeliveryLog

if TYPE_CHECKING:  # psycopg is the 'postgres' extra: imported only when EARFUL_DATABASE_URL is set
    from adapters.slack.pg_installations import PgSlackInstalls

# What the app needs from a workspace; deploy/slack-manifest.yaml asks for the same.
# users:read is for users.info: guests are kept out of story search (EARFUL_SLACK_ALLOW_GUESTS);
# files:read lets `/earful lint` fetch a script shared as a file or snippet.
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "commands",
    "files:read",
    "im:history",
    "im:write",
    "users:read",
)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackConfig:
    """Slack settings, as the composition root reads them from the environment."""

    api_url: str = "https://slack.com/api/"
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    database_path: Path | None = None  # where OAuth installations and states are kept (SQLite)
    database_url: str | None = None  # ... or PostgreSQL, shared by every worker, when set
    telegram_bot_username: str | None = None
    post_interval: float = 1.0  # seconds between two messages to one channel
    rate_limit_retries: int = 3
    themes_after: int = 5  # interviews with frustrations told before the home tab shows themes
    allow_guests: bool = False  # may guests (restricted accounts) search stories?

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: an OAuth client id and secret are set."""
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is set; HTTP (Events API) otherwise."""
        return bool(self.app_token)


def web_client(config: SlackConfig, token: str | None) -> AsyncWebClient:
    """A Web API client on ``config.api_url`` that waits out 429s (``Retry-After``)."""
    client = AsyncWebClient(token=token, base_url=config.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=config.rate_limit_retries))
    return client


OAuthStores: TypeAlias = "SqliteInstallationStore | PgSlackInstalls"


def installation_store(config: SlackConfig) -> OAuthStores | None:
    """The OAuth installation store in the database (``None`` in single-workspace mode)."""
    if not config.oauth:
        return None
    if config.database_url:
        try:
            from adapters.slack.pg_installations import PgSlackInstalls
        except ImportError:
            raise MissingExtra("Slack installations in EARFUL_DATABASE_URL", "postgres") from None
        return PgSlackInstalls(config.database_url)
    if config.database_path is None:
        raise ValueError("OAuth mode needs a database path for installations")
    return SqliteInstallationStore(config.database_path)


def oauth_state_store(config: SlackConfig, installations: OAuthStores) -> AsyncOAuthStateStore:
    """Where the OAuth ``state`` of an install is kept until Slack redirects back: beside the
    installations, so that any worker can check it."""
    if not isinstance(installations, SqliteInstallationStore):
        return installations  # PostgreSQL's store keeps the states too
    if config.database_path is None:
        raise ValueError("OAuth mode needs a database path for its states")
    return SQLite3OAuthStateStore(database=str(config.database_path), expiration_seconds=600)


def build_bolt_app(
    config: SlackConfig,
    desk: SlackDesk,
    deliveries: DeliveryLog,
    installations: OAuthStores | None = None,
    voice: SlackVoice | None = None,
) -> AsyncApp:
    """The Bolt app with Earful's middleware and listeners."""
    if config.oauth and installations is not None:
        states = oauth_state_store(config, installations)
        app = AsyncApp(
            signing_secret=config.signing_secret or "",
            client=web_client(config, None),
            user_facing_authorize_error_message=desk.wording.not_installed,
            installation_store=installations,
            oauth_settings=AsyncOAuthSettings(
                client_id=config.client_id,
                client_secret=config.client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=installations,
                state_store=states,
            ),
        )
    else:
        # The client carries the bot token (Bolt takes it from there).
        app = AsyncApp(
            signing_secret=config.signing_secret or "", client=web_client(config, config.bot_token)
        )
        # One token serves one workspace: a body naming another team is refused.
        app.use(own_team_only())
    app.use(dedupe_middleware(deliveries))
    register(app, desk, voice)
    return app
