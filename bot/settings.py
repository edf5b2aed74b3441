"""Settings from the environment (``EARFUL_*`` plus the platforms' usual variable names)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable. Read from the environment and an optional ``.env`` file."""

    model_config = SettingsConfigDict(
        env_prefix="EARFUL_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(default=Path(".earful"), description="where the embedded stores live")
    team: str = Field(default="local", description="the team used by the command line by default")
    database_url: str | None = Field(default=None, description="PostgreSQL URL; SQLite when unset")
    chroma_url: str | None = Field(default=None, description="Chroma server URL; embedded when unset")
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=3000, ge=1, le=65535)
    embedding_threads: int | None = Field(default=None, ge=1, le=64)
    index_batch_size: int = Field(default=512, ge=1, le=4096)
    # "auto": a team gets the second index at its first story or question in another language,
    # so English-only teams keep the English model's speed and memory (docs/lang.md).
    multilingual: Literal["auto", "on", "off"] = Field(
        default="auto",
        description="index stories with a multilingual model too: auto (when a team needs it), on, off",
    )
    # On by default: 0.25 ms a story, run while the model embeds (docs/lang.md).
    detect_language: bool = Field(
        default=True,
        description="file each story under the language its text is in (the channel's is a hint)",
    )
    llm: str | None = Field(default=None, description="provider:model for the optional LLM")
    log_level: str = "WARNING"
    debug: bool = False
    search_ranker: Literal["expansion", "cosine"] = Field(
        default="expansion", description="how story search orders what the index found (core.ranking)"
    )

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "EARFUL_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "EARFUL_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "EARFUL_SLACK_APP_TOKEN")
    )
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "EARFUL_TELEGRAM_BOT_TOKEN"),
    )
    telegram_bot_username: str | None = Field(
        default=None, description="the bot's @username for invite links; asked from Telegram when unset"
    )
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_CLIENT_ID", "EARFUL_SLACK_CLIENT_ID"),
        description="OAuth client id: with the secret, Earful installs into many workspaces",
    )
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "EARFUL_SLACK_CLIENT_SECRET")
    )
    slack_post_interval: float = Field(
        default=1.0, ge=0, le=60, description="seconds between two messages to one Slack channel"
    )
    slack_allow_guests: bool = Field(
        default=False, description="let Slack guests (restricted accounts) search stories"
    )
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_team_users: str = Field(
        default="", description="Telegram users allowed /stories, as 'user id:team,...' (12345:T0123ABC)"
    )
    telegram_webhook_url: str | None = Field(
        default=None, description="public HTTPS URL of POST /telegram/webhook; long polling when unset"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="the webhook's secret_token; a random one is generated when unset"
    )
    telegram_merge_window: float = Field(
        default=4.0, ge=0, le=60, description="seconds to wait for more parts of a split answer"
    )
    telegram_file_url: str | None = Field(
        default=None,
        description="Bot API file URL the token is appended to; by default EARFUL_TELEGRAM_API_URL's"
        " .../bot becomes .../file/bot, as the Bot API serves files",
    )
    # Voice answers (the 'voice' extra): how long a note may be, and whether recordings are kept.
    voice_max_seconds: float = Field(
        default=300.0, gt=0, le=3600, description="longest voice note listened to, in seconds"
    )
    keep_audio: bool = Field(
        default=False, description="keep voice recordings under the data directory (erased with the customer)"
    )
    voice_model_dir: Path | None = Field(
        default=None, description="where the speech model is joined once; <data dir>/models/whisper-base"
    )

    @field_validator("multilingual", mode="before")
    @classmethod
    def _multilingual_switch(cls, value: object) -> object:
        # EARFUL_MULTILINGUAL=true/false (its first form) still means on/off.
        words = {"true": "on", "1": "on", "yes": "on", "false": "off", "0": "off", "no": "off"}
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, str):
            return words.get(value.strip().lower(), value.strip().lower())
        return value

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "earful.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def voice_model_path(self) -> Path:
        return self.voice_model_dir or self.data_dir / "models" / "whisper-base"

    @property
    def audio_path(self) -> Path:
        return self.data_dir / "audio"

    @property
    def has_chat_token(self) -> bool:
        return (
            self.slack_bot_token is not None
            or self.telegram_bot_token is not None
            or self.slack_client_id is not None
        )
