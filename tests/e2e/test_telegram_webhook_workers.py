"""Two Earful workers on one PostgreSQL behind the Telegram webhook: every update delivered
several times, to both workers at once, is answered and stored exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from services import free_port, pg_schemas, pg_url
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, neutral, running_bot

pytestmark = pytest.mark.usefixtures("isolated_env")
TEAM = "T0123ABC"
__all__ = ["pg_schemas", "pg_url"]  # fixtures
SECRET = "same-secret-for-every-worker"


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_updates_delivered_three_times_to_two_workers_are_stored_once(
    tg: TelegramEmulator, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARFUL_DATABASE_URL", pg_url)  # both workers share PostgreSQL
    ports = [free_port(), free_port()]
    async with (
        running_bot(tg, tmp_path / "w0", webhook_port=ports[0], webhook_secret=SECRET) as first,
        running_bot(tg, tmp_path / "w1", webhook_port=ports[1], webhook_secret=SECRET) as second,
    ):
        customer = Customer(tg, 5150)
        invite = await first.app.invites.create(TEAM)
        customer.say(f"/start {invite.token}")
        customer.press(await customer.expect("Is that OK", timeout=30), "consent:yes")
        await customer.expect(r"\?", timeout=30)
        texts = [neutral(f"answer {n}") for n in range(3)]
        async with httpx.AsyncClient(timeout=20) as client:
            for text in texts:
                update = customer.say(text)  # delivery 1: the emulator posts it to the webhook
                posts = [
                    client.post(
                        f"http://127.0.0.1:{port}/telegram/webhook",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    )
                    for port in (ports[0], ports[1], ports[0])  # deliveries 2-4, both workers at once
                ]
                assert all(r.status_code == 200 for r in await asyncio.gather(*posts))
                await customer.expect(r"\?", timeout=30)
        stored = await second.app.sessions.answers(customer=str(customer.chat_id))
        assert [a.text for a in stored] == texts
        questions = [m for m in customer.seen() if m.endswith("?")]
        assert len(questions) == len(set(questions)) == 1 + len(texts)  # no question asked twice
