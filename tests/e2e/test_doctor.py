"""``earful doctor`` against the Slack and Telegram emulators, and the start checks of ``earful run``.

(The missing model is checked for real in a fresh venv: tests/e2e/test_wheel_smoke.py.)
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from settings_by_name import settings_named
from slack_emulator import SlackEmulator
from slack_harness import SECRET, TEAM_A, TOKEN
from telegram_emulator import TelegramEmulator

from bot.checks import check_webhook, run_checks
from bot.doctor import Check, as_text, fatal, healthy
from bot.settings import Settings
from bot.wiring import open_sessions
from core.errors import MissingExtra, StoreUnavailable

pytestmark = pytest.mark.usefixtures("isolated_env")


@pytest.fixture
async def platforms() -> AsyncIterator[tuple[SlackEmulator, TelegramEmulator]]:
    slack, tg = SlackEmulator(team_for_token={TOKEN: TEAM_A}), TelegramEmulator()
    await slack.start()
    await tg.start()
    yield slack, tg
    await tg.stop()
    await slack.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def channel_settings(tmp_path: Path, slack: SlackEmulator, tg: TelegramEmulator, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": slack.api_url,
        "telegram_bot_token": tg.token,
        "telegram_api_url": tg.api_url,
        "http_port": free_port(),
    }
    return settings_named(**{**values, **changes})


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


async def test_everything_configured_works(
    platforms: tuple[SlackEmulator, TelegramEmulator], tmp_path: Path
) -> None:
    slack, tg = platforms
    url = "http://127.0.0.1:8443/telegram/webhook"
    settings = channel_settings(
        tmp_path, slack, tg, telegram_webhook_url=url, telegram_webhook_secret="s3-cret"
    )
    checks = await run_checks(settings)
    found = by_name(checks)
    assert healthy(checks), as_text(checks)
    assert found["slack"].detail == f"HTTP mode (POST /slack/events); auth.test: team {TEAM_A}, bot UBOT"
    assert found["telegram"].detail == "getMe: @earful_test_bot"
    assert found["telegram webhook"].detail == f"{url} with its secret"
    assert (
        found["http server"].state == "ok"
        and "Slack HTTP mode and Telegram webhook" in found["http server"].detail
    )
    assert found["session store"].detail.startswith(f"SQLite {settings.sqlite_path}: open")
    assert found["story index"].state == "ok" and found["model"].state == "ok"
    assert found["llm"].state == "off"
    assert [c.method for c in slack.calls] == ["auth.test"] and "getMe" in tg.calls
    text = as_text(checks)
    assert len(text.splitlines()) == len(checks) + 1  # one line each, and the counts
    assert text.splitlines()[-1] == f"{len(checks) - 1} ok, 0 problem(s), 1 off"  # the LLM is off


async def test_refused_tokens_say_which_setting_fixes_them(
    platforms: tuple[SlackEmulator, TelegramEmulator], tmp_path: Path
) -> None:
    slack, tg = platforms
    settings = channel_settings(tmp_path, slack, tg, slack_bot_token="xoxb-revoked")
    no_telegram = settings.telegram.model_copy(update={"bot_token": None})
    found = by_name(await run_checks(settings.model_copy(update={"telegram": no_telegram})))
    assert found["slack"].state == "problem" and found["slack"].fatal
    assert found["slack"].detail == "auth.test refused the token: invalid_auth"
    assert "SLACK_BOT_TOKEN" in found["slack"].fix
    assert found["telegram"].state == "off"

    found = by_name(await run_checks(channel_settings(tmp_path, slack, tg, telegram_bot_token="123:wrong")))
    assert found["telegram"].state == "problem" and found["telegram"].fatal
    assert found["telegram"].detail == "getMe refused the token"
    assert found["telegram"].fix == "set TELEGRAM_BOT_TOKEN to the token @BotFather gave"
    unreachable = channel_settings(
        tmp_path, slack, tg, telegram_api_url=f"http://127.0.0.1:{free_port()}/bot"
    )
    found = by_name(await run_checks(unreachable))
    assert found["telegram"].detail.startswith("getMe: cannot reach http://127.0.0.1:")
    assert "EARFUL_TELEGRAM_API_URL" in found["telegram"].fix


async def test_a_port_in_use_and_inconsistent_webhooks(
    platforms: tuple[SlackEmulator, TelegramEmulator], tmp_path: Path
) -> None:
    slack, tg = platforms
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = channel_settings(tmp_path, slack, tg, http_port=port, telegram_webhook_secret="x")
        found = by_name(await run_checks(settings))
    assert found["http server"].detail == f"127.0.0.1:{port} is in use"
    assert "EARFUL_HTTP_PORT" in found["http server"].fix and found["http server"].fatal
    hook = found["telegram webhook"]
    assert hook.state == "problem" and not hook.fatal and "EARFUL_TELEGRAM_WEBHOOK_URL" in hook.fix

    cases = {
        "https://example.org/hooks/tg": "does not reach /telegram/webhook",
        "http://example.org/telegram/webhook": "HTTPS webhooks only",
    }
    for url, words in cases.items():
        hook = check_webhook(channel_settings(tmp_path, slack, tg, telegram_webhook_url=url))
        assert hook.state == "problem" and words in hook.detail, url
    # Several workers (on PostgreSQL) would each register a random secret of their own.
    several = channel_settings(
        tmp_path, slack, tg, telegram_webhook_url="https://bot.example.org/telegram/webhook"
    ).model_copy(update={"database_url": "postgresql://127.0.0.1:1/none"})
    assert check_webhook(several).fix == "set EARFUL_TELEGRAM_WEBHOOK_SECRET, the same on every worker"


async def test_oauth_and_socket_mode_settings(
    platforms: tuple[SlackEmulator, TelegramEmulator], tmp_path: Path
) -> None:
    slack, _ = platforms

    async def slack_check(**values: Any) -> Check:
        settings = settings_named(data_dir=tmp_path / "data", slack_api_url=slack.api_url, **values)
        return by_name(await run_checks(settings))["slack"]

    half = await slack_check(slack_client_id="1.2")
    assert half.state == "problem" and "SLACK_CLIENT_SECRET" in half.detail
    assert (await slack_check(slack_client_id="1.2", slack_client_secret="s")).state == "ok"
    assert "xapp-" in (await slack_check(slack_bot_token=TOKEN, slack_app_token="xoxb-not-an-app")).fix
    socket_mode = await slack_check(slack_bot_token=TOKEN, slack_app_token="xapp-1-A")
    assert socket_mode.state == "ok" and socket_mode.detail.startswith("Socket Mode; auth.test")
    no_secret = await slack_check(slack_bot_token=TOKEN)
    assert no_secret.detail == "HTTP mode needs SLACK_SIGNING_SECRET" and "SLACK_APP_TOKEN" in no_secret.fix


async def test_a_missing_extra_is_named_with_its_pip_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a base install: importing the PostgreSQL driver fails.
    for module in ("psycopg", "psycopg_pool"):
        monkeypatch.setitem(sys.modules, module, None)
    settings = Settings(data_dir=tmp_path / "data", database_url="postgresql://127.0.0.1:5432/test")
    found = by_name(await run_checks(settings))
    for name in ("extra postgres", "session store"):
        assert found[name].state == "problem" and found[name].fix == "pip install 'earful[postgres]'", name
    assert found["llm"].state == "off"
    with pytest.raises(MissingExtra, match=r"pip install 'earful\[postgres\]'"):
        await open_sessions(settings)
    from bot.slack import workspace_installs

    oauth = settings_named(
        data_dir=tmp_path / "data",
        database_url=settings.database_url,
        slack_client_id="1",
        slack_client_secret="s",
    )
    with pytest.raises(MissingExtra, match=r"pip install 'earful\[postgres\]'"):
        workspace_installs(oauth)


async def test_a_data_directory_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = Settings(data_dir=blocker / "data")
    found = by_name(await run_checks(settings))
    for name in ("data directory", "session store", "story index"):
        assert found[name].state == "problem" and "EARFUL_DATA_DIR" in found[name].fix, name
    assert fatal(list(found.values()))
    with pytest.raises(StoreUnavailable, match=r"cannot open the session store at .*EARFUL_DATA_DIR"):
        await open_sessions(settings)


def earful(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from bot.cli import main; main()", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


async def test_the_command_prints_json_and_run_refuses_a_fatal_problem_in_the_same_words(
    platforms: tuple[SlackEmulator, TelegramEmulator], tmp_path: Path
) -> None:
    _, tg = platforms
    env = {
        **os.environ,
        "EARFUL_DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": "123:not-this-bot",
        "EARFUL_TELEGRAM_API_URL": tg.api_url,
    }
    doctor = await asyncio.to_thread(earful, "doctor", "--json", env=env, cwd=tmp_path)
    assert doctor.returncode == 1
    report = json.loads(doctor.stdout)
    [telegram] = [c for c in report["checks"] if c["name"] == "telegram"]
    assert report["ok"] is False and telegram["state"] == "problem" and telegram["fatal"] is True
    line = Check(**telegram).line()
    assert line in (await asyncio.to_thread(earful, "doctor", env=env, cwd=tmp_path)).stdout

    refused = await asyncio.to_thread(earful, "run", env=env, cwd=tmp_path)
    assert refused.returncode == 1
    assert line in refused.stderr and "not starting" in refused.stderr
    assert "unexpected" not in refused.stderr and "Traceback" not in refused.stderr
    assert "getUpdates" not in tg.calls  # it never started polling

    well = {**env, "TELEGRAM_BOT_TOKEN": tg.token}
    assert (await asyncio.to_thread(earful, "doctor", env=well, cwd=tmp_path)).returncode == 0


def test_a_store_that_cannot_be_opened_is_not_unexpected(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {**os.environ, "EARFUL_DATA_DIR": str(blocker / "data")}
    searched = earful("stories", "month-end close", env=env, cwd=tmp_path)
    assert searched.returncode == 1
    assert searched.stderr.startswith("error: cannot open the session store at")
    assert "unexpected" not in searched.stderr
