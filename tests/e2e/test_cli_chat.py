"""End to end: a whole terminal interview through the real command, killed mid-way,
resumed, and then found with ``earful stories``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_driver import ChatProcess, run_earful

pytestmark = pytest.mark.slow

# Concrete, past-tense answers (few probes); each carries a word we search for later.
ANSWERS = [
    "I run finance operations at a logistics company, mostly reconciling payments.",
    "Closing the books at month end without working every weekend.",
    "Matching carrier invoices to shipments by hand is the hardest part, it takes forever.",
    "Last March a carrier billed us twice for the same container and nobody noticed for weeks.",
    "I exported everything to a spreadsheet and compared line by line with my colleague.",
    "It cost us about 4000 dollars and two full days of my time.",
]


def _answer_for(turn: int) -> str:
    return ANSWERS[turn] if turn < len(ANSWERS) else f"Answer number {turn} about invoices and carriers."


async def test_chat_killed_midway_resumes_and_stories_finds_answers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat = await ChatProcess.start(data, "--customer", "dana", "--team", "T0TEST")
    lines = await chat.read_turn()
    assert any("Is that OK" in line for line in lines), lines
    await chat.say("yes")
    asked = await chat.read_turn()
    typed: list[str] = []
    # Answer four prompts, each acknowledged by the next prompt (so it is committed), then kill.
    for turn in range(4):
        typed.append(_answer_for(turn))
        await chat.say(typed[-1])
        asked = await chat.read_turn()
    question_before_kill = asked[-1]
    chat.kill()
    await chat.process.wait()

    resumed = await ChatProcess.start(data, "--customer", "dana", "--team", "T0TEST")
    lines = await resumed.read_turn()
    assert any(line.startswith("Welcome back") for line in lines), lines
    assert lines[-1] == question_before_kill
    for turn in range(4, 40):
        typed.append(_answer_for(turn))
        await resumed.say(typed[-1])
        lines = await resumed.read_turn()
        if any("Thank you so much" in line for line in lines):
            break
    else:
        pytest.fail("the interview never finished")
    code, _, _ = await resumed.finish()
    assert code == 0

    with sqlite3.connect(data / "earful.sqlite3") as db:
        stored = [
            row[0] for row in db.execute("SELECT json_extract(record, '$.text') FROM answers ORDER BY turn")
        ]
    assert stored == typed  # nothing lost, nothing twice, in order, as typed

    code, out, err = await run_earful(
        data, "stories", "carrier billed twice for a container", "--team", "T0TEST", "--json"
    )
    assert code == 0, err
    hits = json.loads(out)
    assert hits[0]["story"]["text"] == ANSWERS[3]
    assert hits[0]["story"]["customer"].startswith("Customer-")
    assert "dana" not in out  # search shows pseudonyms, never the raw identity

    code, out, _ = await run_earful(data, "stories", "carrier billed twice", "--team", "OTHER")
    assert code == 0 and "No stories found" in out


async def test_end_of_input_pauses_and_declining_stores_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, err = await run_earful(data, "chat", "--customer", "eve", stdin="yes\nI design bridges.\n")
    assert code == 0
    assert "Paused" in out and "earful chat --customer eve" in err

    code, out, _ = await run_earful(data, "chat", "--customer", "finn", stdin="no\n")
    assert code == 0 and "nothing of yours has been recorded" in out
    with sqlite3.connect(data / "earful.sqlite3") as db:
        texts = [row[0] for row in db.execute("SELECT json_extract(record, '$.text') FROM answers")]
    assert texts == ["I design bridges."]


async def test_run_without_tokens_starts_the_terminal_interview(tmp_path: Path) -> None:
    code, out, _ = await run_earful(tmp_path / "data", "run", stdin="")
    assert code == 0
    assert out.splitlines()[0].startswith("No chat token set")
    assert "Is that OK" in out
