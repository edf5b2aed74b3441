"""Every variable name Earful reads is a contract: each still lands where it did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import Settings

# name -> (where it lands, a value as typed, the value read)
NAMES: dict[str, tuple[str, str, Any]] = {
    "EARFUL_DATA_DIR": ("data_dir", "/srv/earful", Path("/srv/earful")),
    "EARFUL_TEAM": ("team", "T0123ABC", "T0123ABC"),
    "EARFUL_DATABASE_URL": ("database_url", "postgresql://db/earful", "postgresql://db/earful"),
    "EARFUL_CHROMA_URL": ("chroma_url", "http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    "EARFUL_HTTP_HOST": ("http_host", "0.0.0.0", "0.0.0.0"),
    "EARFUL_HTTP_PORT": ("http_port", "4000", 4000),
    "EARFUL_EMBEDDING_THREADS": ("embedding_threads", "2", 2),
    "EARFUL_INDEX_BATCH_SIZE": ("index_batch_size", "64", 64),
    "EARFUL_MULTILINGUAL": ("multilingual", "false", "off"),
    "EARFUL_DETECT_LANGUAGE": ("detect_language", "false", False),
    "EARFUL_LLM": ("llm", "openai:gpt-4o-mini", "openai:gpt-4o-mini"),
    "EARFUL_LOG_LEVEL": ("log_level", "INFO", "INFO"),
    "EARFUL_PSEUDONYM_SECRET": ("pseudonym_secret", "a-shared-replica-secret", "a-shared-replica-secret"),
    "EARFUL_DEBUG": ("debug", "true", True),
    "EARFUL_SEARCH_RANKER": ("search_ranker", "cosine", "cosine"),
    "SLACK_BOT_TOKEN": ("slack.bot_token", "xoxb-1", "xoxb-1"),
    "EARFUL_SLACK_BOT_TOKEN": ("slack.bot_token", "xoxb-2", "xoxb-2"),
    "SLACK_SIGNING_SECRET": ("slack.signing_secret", "s1", "s1"),
    "EARFUL_SLACK_SIGNING_SECRET": ("slack.signing_secret", "s2", "s2"),
    "SLACK_APP_TOKEN": ("slack.app_token", "xapp-1", "xapp-1"),
    "EARFUL_SLACK_APP_TOKEN": ("slack.app_token", "xapp-2", "xapp-2"),
    "SLACK_CLIENT_ID": ("slack.client_id", "1.2", "1.2"),
    "EARFUL_SLACK_CLIENT_ID": ("slack.client_id", "3.4", "3.4"),
    "SLACK_CLIENT_SECRET": ("slack.client_secret", "c1", "c1"),
    "EARFUL_SLACK_CLIENT_SECRET": ("slack.client_secret", "c2", "c2"),
    "EARFUL_SLACK_API_URL": ("slack.api_url", "http://127.0.0.1:9/api/", "http://127.0.0.1:9/api/"),
    "EARFUL_SLACK_POST_INTERVAL": ("slack.post_interval", "0.5", 0.5),
    "EARFUL_SLACK_ALLOW_GUESTS": ("slack.allow_guests", "true", True),
    "TELEGRAM_BOT_TOKEN": ("telegram.bot_token", "1:a", "1:a"),
    "EARFUL_TELEGRAM_BOT_TOKEN": ("telegram.bot_token", "2:b", "2:b"),
    "EARFUL_TELEGRAM_BOT_USERNAME": ("telegram.bot_username", "earful_bot", "earful_bot"),
    "EARFUL_TELEGRAM_API_URL": ("telegram.api_url", "http://127.0.0.1:9/bot", "http://127.0.0.1:9/bot"),
    "EARFUL_TELEGRAM_TEAM_USERS": ("telegram.team_users", "12345:T1", "12345:T1"),
    "EARFUL_TELEGRAM_WEBHOOK_URL": (
        "telegram.webhook_url",
        "https://x/telegram/webhook",
        "https://x/telegram/webhook",
    ),
    "EARFUL_TELEGRAM_WEBHOOK_SECRET": ("telegram.webhook_secret", "w", "w"),
    "EARFUL_TELEGRAM_MERGE_WINDOW": ("telegram.merge_window", "1.5", 1.5),
    "EARFUL_TELEGRAM_FILE_URL": (
        "telegram.file_url",
        "http://127.0.0.1:9/file/bot",
        "http://127.0.0.1:9/file/bot",
    ),
    "EARFUL_VOICE_MAX_SECONDS": ("voice_max_seconds", "90", 90.0),
    "EARFUL_KEEP_AUDIO": ("keep_audio", "true", True),
    "EARFUL_VOICE_MODEL_DIR": ("voice_model_dir", "/srv/whisper", Path("/srv/whisper")),
}


def _read(settings: Settings, where: str) -> Any:
    value: Any = settings
    for part in where.split("."):
        value = getattr(value, part)
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_variable_lands_where_it_did(
    name: str, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where, typed, read = NAMES[name]
    monkeypatch.setenv(name, typed)
    assert _read(Settings(), where) == read
    monkeypatch.setenv(name.lower(), typed)  # names are read whatever their case
    monkeypatch.delenv(name)
    assert _read(Settings(), where) == read


def test_the_platforms_names_win_and_the_environment_beats_the_env_file(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_env / ".env").write_text("SLACK_BOT_TOKEN=from-file\nEARFUL_TELEGRAM_MERGE_WINDOW=2\n")
    settings = Settings()
    assert _read(settings, "slack.bot_token") == "from-file" and settings.telegram.merge_window == 2.0
    monkeypatch.setenv("EARFUL_SLACK_BOT_TOKEN", "prefixed")
    assert _read(Settings(), "slack.bot_token") == "prefixed"  # the environment, then the file
    monkeypatch.setenv("SLACK_BOT_TOKEN", "plain")
    assert _read(Settings(), "slack.bot_token") == "plain"  # the platform's own name first
    assert _read(Settings(slack={"bot_token": "given"}), "slack.bot_token") == "given"


def test_a_bad_value_names_its_setting(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARFUL_SLACK_POST_INTERVAL", "soon")
    with pytest.raises(ValueError, match=r"slack\.post_interval"):
        Settings()
