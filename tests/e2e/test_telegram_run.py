"""``earful run`` with TELEGRAM_BOT_TOKEN and a webhook URL: the shared HTTP server takes
Telegram's calls, verifies the secret header, and the interview starts."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import Customer

pytestmark = pytest.mark.usefixtures("isolated_env")


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def earful_run(
    tg: TelegramEmulator, tmp_path: Path, port: int, **settings: str
) -> asyncio.subprocess.Process:
    """``earful run`` with a Telegram token against the emulator, serving HTTP on ``port``."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "EARFUL_TELEGRAM_API_URL": tg.api_url,
        "EARFUL_HTTP_PORT": str(port),
        "EARFUL_DATA_DIR": str(tmp_path / "data"),
        **settings,
    }
    command = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
    return await asyncio.create_subprocess_exec(*command, env=env, stderr=asyncio.subprocess.PIPE)


async def test_earful_run_in_webhook_mode(tg: TelegramEmulator, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    process = await earful_run(
        tg,
        tmp_path,
        port,
        EARFUL_TELEGRAM_WEBHOOK_URL=url,
        EARFUL_TELEGRAM_WEBHOOK_SECRET="s3cret-for-the-test",
    )
    try:
        await tg.wait_until(lambda: tg.webhook.get("url") == url, timeout=60)
        assert tg.webhook["secret_token"] == "s3cret-for-the-test"
        assert "getUpdates" not in tg.calls
        ola = Customer(tg, 801)
        ola.say("/start no-such-invite")
        await ola.expect("I don't recognise that invite link", timeout=30)
        async with httpx.AsyncClient() as client:
            forged = {"update_id": 5, "message": {"message_id": 5, "date": 0, "text": "hi",
                      "chat": {"id": 801, "type": "private"},
                      "from": {"id": 801, "is_bot": False, "first_name": "X"}}}  # fmt: skip
            assert (await client.post(url, json=forged)).status_code == 403
            assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
        assert tg.webhook_statuses == [200]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()


async def test_earful_run_polling_serves_healthz(tg: TelegramEmulator, tmp_path: Path) -> None:
    """A polling bot has no webhook route, yet Docker's HEALTHCHECK and Kubernetes' probes call
    ``GET /healthz``: the server runs whenever a channel does."""
    port = free_port()
    process = await earful_run(tg, tmp_path, port)
    try:
        await tg.wait_until(lambda: "getUpdates" in tg.calls, timeout=60)
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok", "sessions": "ok"}
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
    assert f"on http://127.0.0.1:{port}" in err.decode()
