"""Who a Slack request may speak for (issue 18, finding 8): with one bot token, only that
token's workspace; guests search stories only when EARFUL_SLACK_ALLOW_GUESTS says so."""

from __future__ import annotations

import json
from pathlib import Path

from slack_harness import TEAM_A, TEAM_B, dm, posts_to, running_slack, seed_stories


async def test_one_token_serves_its_own_workspace_only(tmp_path: Path, isolated_env: Path) -> None:
    async with running_slack(tmp_path) as slack:
        await seed_stories(slack)  # B's story is in the store, under B
        forged = await slack.command("stories reconciling invoices", team=TEAM_B)
        assert forged.status_code == 403
        event = await slack.event(
            {"type": "app_mention", "channel": "CX", "user": "UX", "text": "<@UBOT> stories like invoices",
             "ts": "1700000300.000001"},
            team=TEAM_B,
        )  # fmt: skip
        assert event.status_code == 403
        own = await slack.command("stories reconciling invoices", team=TEAM_A)
        assert own.status_code == 200
        await slack.emulator.wait_for(lambda calls: bool(slack.emulator.of("respond")))
        [reply] = slack.emulator.of("respond")
        shown = json.dumps(reply.params)
        assert "two days" in shown and "suppliers" not in shown
        assert posts_to(slack, "CX") == []  # the forged mention was never answered


async def test_guests_cannot_search_unless_allowed(tmp_path: Path, isolated_env: Path) -> None:
    async with running_slack(tmp_path) as slack:
        slack.emulator.guests.update({"UGUEST": "multi", "USINGLE": "single"})
        await seed_stories(slack)
        for user in ("UGUEST", "USINGLE"):
            await slack.command("stories reconciling invoices", user=user)
            await dm(slack, user, "stories like reconciling invoices")
            [answer] = posts_to(slack, f"D{user}")
            assert "guest accounts can't search" in answer["text"] and "two days" not in json.dumps(answer)
        await slack.emulator.wait_for(lambda calls: len(slack.emulator.of("respond")) == 2)
        for refused in slack.emulator.of("respond"):
            assert "guest accounts can't search" in refused.params["text"]
            assert "two days" not in json.dumps(refused.params)
        await dm(slack, "UMEMBER", "stories like reconciling invoices")
        assert "two days" in json.dumps(posts_to(slack, "DUMEMBER")[0]["blocks"])
        checked = {call.params["user"] for call in slack.emulator.of("users.info")}
        assert checked == {"UGUEST", "USINGLE", "UMEMBER"}

    async with running_slack(tmp_path / "allowed", slack_allow_guests=True) as slack:
        slack.emulator.guests["UGUEST"] = "multi"
        await seed_stories(slack)
        await dm(slack, "UGUEST", "stories like reconciling invoices")
        assert "two days" in json.dumps(posts_to(slack, "DUGUEST")[0]["blocks"])
