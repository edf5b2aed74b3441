"""``earful run`` with Slack in HTTP mode: one server with ``POST /slack/events`` and ``GET /healthz``."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import httpx
import pytest
from settings_by_name import settings_named
from slack_emulator import SlackEmulator
from slack_harness import SECRET, TEAM_A, TOKEN, signed_headers

from bot.runner import configured_channels, serve_channels
from bot.wiring import build_app
from core.errors import InputError


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _until_healthy(http: httpx.AsyncClient, url: str) -> httpx.Response:
    # The server gives no signal to await from outside; ask until it answers (bounded by the caller).
    while True:
        try:
            return await http.get(url)
        except httpx.TransportError:
            await asyncio.sleep(0.05)


async def test_earful_run_serves_slack_events_and_healthz(tmp_path: Path, isolated_env: Path) -> None:
    emulator = SlackEmulator(team_for_token={TOKEN: TEAM_A})
    await emulator.start()
    port = _free_port()
    settings = settings_named(
        data_dir=tmp_path / "data",
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=emulator.api_url,
        http_port=port,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve_channels(settings, stop))
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            health = await asyncio.wait_for(_until_healthy(http, f"http://127.0.0.1:{port}/healthz"), 60)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            body = json.dumps({"type": "url_verification", "challenge": "run-1", "token": "x"})
            headers = {"Content-Type": "application/json", **signed_headers(body)}
            answer = await http.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers)
            assert answer.json() == {"challenge": "run-1"}
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await emulator.stop()


async def test_the_slack_channel_is_configured_by_its_settings(tmp_path: Path, isolated_env: Path) -> None:
    base = {"data_dir": tmp_path / "data", "slack_signing_secret": SECRET}
    cases = {
        "http": (settings_named(**base, slack_bot_token=TOKEN), ["/slack/events"]),
        "oauth": (
            settings_named(**base, slack_client_id="1.2", slack_client_secret="s"),
            ["/slack/events", "/slack/install", "/slack/oauth_redirect"],
        ),
        "socket": (settings_named(**base, slack_bot_token=TOKEN, slack_app_token="xapp-1"), []),
    }
    for name, (settings, paths) in cases.items():
        async with build_app(settings) as app:
            [channel] = configured_channels(settings, app)
            assert [getattr(route, "path", "") for route in channel.routes()] == paths, name
            await channel.stop()
    async with build_app(settings_named(**base)) as app:
        assert configured_channels(settings_named(**base), app) == []
        no_secret = settings_named(data_dir=tmp_path / "data", slack_bot_token=TOKEN)
        with pytest.raises(InputError, match="SLACK_SIGNING_SECRET"):
            configured_channels(no_secret, app)
