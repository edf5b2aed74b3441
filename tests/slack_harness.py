"""Runs the real Earful Slack app (Bolt, HTTP mode) on 127.0.0.1 and talks to it as Slack does.

Requests are signed for real (v0 signatures); the app's Web API calls go to
:class:`SlackEmulator`. Used by the end-to-end tests and ``bench/slack_ack.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from fakes import HashingEmbedder
from slack_emulator import SlackEmulator
from slack_sdk.signature import SignatureVerifier

from adapters.slack.channel import SlackChannel
from bot.http import build_http_app, http_server
from bot.settings import Settings
from bot.slack import slack_channel
from bot.wiring import App, build_app

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
TEAM_A = "T0123ABC"
TEAM_B = "T0999XYZ"


def signed_headers(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request-signing headers for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


@dataclass
class SlackHarness:
    """The running app (``app``, ``channel``), the emulator, and a client posting to it."""

    app: App
    channel: SlackChannel
    emulator: SlackEmulator
    http: httpx.AsyncClient
    url: str

    _ids = itertools.count(1)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {"Content-Type": content_type, **signed_headers(body, secret, timestamp), **(extra or {})}
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=headers)

    async def command(
        self, text: str, *, team: str = TEAM_A, channel: str = "CTEAM", user: str = "UFOUNDER", **kw: Any
    ) -> httpx.Response:
        """A signed ``/earful`` slash command."""
        form = {
            "token": "legacy",
            "team_id": team,
            "team_domain": "earful",
            "channel_id": channel,
            "channel_name": "discovery",
            "user_id": user,
            "user_name": "founder",
            "command": "/earful",
            "text": text,
            "api_app_id": "A1",
            "response_url": self.emulator.response_url(str(next(self._ids))),
            "trigger_id": f"trigger-{next(self._ids)}",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def event(
        self,
        event: dict[str, Any],
        *,
        team: str = TEAM_A,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> httpx.Response:
        """A signed Events API delivery (``retry`` sets ``X-Slack-Retry-Num``)."""
        body = {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(json.dumps(body), "application/json", extra=extra)

    async def action(
        self,
        action_id: str,
        value: str,
        *,
        team: str = TEAM_A,
        user: str = "UFOUNDER",
        channel: str = "CTEAM",
    ) -> httpx.Response:
        """A signed ``block_actions`` payload: a button pressed."""
        payload = {
            "type": "block_actions",
            "team": {"id": team, "domain": "earful"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": f"trigger-{next(self._ids)}",
            "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel},
            "response_url": self.emulator.response_url(str(next(self._ids))),
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
        }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


async def _started(server: Any) -> None:
    # uvicorn has no "started" event to await; its flag flips once the socket listens.
    while not server.started:
        await asyncio.sleep(0.01)


@asynccontextmanager
async def running_slack(
    tmp: Path, *, real_embedder: bool = False, **settings: Any
) -> AsyncIterator[SlackHarness]:
    """Earful's Slack channel in HTTP mode behind ``bot.http`` on a free port of 127.0.0.1
    (with the hashing test embedder unless ``real_embedder``: the packaged MiniLM)."""
    emulator = SlackEmulator(team_for_token={TOKEN: TEAM_A})
    await emulator.start()
    values: dict[str, Any] = {
        "data_dir": tmp / "data",
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": emulator.api_url,
        "telegram_bot_username": "earful_test_bot",
        "slack_post_interval": 0.0,
    }
    config = Settings(**{**values, **settings})
    try:
        async with build_app(config, embedder=None if real_embedder else HashingEmbedder()) as app:
            channel = slack_channel(config, app)
            server = http_server(build_http_app(channel.routes()), "127.0.0.1", 0)
            serving = asyncio.create_task(server.serve())
            await asyncio.wait_for(_started(server), 10)
            port = server.servers[0].sockets[0].getsockname()[1]
            try:
                async with httpx.AsyncClient(timeout=10) as http:
                    yield SlackHarness(app, channel, emulator, http, f"http://127.0.0.1:{port}")
            finally:
                server.should_exit = True
                await asyncio.wait_for(serving, 10)
                await channel.stop()
                await app.service.wait_background()
    finally:
        await emulator.stop()
