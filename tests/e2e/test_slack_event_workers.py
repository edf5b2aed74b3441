"""Two Earful workers on one PostgreSQL behind `POST /slack/events`: a DM answer's event,
delivered three times (Slack's retries) to both workers at once, is answered and stored once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from services import pg_schemas, pg_url
from slack_harness import SlackHarness, posts_to, running_slack

pytestmark = pytest.mark.usefixtures("isolated_env")
__all__ = ["pg_schemas", "pg_url"]  # fixtures


def dm_posts(workers: list[SlackHarness]) -> int:
    return sum(len(posts_to(w, "DU777")) for w in workers)


async def posted_more_than(workers: list[SlackHarness], count: int) -> None:
    """Wait (bounded) until the workers together have posted more than ``count`` DMs."""
    waits = [
        asyncio.ensure_future(w.emulator.wait_for(lambda _: dm_posts(workers) > count, timeout=30))
        for w in workers
    ]
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    for task in done:
        task.result()


async def test_a_dm_event_retried_to_two_workers_is_stored_and_answered_once(
    tmp_path: Path, pg_url: str
) -> None:
    async with (
        running_slack(tmp_path / "w0", database_url=pg_url) as first,
        running_slack(tmp_path / "w1", database_url=pg_url) as second,
    ):
        workers = [first, second]
        await first.command("interview <@U777|ann>")
        await first.emulator.wait_for(lambda _: len(posts_to(first, "DU777")) == 2)
        [buttons] = [b for b in posts_to(first, "DU777")[1]["blocks"] if b["type"] == "actions"]
        await first.action(buttons["elements"][0]["action_id"], "consent:yes", user="U777", channel="DU777")
        await posted_more_than(workers, 2)
        texts = [
            f"Last Tuesday, turn {n}, the export broke so I used a spreadsheet for three hours"
            for n in range(3)
        ]
        for n, text in enumerate(texts):
            before = dm_posts(workers)
            event = {
                "type": "message",
                "channel_type": "im",
                "channel": "DU777",
                "user": "U777",
                "text": text,
                "ts": f"1700000200.{n:06d}",
            }
            responses = await asyncio.gather(
                first.event(event, event_id=f"EvDUP{n}"),
                second.event(event, event_id=f"EvDUP{n}", retry=1),
                first.event(event, event_id=f"EvDUP{n}", retry=2),
            )
            assert all(r.status_code == 200 for r in responses)
            await posted_more_than(workers, before)
        for worker in workers:
            await worker.app.service.wait_background()
        stored = await second.app.sessions.answers(customer="U777")
        assert [a.text for a in stored] == texts
        # One consent prompt, one greeting, the first question, then one question per answer.
        assert dm_posts(workers) == 3 + len(texts)
