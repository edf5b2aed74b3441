"""Settings from the environment (``EARFUL_*`` plus the platforms' usual variable names)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
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
    index_batch_size: int = Field(default=64, ge=1, le=4096)
    multilingual: bool = Field(
        default=True, description="also index every story with a multilingual model (search across languages)"
    )
    llm: str | None = Field(default=None, description="provider:model for the optional LLM")
    log_level: str = "WARNING"
    debug: bool = False

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
    telegram_api_url: str = "https://api.telegram.org/bot"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "earful.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def has_chat_token(self) -> bool:
        return self.slack_bot_token is not None or self.telegram_bot_token is not None
