"""Other customers' turns and ``/healthz`` while one customer (or ten) floods the bot: each
flooder sends 250 Telegram messages of 4,000 characters at once, the case of issue 18.

The real python-telegram-bot channel, SQLite, embedded Chroma and the packaged model run
against the Bot API emulator of the tests (127.0.0.1 only), with the indexer running and
``GET /healthz`` served as ``earful run`` serves it. A turn is timed from a customer's message
to the bot's next message in that chat, less the merge window every typed answer waits for.

    .venv/bin/python -m bench.flood [--flooders 1] [--others 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from telegram_emulator import TelegramEmulator, free_port  # noqa: E402
from telegram_support import Customer  # noqa: E402

from adapters.telegram.channel import TelegramChannel  # noqa: E402
from adapters.telegram.config import TelegramConfig  # noqa: E402
from bot.http import build_http_app, http_server  # noqa: E402
from bot.runner import health_of  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.wiring import answer_reader, build_app  # noqa: E402

TEAM = "T0123ABC"
MERGE_WINDOW = 0.3
PARTS, PART_CHARS = 250, 4000
ANSWERS = (
    "I run the finance desk at a small logistics company with four colleagues.",
    "Closing the month takes us a week because the bank exports never match our ledger.",
    "Last March I spent two evenings matching 300 payments by hand in a spreadsheet.",
    "I wrote a macro that pairs amounts and dates, and we check the rest one by one.",
    "It costs us about twenty hours a month and we paid one late fee of 400 euros.",
    "Our controller has the same problem, and so does a friend who runs payroll.",
)


@dataclass
class FloodFigures:
    """Milliseconds: other customers' turns (beyond the merge window) and ``/healthz``."""

    turns: list[float]
    health: list[float]


async def _consented(emulator: TelegramEmulator, app: object, user_id: int) -> Customer:
    customer = Customer(emulator, user_id)
    invite = await app.invites.create(TEAM)  # type: ignore[attr-defined]
    customer.say(f"/start {invite.token}")
    customer.press(await customer.expect("Is that OK", timeout=120), "consent:yes")
    await customer.expect("tell me a little about your role", timeout=120)
    return customer


async def _interview(customer: Customer, turns: list[float]) -> None:
    for text in ANSWERS:
        began = time.perf_counter()
        customer.say(text)
        customer.cursor = await customer.tg.wait_for(
            customer.chat_id, ".", after=customer.cursor, timeout=300
        )
        turns.append((time.perf_counter() - began - MERGE_WINDOW) * 1000)


async def _ping(port: int, health: list[float], done: asyncio.Event) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        while not done.is_set():
            began = time.perf_counter()
            response = await client.get(f"http://127.0.0.1:{port}/healthz")
            health.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.text
            await asyncio.sleep(0.02)


async def measure(flooders: int = 1, others: int = 5) -> FloodFigures:
    """Flood from ``flooders`` customers while ``others`` go through six answers each."""
    emulator = TelegramEmulator()
    await emulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
            async with build_app(Settings(data_dir=Path(folder), chroma_url=None)) as app:
                # A running bot has its model loaded and its index open.
                await app.indexer.warm_up()
                await answer_reader(app).warm_up()
                await app.stories.count(TEAM)
                config = TelegramConfig(
                    bot_token=emulator.token,
                    api_url=emulator.api_url,
                    merge_window=MERGE_WINDOW,
                    max_messages_per_second=1000,  # Earful's work, not Telegram's 30/s limit
                )
                channel = TelegramChannel(app.service, app.invites, app.search, config, app.sessions)
                port = free_port()
                server = http_server(build_http_app(channel.routes(), health_of(app)), "127.0.0.1", port)
                serving = asyncio.create_task(server.serve())
                indexing = asyncio.create_task(app.indexer.run())
                await channel.start()
                try:
                    floods = [await _consented(emulator, app, 50_000 + n) for n in range(flooders)]
                    talkers = [await _consented(emulator, app, 60_000 + n) for n in range(others)]
                    figures = FloodFigures([], [])
                    done = asyncio.Event()
                    pinging = asyncio.create_task(_ping(port, figures.health, done))
                    for part in range(PARTS):
                        for flooder in floods:
                            flooder.say(f"{part:04d} " + "x" * (PART_CHARS - 5))
                    await asyncio.gather(*(_interview(talker, figures.turns) for talker in talkers))
                    done.set()
                    await pinging
                    return figures
                finally:
                    await channel.stop()
                    server.should_exit = True
                    await serving
                    indexing.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await indexing
                    await app.service.wait_background()
    finally:
        await emulator.stop()


def main() -> None:
    from bench.figures import percentile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flooders", type=int, default=1)
    parser.add_argument("--others", type=int, default=5)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.flooders, args.others))
    print(
        f"{args.flooders} flooding, {args.others} others: turn p99 {percentile(figures.turns, 0.99):.0f} ms"
        f" (max {max(figures.turns):.0f}), /healthz p99 {percentile(figures.health, 0.99):.0f} ms"
        f" (max {max(figures.health):.0f}, {len(figures.health)} calls)"
    )


if __name__ == "__main__":
    main()
