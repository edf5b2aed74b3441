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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from fakes import HashingEmbedder, pseudonym
from settings_by_name import settings_named
from slack_emulator import SlackEmulator
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.signature import SignatureVerifier

from adapters.slack.channel import SlackChannel
from adapters.slack.factory import BOT_SCOPES
from bot.http import build_http_app, http_server
from bot.slack import slack_channel
from bot.wiring import App, build_app
from core.models import AnswerRecord
from core.summary import Summariser

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
TEAM_A = "T0123ABC"
TEAM_B = "T0999XYZ"
TOKEN_B = "xoxb-test-token-b"


def signed_headers(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request-signing headers for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def command_form(
    emulator: SlackEmulator,
    text: str,
    *,
    team: str = TEAM_A,
    channel: str = "CTEAM",
    user: str = "UFOUNDER",
    ids: itertools.count[int] | None = None,
) -> dict[str, str]:
    """The form Slack posts for ``/earful TEXT`` (its ``response_url`` on the emulator)."""
    ids = ids or itertools.count(1)
    return {
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
        "response_url": emulator.response_url(str(next(ids))),
        "trigger_id": f"trigger-{next(ids)}",
    }


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
        form = command_form(self.emulator, text, team=team, channel=channel, user=user, ids=self._ids)
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
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """A signed ``block_actions`` payload: a button pressed (on the message ``message_ts``
        when given, or in the modal ``view``)."""
        payload: dict[str, Any] = {
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
        if message_ts is not None:
            payload["container"]["message_ts"] = message_ts
            payload["message"] = {"type": "message", "ts": message_ts, "text": ""}
        if view is not None:  # a button inside a modal: Slack sends the view, and no channel
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
            payload["view"] = view
            del payload["channel"]
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


async def _started(server: Any) -> None:
    # uvicorn has no "started" event to await; its flag flips once the socket listens.
    while not server.started:
        await asyncio.sleep(0.01)


async def install(channel: SlackChannel, team: str, token: str) -> None:
    """Record ``team`` as installed with bot ``token`` (what the OAuth flow stores)."""
    assert channel.installations is not None
    await channel.installations.async_save(
        Installation(app_id="A1", team_id=team, bot_token=token, bot_id="BBOT", bot_user_id="UBOT",
                     user_id="UINSTALLER", bot_scopes=",".join(BOT_SCOPES))
    )  # fmt: skip


@asynccontextmanager
async def running_slack(
    tmp: Path,
    *,
    real_embedder: bool = False,
    summariser: Summariser | None = None,
    two_workspaces: bool = False,
    voice: bool = True,
    **settings: Any,
) -> AsyncIterator[SlackHarness]:
    """Earful's Slack channel in HTTP mode behind ``bot.http`` on a free port of 127.0.0.1
    (with the hashing test embedder unless ``real_embedder``: the packaged MiniLM).

    One bot token serves one workspace (TEAM_A); ``two_workspaces`` runs in OAuth mode with
    TEAM_A and TEAM_B installed, for tests of what one workspace may see of another's. Audio clips
    in DM interviews are heard (the 'voice' extra's model) unless ``voice`` is false."""
    emulator = SlackEmulator(team_for_token={TOKEN: TEAM_A, TOKEN_B: TEAM_B})
    await emulator.start()
    values: dict[str, Any] = {
        "data_dir": tmp / "data",
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": emulator.api_url,
        "telegram_bot_username": "earful_test_bot",
        "slack_post_interval": 0.0,
    }
    if two_workspaces:
        values.update(slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh")
    config = settings_named(**{**values, **settings})
    try:
        async with build_app(config, embedder=None if real_embedder else HashingEmbedder()) as app:
            if summariser is not None:  # as if EARFUL_LLM had chosen one
                app.summariser = summariser
            if not voice:  # as without the 'voice' extra
                app.voice = None
            channel = slack_channel(config, app)
            if two_workspaces:
                await install(channel, TEAM_A, TOKEN)
                await install(channel, TEAM_B, TOKEN_B)
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


# --- what tests seed and look for -------------------------------------------------------


def answer_record(
    team: str, interview: str, turn: int, text: str, section: str = "frustration"
) -> AnswerRecord:
    """An imported-looking answer of ``team`` (March 2026, day ``turn``)."""
    customer = f"cust-{interview}"
    return AnswerRecord(
        id=f"{interview}-{turn:04d}",
        interview_id=interview,
        team=team,
        customer=customer,
        pseudonym=pseudonym(team, "import", customer),
        channel="import",
        question_id=f"q{turn}",
        question="What is the hardest part of closing the books each month?",
        section=section,
        text=text,
        turn=turn,
        created_at=datetime(2026, 3, turn, tzinfo=UTC),
    )


async def seed_stories(slack: SlackHarness) -> None:
    """Three answers of workspace A (two customers) and one of B, indexed."""
    await slack.app.sessions.add_answers(
        [
            answer_record(TEAM_A, "a1", 1, "Reconciling invoices by hand takes me two days every month"),
            answer_record(
                TEAM_A,
                "a1",
                2,
                "I export invoices to a spreadsheet and match them line by line",
                "workaround",
            ),
            answer_record(
                TEAM_A, "a2", 1, "Our invoices arrive as PDFs and nobody can search them <!channel>"
            ),
            answer_record(
                TEAM_B, "b1", 1, "Invoices from suppliers are always late and reconciling them hurts"
            ),
        ]
    )
    await slack.app.indexer.drain()


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every string inside ``blocks`` (to look for words wherever Slack would show them)."""
    return json.dumps(blocks, ensure_ascii=False)


def literal_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The verbatim texts of the rich-text quotes in ``blocks``."""
    return [
        element["text"]
        for block in blocks
        if block["type"] == "rich_text"
        for quote in block["elements"]
        for element in quote["elements"]
    ]


def mrkdwn_fields(blocks: list[dict[str, Any]]) -> list[str]:
    """Every field of ``blocks`` that Slack parses as mrkdwn."""
    found = []
    for block in blocks:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        if block["type"] == "context":
            found += [element["text"] for element in block["elements"]]
    return found


def posts_to(slack: SlackHarness, channel: str) -> list[dict[str, Any]]:
    """What was posted to ``channel`` (chat.postMessage params), in order."""
    return [call.params for call in slack.emulator.of("chat.postMessage", channel=channel)]


async def dm(slack: SlackHarness, user: str, text: str) -> None:
    """``user`` writes ``text`` in their DM with Earful; returns once Earful has answered."""
    seen = len(posts_to(slack, f"D{user}"))
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"1700000200.{seen:06d}",
        }
    )
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, f"D{user}")) > seen)
