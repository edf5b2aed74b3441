"""Other customers' turns and ``/healthz`` while one customer (or ten) floods the bot: each
flooder sends 250 Telegram messages of 4,000 characters at once, the case of issue 18.

As issue 18 measured it: the real ``earful run`` (python-telegram-bot polling, SQLite, embedded
Chroma, the packaged models, the indexer) in a process of its own, against the Bot API
emulator of the tests in this process (127.0.0.1 only), and ``GET /healthz`` timed by a probe
in a third process (``bench.healthz_probe``). So the figures are the bot's, not those of a
stand-in sharing its interpreter: pushing 2,500 updates and serialising them for
``getUpdates`` is Telegram's work, done on Telegram's machines. A turn is timed from a
customer's message to the bot's next message in that chat, less the merge window every typed
answer waits for.

    .venv/bin/python -m bench.flood [--flooders 1] [--others 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from telegram_emulator import TelegramEmulator, free_port  # noqa: E402
from telegram_support import Customer  # noqa: E402

from adapters.sql.database import SqliteDatabase  # noqa: E402
from adapters.sql.sessions import SqlSessionStore  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.invites import Invites  # noqa: E402

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
# Bounds on the waits for the bot (it loads two models when it starts).
START_TIMEOUT, TURN_TIMEOUT = 180.0, 300.0


@dataclass
class FloodFigures:
    """Milliseconds: other customers' turns (beyond the merge window) and ``/healthz``."""

    turns: list[float]
    health: list[float]


async def _consented(emulator: TelegramEmulator, invites: Invites, user_id: int) -> Customer:
    customer = Customer(emulator, user_id)
    invite = await invites.create(TEAM)
    customer.say(f"/start {invite.token}")
    customer.press(await customer.expect("Is that OK", timeout=START_TIMEOUT), "consent:yes")
    await customer.expect("tell me a little about your role", timeout=START_TIMEOUT)
    return customer


async def _interview(customer: Customer, turns: list[float], answers: tuple[str, ...] = ANSWERS) -> None:
    for text in answers:
        began = time.perf_counter()
        customer.say(text)
        customer.cursor = await customer.tg.wait_for(
            customer.chat_id, ".", after=customer.cursor, timeout=TURN_TIMEOUT
        )
        turns.append((time.perf_counter() - began - MERGE_WINDOW) * 1000)


def _bot_environment(emulator: TelegramEmulator, data: Path, port: int) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("EARFUL_", "SLACK_", "TELEGRAM_"))}
    return kept | {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "EARFUL_TELEGRAM_API_URL": emulator.api_url,
        "EARFUL_TELEGRAM_MERGE_WINDOW": str(MERGE_WINDOW),
        # Earful's own work is measured, not Telegram's limit of 30 messages a second.
        "EARFUL_TELEGRAM_MAX_MESSAGES_PER_SECOND": "1000",
        "EARFUL_DATA_DIR": str(data),
        "EARFUL_HTTP_HOST": "127.0.0.1",
        "EARFUL_HTTP_PORT": str(port),
    }


@asynccontextmanager
async def _earful_run(env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """``earful run`` (the command the package installs), stopped as an operator stops it."""
    earful = Path(sys.executable).parent / "earful"
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            str(earful), "run", env=env, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL, stderr=stderr
        )
        try:
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 60)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def _warmed(store: SqlSessionStore, emulator: TelegramEmulator, invites: Invites) -> None:
    """A running bot has answered before: its models are loaded and its index open. One customer
    answers twice, and the bot is ready when that answer is indexed."""
    warmer = await _consented(emulator, invites, 40_000)
    await _interview(warmer, [], ANSWERS[:2])
    async with asyncio.timeout(START_TIMEOUT):
        while await store.pending_index(1):
            await asyncio.sleep(0.1)


async def measure(flooders: int = 1, others: int = 5) -> FloodFigures:
    """Flood from ``flooders`` customers while ``others`` go through six answers each."""
    emulator = TelegramEmulator()
    await emulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
            data, port = Path(folder) / "data", free_port()
            settings = Settings(data_dir=data, chroma_url=None)
            # The bench's own connection to the bot's SQLite file: invites, and when it is warm.
            store = await SqlSessionStore.open(SqliteDatabase(settings.sqlite_path))
            invites = Invites(store)
            try:
                env = _bot_environment(emulator, data, port)
                async with _earful_run(env, Path(folder) / "earful.log") as bot:
                    try:
                        return await _flooded(emulator, store, invites, port, flooders, others)
                    except BaseException:
                        log = (Path(folder) / "earful.log").read_text(errors="replace")
                        print(f"earful run (exit {bot.returncode}) said:\n{log[-3000:]}", file=sys.stderr)
                        raise
            finally:
                await store.close()
    finally:
        await emulator.stop()


async def _flooded(
    emulator: TelegramEmulator,
    store: SqlSessionStore,
    invites: Invites,
    port: int,
    flooders: int,
    others: int,
) -> FloodFigures:
    await _warmed(store, emulator, invites)
    floods = [await _consented(emulator, invites, 50_000 + n) for n in range(flooders)]
    talkers = [await _consented(emulator, invites, 60_000 + n) for n in range(others)]
    probe = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.healthz_probe", f"http://127.0.0.1:{port}/healthz",
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert probe.stdout is not None
    await asyncio.wait_for(probe.stdout.readline(), START_TIMEOUT)  # probing: the flood starts
    figures = FloodFigures([], [])
    try:
        for part in range(PARTS):
            for flooder in floods:
                flooder.say(f"{part:04d} " + "x" * (PART_CHARS - 5))
        await asyncio.gather(*(_interview(talker, figures.turns) for talker in talkers))
    finally:
        out, _ = await asyncio.wait_for(probe.communicate(b""), 60)  # its input closes: it stops
    if probe.returncode != 0:
        raise RuntimeError(f"the /healthz probe failed (exit {probe.returncode})")
    figures.health = [float(line) for line in out.split()]
    # The flood was read, not lost: every flooder's answer was taken (the bot answered it).
    for flooder in floods:
        await flooder.tg.wait_for(flooder.chat_id, ".", after=flooder.cursor, timeout=TURN_TIMEOUT)
    return figures


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
