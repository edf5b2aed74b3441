"""Builds the Bolt ``AsyncApp`` and Web API clients from a :class:`SlackConfig`.

Single-workspace (a bot token) is the default; with an OAuth client id and secret the app
serves ``/slack/install`` and ``/slack/oauth_redirect`` and keeps each workspace's
installation in the store the composition root hands in.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.config import SlackConfig, revealed
from adapters.slack.delivery import dedupe_middleware
from adapters.slack.desk import SlackDesk
from adapters.slack.installations import WorkspaceInstalls
from adapters.slack.listeners import register
from adapters.slack.requests import own_team_only
from adapters.slack.voice import SlackVoice
from core.ports import DeliveryLog

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


def web_client(config: SlackConfig, token: str | None) -> AsyncWebClient:
    """A Web API client on ``config.api_url`` that waits out 429s (``Retry-After``)."""
    client = AsyncWebClient(token=token, base_url=config.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=config.rate_limit_retries))
    return client


def build_bolt_app(
    config: SlackConfig,
    desk: SlackDesk,
    deliveries: DeliveryLog,
    installations: WorkspaceInstalls | None = None,
    voice: SlackVoice | None = None,
) -> AsyncApp:
    """The Bolt app with Earful's middleware and listeners."""
    signing_secret = revealed(config.signing_secret) or ""
    if config.oauth and installations is not None:
        app = AsyncApp(
            signing_secret=signing_secret,
            client=web_client(config, None),
            user_facing_authorize_error_message=desk.wording.not_installed,
            installation_store=installations,
            oauth_settings=AsyncOAuthSettings(
                client_id=config.client_id,
                client_secret=revealed(config.client_secret),
                scopes=list(BOT_SCOPES),
                installation_store=installations,
                state_store=installations,
            ),
        )
    else:
        # The client carries the bot token (Bolt takes it from there).
        app = AsyncApp(signing_secret=signing_secret, client=web_client(config, revealed(config.bot_token)))
        # One token serves one workspace: a body naming another team is refused.
        app.use(own_team_only())
    app.use(dedupe_middleware(deliveries))
    register(app, desk, voice)
    return app
