"""Fifty customers at once with no crossed answers, and a killed process that resumes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import SHORT, Customer, running_bot

from prompts import default_catalog

pytestmark = pytest.mark.usefixtures("isolated_env")
TEAM = "T0123ABC"


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_fifty_customers_at_once_get_no_crossed_answers(tg: TelegramEmulator, tmp_path: Path) -> None:
    catalog = default_catalog(extra_scripts=[SHORT])
    async with running_bot(tg, tmp_path / "data", catalog=catalog) as bot:

        async def interview(number: int) -> None:
            customer = Customer(tg, 10_000 + number)
            invite = await bot.app.invites.create(TEAM, script_id="short.en")
            customer.say(f"/start {invite.token}")
            customer.press(await customer.expect("Is that OK", timeout=60), "consent:yes")
            for question in ("hardest part", "What did you do", "What did that cost"):
                await customer.expect(question, timeout=60)
                # A plain story: an aside (a question, off topic) would be answered first.
                customer.say(f"customer {number} says: last week I matched forty invoices by hand at work.")
            end = await customer.expect("Thank you so much|Did I get that right", timeout=60)
            if "Did I get that right" in end.text:  # the recap of what they told, when it holds any
                customer.press(end, "recap:yes")
                await customer.expect("Thank you so much", timeout=60)
            await customer.expect("Forward them this link", timeout=60)

        started = time.perf_counter()
        await asyncio.gather(*(interview(n) for n in range(50)))
        elapsed = time.perf_counter() - started
        print(f"\n50 concurrent Telegram interviews (3 questions each): {elapsed:.2f} s")
        for number in range(50):
            stored = await bot.app.sessions.answers(customer=str(10_000 + number))
            assert [a.question_id for a in stored] == ["q1", "q2", "q3"]
            assert all(a.text.startswith(f"customer {number} says:") for a in stored)
            texts = tg.messages(10_000 + number)
            assert sum("Forward them this link" in m.text for m in texts) == 1
        assert not tg.rejected, tg.rejected


def earful(*args: str) -> list[str]:
    """The ``earful`` command, run with this interpreter."""
    return [sys.executable, "-c", "from bot.cli import main; main()", *args]


async def test_killed_process_resumes_at_the_same_question(tg: TelegramEmulator, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "EARFUL_TELEGRAM_API_URL": tg.api_url,
        "EARFUL_DATA_DIR": str(tmp_path / "data"),
    }
    invite = await asyncio.create_subprocess_exec(
        *earful("invite", "--team", TEAM, "--note", "crash test"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(invite.communicate(), 60)
    assert invite.returncode == 0, err.decode()
    link = out.decode().strip()
    assert re.fullmatch(r"https://t\.me/earful_test_bot\?start=[\w-]+", link), link
    token = link.rsplit("=", 1)[1]

    async def start_bot(merge_window: float) -> asyncio.subprocess.Process:
        process_env = {**env, "EARFUL_TELEGRAM_MERGE_WINDOW": str(merge_window)}
        return await asyncio.create_subprocess_exec(
            *earful("run"), env=process_env, stderr=asyncio.subprocess.PIPE
        )

    async def kill(process: asyncio.subprocess.Process) -> None:
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), 30)
        assert process.returncode == -signal.SIGKILL

    questions = [q for _, q in default_catalog().script("discovery.en").questions()]
    followup = (questions[2].followup or "{quote}").split("{quote}")[-1]
    hardest = f"^(?:{re.escape(questions[2].text)}|You said .*{re.escape(followup)})$"
    mia = Customer(tg, 701)
    # 1. Two answers, then the process is killed while the third question waits.
    first = await start_bot(0.1)
    try:
        mia.say(f"/start {token}")
        mia.press(await mia.expect("Is that OK", timeout=60), "consent:yes")
        await mia.expect_text(questions[0].text)
        mia.say("role: I run the finance desk at a small logistics company with four colleagues.")
        await mia.expect_text(questions[1].text)
        mia.say("context: closing the books every month for our three warehouses.")
        # The third question, as written or (when the context told a problem) quoting it.
        asked = await mia.expect(hardest)
    finally:
        await kill(first)
    # 2. A new process resumes at the same question; it is killed again while the next
    # answer waits in its (long) merge window.
    second = await start_bot(60)
    try:
        mia.say("/resume")
        await mia.expect("Welcome back", timeout=60)
        resumed = await mia.expect(".")
        assert resumed.text == asked.text
        mia.say("hardest: reconciling the ledgers of our three warehouses at the end of each month.")
        tg.send_sticker(mia.user)  # handled after the text part: once answered, the part is held
        # ("please answer with text or a voice note" when the 'voice' extra is installed)
        await mia.expect("Please (type your answer as text|answer with text or a voice note)")
        assert not any(questions[3].text in text for text in mia.seen())
    finally:
        await kill(second)
    with sqlite3.connect(tmp_path / "data" / "earful.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM held_parts").fetchone() == (1,)
    # 3. The next process delivers the held part as the answer and asks what follows it (a
    # probe or the next question, as the reading of the answer decides).
    third = await start_bot(0.1)
    try:
        await mia.expect(r"\?", timeout=60)
    finally:
        third.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(third.communicate(), 30)
    assert third.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()
    with sqlite3.connect(tmp_path / "data" / "earful.sqlite3") as db:
        rows = db.execute("SELECT record FROM answers ORDER BY turn").fetchall()
        assert db.execute("SELECT count(*) FROM held_parts").fetchone() == (0,)
    records = [json.loads(row[0]) for row in rows]
    assert [(r["question_id"], r["text"].split(":")[0]) for r in records] == [
        ("role", "role"),
        ("context", "context"),
        ("hardest", "hardest"),
    ]
