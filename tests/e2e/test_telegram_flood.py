"""Issue 18, finding 1 on Telegram: 250 messages of 4,000 characters sent at once by one
customer make one answer within the limits of core.limits (not one of 1,000,249 characters),
the customer is told once what was not kept, and nothing is left held."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, running_bot

from core.limits import ANSWER_CHARS, MERGED_PARTS

pytestmark = pytest.mark.usefixtures("isolated_env")
TEAM = "T0123ABC"


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_a_flood_of_long_messages_is_one_bounded_answer(tg: TelegramEmulator, tmp_path: Path) -> None:
    async with running_bot(tg, tmp_path / "data", merge_window=2.0) as bot:
        flooder, other = Customer(tg, 701), Customer(tg, 702)
        for customer in (flooder, other):
            invite = await bot.app.invites.create(TEAM)
            customer.say(f"/start {invite.token}")
            customer.press(await customer.expect("Is that OK"), "consent:yes")
            await customer.expect("tell me a little about your role")
        for part in range(250):
            flooder.say(f"{part:04d} " + "x" * 3995)
        other.say("I run the finance desk at a small logistics company with four colleagues.")
        await other.expect("main things you're trying to get done", timeout=30)
        await flooder.expect("more than fits in one answer", timeout=30)
        await flooder.expect("main things you're trying to get done", timeout=30)
        stored = await bot.app.sessions.answers(customer="701")
        assert len(stored) == 1
        assert len(stored[0].text) <= ANSWER_CHARS
        assert stored[0].text.count("\n") < MERGED_PARTS
        assert stored[0].text.startswith("0000 ")
        assert sum("more than fits" in text for text in flooder.seen()) == 1
        assert await bot.app.sessions.held_parts("telegram") == []
