"""The evidence filters end to end: ``earful stories --evidence --facet``, and ``evidence:`` /
``facet:`` in Slack and Telegram, on stories read by the real offline reader when indexed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_harness import TEAM_A, SlackHarness, answer_record, dm, literal_texts, posts_to, running_slack
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, running_bot
from typer.testing import CliRunner

from bot.cli import app

pytestmark = pytest.mark.usefixtures("isolated_env")

STORY = "Last Tuesday the supplier export failed and I retyped forty invoices into a spreadsheet by hand."
HABIT = "Every month I copy the supplier invoices into a spreadsheet and fix them by hand."
WISH = "I would love a tool that fixes supplier invoices for me."
QUERY = "supplier invoices in a spreadsheet"


def test_the_cli_filters_by_evidence_and_facet(tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "stories.jsonl"
    lines = [
        {"id": f"s{i}", "text": text, "customer": f"c{i}"} for i, text in enumerate((STORY, HABIT, WISH))
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert runner.invoke(app, ["import", str(source), "--team", "T1"]).exit_code == 0

    def texts(*args: str) -> list[str]:
        result = runner.invoke(app, ["stories", QUERY, "--team", "T1", "--json", *args])
        assert result.exit_code == 0, result.output
        return [hit["story"]["text"] for hit in json.loads(result.stdout)]

    assert sorted(texts()) == sorted([STORY, HABIT, WISH])
    assert texts("--evidence", "story") == [STORY]
    assert sorted(texts("--facet", "workaround")) == sorted([STORY, HABIT])
    assert texts("--evidence", "hypothetical", "--facet", "workaround") == []
    shown = runner.invoke(app, ["stories", QUERY, "--team", "T1", "--evidence", "story"])
    assert "a real time it happened" in shown.output
    bad = runner.invoke(app, ["stories", QUERY, "--evidence", "rumour"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def test_slack_reads_evidence_and_facet_beside_the_other_filters(slack: SlackHarness) -> None:
    await slack.app.sessions.add_answers(
        [answer_record(TEAM_A, f"e{i}", 1, text) for i, text in enumerate((STORY, HABIT, WISH))]
    )
    await slack.app.indexer.drain()
    await dm(slack, "UFOUNDER", f"stories like {QUERY} evidence:story facet:workaround section:frustration")
    found = posts_to(slack, "DUFOUNDER")[-1]
    assert literal_texts(found["blocks"]) == [STORY]
    assert "evidence:story" in found["text"] and "a real time it happened" in json.dumps(found["blocks"])
    await dm(slack, "UFOUNDER", f"stories like {QUERY} facet:workaround")
    assert sorted(literal_texts(posts_to(slack, "DUFOUNDER")[-1]["blocks"])) == sorted([STORY, HABIT])
    await dm(slack, "UFOUNDER", f"stories like {QUERY} evidence:rumour")
    assert "evidence:" in posts_to(slack, "DUFOUNDER")[-1]["text"]  # says how to write the filter


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_telegram_team_members_filter_stories_by_evidence(tg: TelegramEmulator, tmp_path: Path) -> None:
    founder = 9001
    async with running_bot(tg, tmp_path / "data", team_users={founder: "T1"}) as bot:
        await bot.app.sessions.add_answers(
            [answer_record("T1", f"e{i}", 1, text) for i, text in enumerate((STORY, HABIT, WISH))]
        )
        await bot.app.indexer.drain()
        boss = Customer(tg, founder)
        boss.say(f"/stories {QUERY} evidence:story")
        result = await boss.expect("Customer-")
        assert "forty invoices" in result.text and "a real time it happened" in result.text
        assert "Every month" not in result.text and "would love" not in result.text
        boss.say(f"/stories {QUERY} facet:workaround")
        both = await boss.expect("Customer-")
        assert "forty invoices" in both.text and "Every month" in both.text and "would love" not in both.text
        boss.say(f"/stories {QUERY} facet:moods")
        await boss.expect("facet:moods")
        assert not tg.rejected, tg.rejected
