"""``earful import --team T0123ABC`` makes stories searchable from that Slack workspace only."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from slack_harness import TEAM_A, TEAM_B, running_slack
from typer.testing import CliRunner

from bot.cli import app as cli


async def test_imported_stories_are_found_from_their_workspace_only(
    tmp_path: Path, isolated_env: Path
) -> None:
    stories = tmp_path / "stories.jsonl"
    lines = [
        {"id": "s1", "customer": "acme", "text": "Month-end close takes us four days of copying invoices"},
        {"id": "s2", "customer": "globex", "text": "Our warehouse scanners drop the wifi every afternoon"},
    ]
    stories.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    # The same data directory the app below uses (isolated_env points EARFUL_DATA_DIR at it).
    # The command runs its own event loop, so it runs on a thread of its own here.
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["import", str(stories), "--team", TEAM_A])
    assert result.exit_code == 0, result.output
    assert "imported 2 new stories" in result.output

    async with running_slack(
        tmp_path, real_embedder=True, two_workspaces=True, data_dir=isolated_env / "data"
    ) as slack:
        await slack.command("stories closing the books is slow", team=TEAM_A)
        await slack.command("stories closing the books is slow", team=TEAM_B)
        await slack.emulator.wait_for(lambda calls: len(slack.emulator.of("respond")) == 2, timeout=30)
        by_path = {call.path: call.params for call in slack.emulator.of("respond")}
        answers = [by_path[path] for path in sorted(by_path)]
        assert "four days of copying invoices" in json.dumps(answers[0]["blocks"])
        assert "No stories like" in answers[1]["text"]
