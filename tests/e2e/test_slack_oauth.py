"""Multi-workspace mode: the OAuth install flow stores each workspace's bot token in the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from services import pg_schemas, pg_url
from slack_harness import running_slack

from core.models import Answer, Consent, Start
from core.service import Inbound

__all__ = ["pg_schemas", "pg_url"]  # fixtures


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> dict[str, str]:
    """Installs in the SQLite file, or in PostgreSQL when the sessions are there."""
    return {} if request.param == "sqlite" else {"database_url": request.getfixturevalue("pg_url")}


async def test_install_flow_then_the_workspace_is_served_with_its_own_token(
    tmp_path: Path, isolated_env: Path, database: dict[str, str]
) -> None:
    async with running_slack(
        tmp_path, slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh", **database
    ) as slack:
        page = await slack.http.get(f"{slack.url}/slack/install")
        assert page.status_code == 200
        state = re.search(r"state=([\w-]+)", page.text)
        assert state and "client_id=111.222" in page.text and "commands" in page.text
        done = await slack.http.get(
            f"{slack.url}/slack/oauth_redirect",
            params={"code": "abc", "state": state.group(1)},
            headers={"Cookie": f"slack-app-oauth-state={state.group(1)}"},
        )
        assert done.status_code == 200, done.text
        [exchange] = slack.emulator.of("oauth.v2.access")
        assert exchange.params["code"] == "abc"

        # The installed workspace TABC is served, with its own token.
        await slack.command("invite", team="TABC", channel="CABC")
        await slack.emulator.wait_for(lambda calls: bool(slack.emulator.of("respond")))
        link = re.search(r"start=([\w-]+)", slack.emulator.of("respond")[0].params["text"])
        assert link and {c.token for c in slack.emulator.of("auth.test")} == {"xoxb-tabc"}

        # Its finished interview is posted with that workspace's token.
        service = slack.app.service
        await service.handle(
            Inbound(channel="telegram", customer="9", event=Start(), invite_token=link.group(1))
        )
        outcome = await service.handle(Inbound(channel="telegram", customer="9", event=Consent(given=True)))
        for turn in range(40):
            if outcome.finished:
                break
            answer = Answer(text=f"Turn {turn}: the export broke so I used a spreadsheet, it cost 2 hours")
            outcome = await service.handle(Inbound(channel="telegram", customer="9", event=answer))
        await service.wait_background()
        posts = slack.emulator.of("chat.postMessage", channel="CABC")
        assert posts and {post.token for post in posts} == {"xoxb-tabc"}

        # A workspace that never installed Earful is not served.
        before = len(slack.emulator.of("respond"))
        response = await slack.command("help", team="TNOTINSTALLED")
        assert response.status_code in (200, 401)
        await slack.emulator.wait_for(lambda calls: len(slack.emulator.of("respond")) == before + 1)
        assert "isn't installed in this workspace" in slack.emulator.of("respond")[-1].params["text"]
        if database:  # the installation is in the shared database, not in a file of this worker's
            assert not (tmp_path / "data" / "earful.sqlite3").exists()
