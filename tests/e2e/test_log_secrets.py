"""No token or secret reaches the logs, at any level (issue 18, finding 6): the real
``earful run`` at DEBUG, with Telegram polling and Slack installing by OAuth against the
emulators, and its whole log searched for every secret it was given or handed out."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest
from slack_emulator import SlackEmulator
from slack_harness import signed_headers
from telegram_emulator import TelegramEmulator
from telegram_support import Customer

from bot.log_filter import SecretRedactor

pytestmark = pytest.mark.usefixtures("isolated_env")
TELEGRAM_TOKEN = "7000001:LEAKCHECK-telegram_token-abcdef12345"
SIGNING_SECRET = "ss-leakcheck-0a1b2c3d4e5f6789"
CLIENT_SECRET = "cs-leakcheck-9f8e7d6c5b4a3928"
INSTALL_CODE = "leakcheck"  # the emulator hands out bot token xoxb-t<code> for it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_up(http: httpx.AsyncClient, url: str) -> None:
    while True:  # bounded by the caller's timeout
        try:
            await http.get(url)
            return
        except httpx.TransportError:
            await asyncio.sleep(0.1)


async def test_a_debug_run_logs_no_token_and_no_secret(tmp_path: Path) -> None:
    tg = TelegramEmulator(token=TELEGRAM_TOKEN)
    await tg.start()
    slack = SlackEmulator()
    await slack.start()
    port = free_port()
    env = {
        **os.environ,
        "EARFUL_LOG_LEVEL": "DEBUG",
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "EARFUL_TELEGRAM_API_URL": tg.api_url,
        "EARFUL_TELEGRAM_BOT_USERNAME": "earful_test_bot",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "EARFUL_SLACK_API_URL": slack.api_url,
        "EARFUL_HTTP_PORT": str(port),
        "EARFUL_DATA_DIR": str(tmp_path / "data"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "run",
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            await asyncio.wait_for(until_up(http, f"{base}/healthz"), 60)
            # Slack: install by OAuth (the client secret goes out, a bot token comes back) ...
            page = await http.get(f"{base}/slack/install")
            state = re.search(r"state=([\w-]+)", page.text)
            assert state is not None
            done = await http.get(
                f"{base}/slack/oauth_redirect",
                params={"code": INSTALL_CODE, "state": state.group(1)},
                headers={"Cookie": f"slack-app-oauth-state={state.group(1)}"},
            )
            assert done.status_code == 200
            # ... then a signed slash command from that workspace, answered with that token.
            body = (f"token=legacy&team_id=TLEAKCHECK&channel_id=C1&user_id=U1&command=%2Fearful&text=help"
                    f"&api_app_id=A1&response_url={slack.response_url('1')}&trigger_id=t1")  # fmt: skip
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       **signed_headers(body, SIGNING_SECRET)}  # fmt: skip
            assert (await http.post(f"{base}/slack/events", content=body, headers=headers)).status_code == 200
            await slack.wait_for(lambda calls: any(c.method == "respond" for c in calls))
        # Telegram: polled, and a customer talks to the bot.
        ana = Customer(tg, 901)
        ana.say("/start no-such-invite")
        await ana.expect("I don't recognise that invite link", timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await slack.stop()
        await tg.stop()
    log = err.decode()
    assert process.returncode == 0, log[-2000:]
    bot_token = f"xoxb-t{INSTALL_CODE}"
    assert {c.token for c in slack.of("auth.test")} == {bot_token}  # the token was really used
    # The log is the DEBUG log of all that: the calls that carry the secrets are in it ...
    for seen in ("getUpdates", "sendMessage", "oauth.v2.access", "auth.test", "DEBUG"):
        assert seen in log, seen
    # ... and none of the secrets.
    secret_half = TELEGRAM_TOKEN.split(":", 1)[1]
    for secret in (TELEGRAM_TOKEN, secret_half, SIGNING_SECRET, CLIENT_SECRET, bot_token):
        assert secret not in log, (secret, [line for line in log.splitlines() if secret in line][:3])
    assert "[redacted]" in log


def test_token_shapes_are_redacted_without_being_configured() -> None:
    redactor = SecretRedactor()
    line = (
        "GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe "
        "{'client_secret': 'abc123', 'token': 'xoxb-1-2-abc'} xoxp-9-8 xapp-1-A1-xyz "
        "postgresql://earful:hunter2@db/earful client_secret=s3cr3t&code=1"
    )
    shown = redactor.redact(line)
    for secret in ("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "abc123", "xoxb-1-2-abc", "xoxp-9-8",
                   "xapp-1-A1-xyz", "hunter2", "s3cr3t"):  # fmt: skip
        assert secret not in shown, secret
    assert "/getMe" in shown and "code=1" in shown and "postgresql://earful:" in shown
