"""How long N customers take when interviewed at once on Telegram, through the real
python-telegram-bot against the Bot API emulator of the tests (127.0.0.1 only).

    .venv/bin/python bench/telegram_concurrency.py [--customers 50] [--rate 30]

``--rate`` is the bot's overall message limit (Telegram's is ~30/s; the e2e test uses 1000
so that it measures Earful, not the limiter). Prints one line with the elapsed time.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAM = "T0123ABC"
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from telegram_emulator import TelegramEmulator  # noqa: E402
from telegram_support import SHORT, Customer, running_bot  # noqa: E402

from prompts import default_catalog  # noqa: E402


async def measure(customers: int, rate: float) -> float:
    emulator = TelegramEmulator()
    await emulator.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            catalog = default_catalog(extra_scripts=[SHORT])
            async with running_bot(emulator, Path(folder), catalog=catalog, max_rate=rate) as bot:

                async def interview(number: int) -> None:
                    customer = Customer(emulator, 10_000 + number)
                    invite = await bot.app.invites.create(TEAM, script_id="short.en")
                    customer.say(f"/start {invite.token}")
                    customer.press(await customer.expect("Is that OK", timeout=600), "consent:yes")
                    for question in ("hardest part", "What did you do", "What did that cost"):
                        await customer.expect(question, timeout=600)
                        customer.say(f"customer {number}: {question} is about my own work with invoices")
                    await customer.expect("Forward them this link", timeout=600)

                started = time.perf_counter()
                await asyncio.gather(*(interview(n) for n in range(customers)))
                return time.perf_counter() - started
    finally:
        await emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    elapsed = asyncio.run(measure(args.customers, args.rate))
    print(
        f"{args.customers} concurrent Telegram interviews (3 questions), {args.rate:g} msg/s: {elapsed:.2f} s"
    )


if __name__ == "__main__":
    main()
