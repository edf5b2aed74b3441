"""Stored customer text cannot act where Earful shows it (issue 18, finding 7): no terminal
escape sequence reaches what ``earful stories``, ``summary``, ``persona``, ``themes`` and
``export`` print, and no exported CSV cell starts a formula."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app as cli
from bot.settings import Settings
from bot.wiring import build_app
from core.models import Answer, Consent, Start
from core.service import Inbound

TEAM = "T1"
TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
C1_CSI = "\x9b31m"  # the one-byte form of ESC [
ANSWERS = [
    "I run operations at a bakery chain with four shops and I look after the suppliers.",
    f"{TITLE}Matching supplier invoices by hand is a nightmare every single week.{CLEAR}",
    f'=HYPERLINK("http://evil.example","invoice") Last Tuesday the export failed and I retyped {C1_CSI}'
    "forty invoices by hand, three hours.",
    "+1 I built a spreadsheet with lookup formulas and check each delivery note against it.",
    "-2 It costs me about 6 hours a week, and last month a 200 euro late fee.",
    "@everyone my friend at the cafe has the same mess.",
]
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d")


async def interview(data_dir: Path) -> str:
    """One finished interview whose answers carry escape sequences and formula starts."""
    async with build_app(Settings(data_dir=data_dir)) as app:
        service = app.service
        customer = "baker-1"
        await service.handle(Inbound(channel="console", customer=customer, event=Start(), team=TEAM))
        outcome = await service.handle(
            Inbound(channel="console", customer=customer, event=Consent(given=True), team=TEAM)
        )
        for turn in range(40):
            if outcome.finished:
                break
            text = ANSWERS[turn % len(ANSWERS)] if turn < len(ANSWERS) else "Nothing else, that's all of it."
            outcome = await service.handle(
                Inbound(channel="console", customer=customer, event=Answer(text=text), team=TEAM)
            )
        await service.wait_background()
        await app.indexer.drain()
        assert outcome.state is not None
        return outcome.state.interview_id


def earful(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


async def test_printed_and_exported_text_cannot_act(isolated_env: Path) -> None:
    interview_id = await interview(isolated_env / "data")
    shown = {
        "stories": await asyncio.to_thread(
            earful, "stories", "a nightmare matching supplier invoices by hand every week", "--team", TEAM
        ),
        "stories --json": await asyncio.to_thread(
            earful,
            "stories",
            "a nightmare matching supplier invoices by hand every week",
            "--team",
            TEAM,
            "--json",
        ),
        "summary": await asyncio.to_thread(earful, "summary", interview_id),
        "persona": await asyncio.to_thread(earful, "persona", interview_id),
        "persona --json": await asyncio.to_thread(earful, "persona", interview_id, "--json"),
        "export markdown": await asyncio.to_thread(earful, "export", "--team", TEAM),
        "export jsonl": await asyncio.to_thread(earful, "export", "--format", "jsonl", "--team", TEAM),
        "export csv": await asyncio.to_thread(earful, "export", "--format", "csv", "--team", TEAM),
    }
    for command, output in shown.items():
        assert not any(char in output for char in RAW), command
    assert "Matching supplier invoices by hand is a nightmare" in shown["stories"]
    assert "pwned" not in shown["stories"]  # the whole sequence went, not only its ESC
    # JSON keeps the data exactly: the sequences are escaped, not dropped.
    exported = [json.loads(line) for line in shown["export jsonl"].splitlines()]
    texts = [answer["text"] for item in exported for answer in item["answers"]]
    assert ANSWERS[1] in texts and ANSWERS[2] in texts
    found = json.loads(shown["stories --json"])
    assert any(TITLE in hit["story"]["text"] for hit in found)
    # CSV: no cell starts a formula, and the words are all there.
    rows = list(csv.DictReader(io.StringIO(shown["export csv"])))
    cells = [value for row in rows for value in row.values() if value]
    assert cells and not [cell for cell in cells if cell.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r")]
    answers = [row["text"] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","invoice") Last Tuesday' in answers[2]
    assert {answers[3][:3], answers[4][:3], answers[5][:3]} == {"'+1", "'-2", "'@e"}
