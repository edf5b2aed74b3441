"""What the Telegram channel needs to know, independent of how settings are read."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from core.errors import InputError

TELEGRAM_API_URL = "https://api.telegram.org/bot"


class TelegramConfig(BaseModel):
    """The Telegram channel's settings, read by the composition root from ``TELEGRAM_BOT_TOKEN``
    (or ``EARFUL_TELEGRAM_BOT_TOKEN``) and ``EARFUL_TELEGRAM_*``.

    ``api_url`` is the Bot API base URL the token is appended to (PTB's ``base_url``);
    ``team_users`` names the Telegram users who may search a team's stories; ``webhook_url``
    switches from long polling to a webhook; ``merge_window`` is how long (seconds) to wait for
    more parts of an answer split over several messages; ``file_url`` is the base URL files
    (voice notes) are downloaded from, by default :func:`file_url_for` ``api_url``.
    """

    model_config = ConfigDict(frozen=True)

    bot_token: SecretStr | None = None
    bot_username: str | None = Field(
        default=None, description="the bot's @username for invite links; asked from Telegram when unset"
    )
    api_url: str = TELEGRAM_API_URL
    file_url: str | None = Field(
        default=None,
        description="Bot API file URL the token is appended to; by default EARFUL_TELEGRAM_API_URL's"
        " .../bot becomes .../file/bot, as the Bot API serves files",
    )
    team_users: str = Field(
        default="", description="Telegram users allowed /stories, as 'user id:team,...' (12345:T0123ABC)"
    )
    webhook_url: str | None = Field(
        default=None, description="public HTTPS URL of POST /telegram/webhook; long polling when unset"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="the webhook's secret_token; a random one is generated when unset"
    )
    merge_window: float = Field(
        default=4.0, ge=0, le=60, description="seconds to wait for more parts of a split answer"
    )
    # Telegram allows ~30 messages/s per bot; AIORateLimiter enforces it and, with retries,
    # waits out a 429's retry_after instead of failing the send.
    max_messages_per_second: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)

    @property
    def token(self) -> str:
        """The bot token; :class:`InputError` when it is not set."""
        if self.bot_token is None:
            raise InputError("TELEGRAM_BOT_TOKEN is not set")
        return self.bot_token.get_secret_value()

    @cached_property
    def team_of_user(self) -> Mapping[int, str]:
        """Telegram user id -> the team whose stories they may search; :class:`InputError`
        naming the bad entry of ``team_users``."""
        try:
            return parse_team_users(self.team_users)
        except ValueError as error:
            raise InputError(str(error)) from None

    def check(self) -> None:
        """Raise :class:`InputError` when the token is missing or a team user is malformed."""
        _ = self.token, self.team_of_user

    @property
    def uses_webhook(self) -> bool:
        return bool(self.webhook_url)

    @property
    def files_url(self) -> str:
        """Where files are downloaded from (PTB's ``base_file_url``)."""
        return self.file_url or file_url_for(self.api_url)


def file_url_for(api_url: str) -> str:
    """The Bot API's file URL beside its method URL: ``https://api.telegram.org/bot`` serves
    files at ``https://api.telegram.org/file/bot`` (and a local Bot API server or a stand-in
    the same way), so the last part of the path gets ``file/`` before it."""
    parts = urlsplit(api_url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    return urlunsplit(parts._replace(path=f"{head}/file/{last}" if last else "/file"))


def parse_team_users(text: str) -> dict[int, str]:
    """Parse ``"12345:T0123ABC,67890:T0123ABC"`` into ``{12345: "T0123ABC", ...}``.

    Raises ``ValueError`` naming the bad entry.
    """
    users: dict[int, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        user, sep, team = entry.partition(":")
        if not sep or not user.strip().lstrip("-").isdigit() or not team.strip():
            raise ValueError(
                f"EARFUL_TELEGRAM_TEAM_USERS: '{entry}' is not '<telegram user id>:<team>'"
                " (e.g. 12345:T0123ABC)"
            )
        users[int(user)] = team.strip()
    return users
