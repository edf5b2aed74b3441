"""Every inbound HTTP path caps its body before any parsing or signature work, and a body of
the wrong shape is the sender's mistake (400), never a 500 (issue 18, findings 5 and 10)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from slack_harness import SlackHarness, running_slack, signed_headers
from telegram_emulator import TelegramEmulator
from telegram_support import running_bot

from core.limits import MAX_REQUEST_BODY_BYTES

HUGE = 300 * 1024 * 1024  # the 300 MB of the finding
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


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


async def upload(url: str, headers: dict[str, str], *, declared: int | None) -> tuple[int, int, float]:
    """POST a body of zeros, up to :data:`HUGE` bytes, over a raw socket while reading the answer:
    with ``declared`` as Content-Length, else chunked. Returns (status, bytes sent before the
    answer came, seconds until it came)."""
    where = urlsplit(url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    framing = {"Content-Length": str(declared)} if declared is not None else {"Transfer-Encoding": "chunked"}
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "x", **headers, **framing}.items())
    writer.write(f"POST {where.path} HTTP/1.1\r\n{head}\r\n".encode())
    sent = 0
    chunk = b"0" * 65536

    async def send() -> None:
        nonlocal sent
        with contextlib.suppress(ConnectionError):
            while sent < HUGE:
                writer.write(chunk if declared is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
                sent += len(chunk)

    started = time.perf_counter()
    sending = asyncio.create_task(send())
    try:
        status_line = await asyncio.wait_for(reader.readline(), 30)
        took = time.perf_counter() - started
    finally:
        sending.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sending
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return int(status_line.split()[1]), sent, took


async def test_an_unsigned_300_mb_slack_post_is_refused_before_it_is_read(slack: SlackHarness) -> None:
    url = f"{slack.url}/slack/events"
    headers = {"Content-Type": "application/json", "X-Slack-Signature": "v0=forged",
               "X-Slack-Request-Timestamp": str(int(time.time()))}  # fmt: skip
    status, sent, took = await upload(url, headers, declared=HUGE)
    assert status == 413 and sent < HUGE // 10 and took < 2  # answered from the header alone
    status, sent, _ = await upload(url, headers, declared=None)  # no length given: streamed and cut
    assert status == 413 and sent < HUGE // 10
    assert slack.emulator.calls == []  # no work done for it
    # A body at the limit is still served (here: refused for its signature, not its size).
    body = b"{" + b" " * (MAX_REQUEST_BODY_BYTES - 2) + b"}"
    answer = await slack.http.post(url, content=body, headers=headers)
    assert answer.status_code == 401
    ok = json.dumps({"token": "t", "challenge": "c-1", "type": "url_verification"})
    answer = await slack.http.post(url, content=ok, headers={"Content-Type": "application/json",
                                                             **signed_headers(ok)})  # fmt: skip
    assert answer.json() == {"challenge": "c-1"}


async def test_signed_slack_bodies_of_the_wrong_shape_get_400(slack: SlackHarness) -> None:
    for body, kind in [
        ("[1, 2, 3]", "application/json"),
        ("42", "application/json"),
        (DEEP, "application/json"),
        (urlencode({"payload": "[]"}), "application/x-www-form-urlencoded"),
        (urlencode({"payload": "{not json"}), "application/x-www-form-urlencoded"),
    ]:
        answer = await slack.post(body, kind)
        assert answer.status_code == 400, (body[:30], answer.status_code)
    raw = b"\xff\xfe{}"
    answer = await slack.http.post(
        f"{slack.url}/slack/events",
        content=raw,
        headers={"Content-Type": "application/json", **signed_headers(raw.decode("latin-1"))},
    )
    assert answer.status_code == 400  # not UTF-8: neither Bolt nor a signature check can read it
    # Unsigned, the same bodies are refused for their signature.
    unsigned = await slack.post("[1, 2, 3]", "application/json", secret="not-the-secret")
    assert unsigned.status_code == 401
    assert (await slack.command("help")).status_code == 200  # and the app still serves


async def test_the_telegram_webhook_caps_its_body_and_refuses_non_updates(
    tg: TelegramEmulator, tmp_path: Path, isolated_env: Path
) -> None:
    port = free_port()
    async with running_bot(tg, tmp_path / "data", webhook_port=port) as bot:
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        secret = {"X-Telegram-Bot-Api-Secret-Token": bot.channel.webhook_secret}
        status, sent, took = await upload(url, secret, declared=HUGE)
        assert status == 413 and sent < HUGE // 10 and took < 2
        status, sent, _ = await upload(url, secret, declared=None)
        assert status == 413 and sent < HUGE // 10
        async with httpx.AsyncClient() as client:
            for body in (b"[]", b'[{"update_id": 1}]', b"7", b'"text"', DEEP.encode()):
                answer = await client.post(url, content=body, headers=secret)
                assert answer.status_code == 400, (body[:20], answer.status_code)
            assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
