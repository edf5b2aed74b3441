"""``earful invite`` prints a t.me link whose token is a stored invite of the team."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings
from bot.wiring import build_app


def test_invite_prints_a_telegram_link_for_a_stored_invite(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("EARFUL_TELEGRAM_BOT_USERNAME", "@earful_bot")
    result = CliRunner().invoke(
        app, ["invite", "--team", "T0123ABC", "--script", "discovery.es", "--note", "Ana"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert re.fullmatch(r"https://t\.me/earful_bot\?start=[\w-]+", link)

    async def stored() -> tuple[str, str | None, str]:
        async with build_app(Settings()) as built:
            invite = await built.invites.redeem(link.rsplit("=", 1)[1], "telegram", "1")
            return invite.team, invite.script_id, invite.note

    assert asyncio.run(stored()) == ("T0123ABC", "discovery.es", "Ana")


def test_invite_with_an_unknown_script_is_a_clear_error(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARFUL_TELEGRAM_BOT_USERNAME", "earful_bot")
    result = CliRunner().invoke(app, ["invite", "--team", "T1", "--script", "nope"])
    assert result.exit_code == 1
    assert "no interview script 'nope'" in result.output
