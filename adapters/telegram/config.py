"""What the Telegram channel needs to know, independent of how settings are read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

TELEGRAM_API_URL = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class TelegramConfig:
    """The channel's configuration.

    ``api_url`` is the Bot API base URL the token is appended to (PTB's ``base_url``);
    ``team_users`` maps Telegram user ids to the team whose stories they may search;
    ``webhook_url`` switches from long polling to a webhook; ``merge_window`` is how long
    (seconds) to wait for more parts of an answer split over several messages; ``file_url`` is
    the base URL files (voice notes) are downloaded from, by default :func:`file_url_for`
    ``api_url``.
    """

    token: str
    api_url: str = TELEGRAM_API_URL
    file_url: str | None = None
    team_users: Mapping[int, str] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    merge_window: float = 4.0
    bot_username: str | None = None
    # Telegram allows ~30 messages/s per bot; AIORateLimiter enforces it and, with retries,
    # waits out a 429's retry_after instead of failing the send.
    max_messages_per_second: float = 30.0
    max_retries: int = 3

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
