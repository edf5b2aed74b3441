"""The real Bolt app in HTTP mode, through Earful's HTTP server, with signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_harness import SlackHarness, running_slack


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    response = await slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


async def test_a_bad_signature_and_a_stale_timestamp_are_rejected(slack: SlackHarness) -> None:
    bad = await slack.command("help", secret="not-the-secret")
    stale = await slack.command("help", timestamp=int(time.time()) - 10 * 60)
    assert (bad.status_code, stale.status_code) == (401, 401)
    assert slack.emulator.of("respond") == []


async def test_help_is_acknowledged_then_answered_ephemerally(slack: SlackHarness) -> None:
    response = await slack.command("help")
    assert response.status_code == 200
    [call] = [
        c
        for c in await slack.emulator.wait_for(lambda calls: any(c.method == "respond" for c in calls))
        if c.method == "respond"
    ]
    assert call.params["response_type"] == "ephemeral"
    assert "/earful invite" in call.params["text"]
