"""Load through the webhook path: 200 simulated Telegram customers x 5 answers, each update
POSTed (as a load balancer would) alternately to one of 2 workers sharing PostgreSQL.
Nothing lost, nothing crossed between customers; reply latency p50/p99 is printed (a figure,
not an assertion)."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from services import free_port, pg_schemas, pg_url
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, neutral, running_bot
from telegram_wire import text_content

pytestmark = pytest.mark.usefixtures("isolated_env")
__all__ = ["pg_schemas", "pg_url"]  # fixtures
TEAM = "T0123ABC"
SECRET = "same-secret-for-every-worker"
CUSTOMERS = int(os.environ.get("EARFUL_LOAD_CUSTOMERS", "200"))
ANSWERS = 5


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


class WebhookFront:
    """Posts Telegram updates to the workers' ``/telegram/webhook``, round robin."""

    def __init__(self, client: httpx.AsyncClient, ports: list[int]) -> None:
        self._client = client
        self._ports = itertools.cycle(ports)
        self._ids = itertools.count(1_000_000)

    async def say(self, customer: Customer, text: str) -> None:
        update_id = next(self._ids)
        message: dict[str, Any] = {
            "message_id": update_id,
            "date": int(time.time()),
            "from": customer.user.as_json(),
            "chat": {"id": customer.chat_id, "type": "private", "first_name": customer.user.first_name},
            **text_content(text),
        }
        response = await self._client.post(
            f"http://127.0.0.1:{next(self._ports)}/telegram/webhook",
            json={"update_id": update_id, "message": message},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200


async def test_200_customers_through_the_webhook_into_2_workers(
    tg: TelegramEmulator, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARFUL_DATABASE_URL", pg_url)
    ports = [free_port(), free_port()]
    latencies: list[float] = []
    async with (
        running_bot(tg, tmp_path / "w0", webhook_port=ports[0], webhook_secret=SECRET) as first,
        running_bot(tg, tmp_path / "w1", webhook_port=ports[1], webhook_secret=SECRET),
        httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=100)) as client,
    ):
        front = WebhookFront(client, ports)

        async def interview(number: int) -> None:
            customer = Customer(tg, 20_000 + number)
            invite = await first.app.invites.create(TEAM)
            steps = [(f"/start {invite.token}", "Is that OK"), ("yes", r"\?")]
            steps += [(neutral(f"[{customer.chat_id}#{n}]"), r"\?|Thank you") for n in range(ANSWERS)]
            for text, reply in steps:
                started = time.perf_counter()
                await front.say(customer, text)
                await customer.expect(reply, timeout=120)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(interview(n) for n in range(CUSTOMERS))), 600)
        elapsed = time.perf_counter() - started
        answers = await first.app.sessions.answers(team=TEAM)
    lost = crossed = 0
    for number in range(CUSTOMERS):
        customer_id = str(20_000 + number)
        texts = [a.text for a in answers if a.customer == customer_id]
        crossed += sum(not t.startswith(f"[{customer_id}#") for t in texts)
        lost += ANSWERS - len(texts)
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(
        f"\nwebhook load: {CUSTOMERS} customers x {ANSWERS} answers, 2 workers on PostgreSQL,"
        f" {elapsed:.1f} s:"
        f" {len(answers)} stored, {lost} lost, {crossed} crossed; reply p50 {p50 * 1000:.0f} ms,"
        f" p99 {p99 * 1000:.0f} ms"
    )
    assert (lost, crossed, len(answers)) == (0, 0, CUSTOMERS * ANSWERS)
    assert not tg.rejected, tg.rejected
