"""One contract for Slack's OAuth store as wiring picks it: on SQLite, or on PostgreSQL shared
by every worker (two store objects on one database stand for two workers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from settings_by_name import settings_named
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.sql.database import PostgresDatabase
from adapters.sql.slack_installs import SqlSlackInstalls
from bot.slack import workspace_installs


@pytest.fixture(params=["sqlite", "postgres"])
async def workers(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    """Two workers' installation stores on the same database."""
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    settings = settings_named(
        data_dir=tmp_path / "data", database_url=url, slack_client_id="1.2", slack_client_secret="s"
    )
    first, second = workspace_installs(settings), workspace_installs(settings)
    yield first, second
    for store in (first, second):
        assert store is not None
        await store.close()


def installation(team: str, user: str, token: str) -> Installation:
    return Installation(
        app_id="A1", team_id=team, user_id=user, bot_token=token, bot_id="B1", bot_user_id="UB1"
    )


async def test_a_workspace_installed_through_one_worker_is_served_by_the_other(workers: Any) -> None:
    one, other = workers
    await one.async_save(installation("TABC", "U1", "xoxb-abc"))
    bot = await other.async_find_bot(enterprise_id=None, team_id="TABC")
    assert bot is not None and bot.bot_token == "xoxb-abc"
    by_user = await other.async_find_installation(enterprise_id=None, team_id="TABC", user_id="U1")
    assert by_user is not None and by_user.user_id == "U1"
    assert await other.async_find_bot(enterprise_id=None, team_id="TOTHER") is None

    await one.async_save(installation("TABC", "U2", "xoxb-new"))  # reinstalled by someone else
    bot = await other.async_find_bot(enterprise_id=None, team_id="TABC")
    assert bot is not None and bot.bot_token == "xoxb-new"

    await other.async_delete_installation(enterprise_id=None, team_id="TABC")
    assert await one.async_find_bot(enterprise_id=None, team_id="TABC") is None


async def test_an_oauth_state_is_good_once_on_any_worker(workers: Any) -> None:
    first, second = workers
    issued = await first.async_issue()
    assert await second.async_consume(issued) is True
    assert await first.async_consume(issued) is False
    assert await second.async_consume("never-issued") is False


async def test_an_expired_oauth_state_is_refused(workers: Any) -> None:
    first, second = workers
    first.state_seconds = 0
    issued = await first.async_issue()
    await asyncio.sleep(0.01)
    assert await second.async_consume(issued) is False


async def test_the_store_migrates_an_empty_postgres_schema_itself(pg_url: str) -> None:
    store = SqlSlackInstalls(PostgresDatabase(pg_url))
    try:
        await store.async_save(installation("TNEW", "U1", "xoxb-new"))
        assert await store.async_find_bot(enterprise_id=None, team_id="TNEW") is not None
    finally:
        await store.close()
