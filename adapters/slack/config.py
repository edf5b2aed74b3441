"""What the Slack channel is configured with: the ``slack`` section of Earful's settings."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr

SLACK_API_URL = "https://slack.com/api/"


class SlackConfig(BaseModel):
    """The Slack channel's settings, read by the composition root from ``SLACK_BOT_TOKEN``,
    ``SLACK_SIGNING_SECRET``, ``SLACK_APP_TOKEN``, ``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET``
    (or their ``EARFUL_SLACK_*`` forms) and ``EARFUL_SLACK_*``."""

    model_config = ConfigDict(frozen=True)

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    client_id: str | None = Field(
        default=None, description="OAuth client id: with the secret, Earful installs into many workspaces"
    )
    client_secret: SecretStr | None = None
    api_url: str = SLACK_API_URL
    post_interval: float = Field(
        default=1.0, ge=0, le=60, description="seconds between two messages to one Slack channel"
    )
    allow_guests: bool = Field(
        default=False, description="let Slack guests (restricted accounts) search stories"
    )

    rate_limit_retries: ClassVar[int] = 3
    themes_after: ClassVar[int] = 5  # interviews with frustrations told before the home tab shows themes

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: an OAuth client id and secret are set."""
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is set; HTTP (Events API) otherwise."""
        return bool(self.app_token)


def revealed(secret: SecretStr | None) -> str | None:
    """The value of a secret setting, for the SDK that needs it."""
    return secret.get_secret_value() if secret is not None else None
