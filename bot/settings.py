"""Settings from the environment (``EARFUL_*`` plus the platforms' usual variable names)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from adapters.slack.config import SlackConfig
from adapters.telegram.config import TelegramConfig


class Settings(BaseSettings):
    """Everything configurable. Read from the environment and an optional ``.env`` file."""

    model_config = SettingsConfigDict(
        env_prefix="EARFUL_",
        env_file=".env",
        extra="ignore",
        populate_by_name=True,
        # EARFUL_SLACK_POST_INTERVAL is the slack section's post_interval.
        env_nested_delimiter="_",
        env_nested_max_split=1,
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
    # Replicas sharing one database must name customers alike: give them one secret. Unset, the
    # installation makes its own once and keeps it in the data directory (bot/secrets.py).
    pseudonym_secret: SecretStr | None = Field(
        default=None, description="the secret customers' pseudonyms are keyed with (16+ characters)"
    )
    log_level: str = "WARNING"
    debug: bool = False
    search_ranker: Literal["expansion", "cosine"] = Field(
        default="expansion", description="how story search orders what the index found (core.ranking)"
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

    # The channels' sections: EARFUL_SLACK_<FIELD> and EARFUL_TELEGRAM_<FIELD> (each section's
    # fields are the adapter's own configuration), and the platforms' usual names, which win.
    slack: SlackConfig = Field(default_factory=SlackConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # As an alias beats the prefixed name: SLACK_BOT_TOKEN before EARFUL_SLACK_BOT_TOKEN, the
        # environment before the .env file.
        in_file = dotenv_settings.env_vars if isinstance(dotenv_settings, DotEnvSettingsSource) else {}
        return (
            init_settings,
            PlatformNames(settings_cls, os.environ),
            env_settings,
            PlatformNames(settings_cls, in_file),
            dotenv_settings,
            file_secret_settings,
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
    def pseudonym_secret_path(self) -> Path:
        return self.data_dir / "pseudonym.secret"

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
            self.slack.bot_token is not None
            or self.telegram.bot_token is not None
            or self.slack.client_id is not None
        )


class PlatformNames(PydanticBaseSettingsSource):
    """The platforms' usual variable names (``SLACK_BOT_TOKEN``, ``TELEGRAM_BOT_TOKEN``, ...)
    read into the channels' sections, from ``variables`` (the environment, or a .env file's)."""

    NAMES: ClassVar[dict[str, tuple[str, str]]] = {
        "slack_bot_token": ("slack", "bot_token"),
        "slack_signing_secret": ("slack", "signing_secret"),
        "slack_app_token": ("slack", "app_token"),
        "slack_client_id": ("slack", "client_id"),
        "slack_client_secret": ("slack", "client_secret"),
        "telegram_bot_token": ("telegram", "bot_token"),
    }

    def __init__(self, settings_cls: type[BaseSettings], variables: Mapping[str, str | None]) -> None:
        super().__init__(settings_cls)
        self._variables = {name.lower(): value for name, value in variables.items() if value is not None}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # whole sections are read in __call__

    def __call__(self) -> dict[str, Any]:
        found: dict[str, dict[str, str]] = {}
        for name, (section, key) in self.NAMES.items():
            if name in self._variables:
                found.setdefault(section, {})[key] = self._variables[name]
        return found
