"""Socket Mode: the real Bolt app and slack_sdk's aiohttp socket client against a local websocket."""

from __future__ import annotations

from pathlib import Path

from fakes import HashingEmbedder
from settings_by_name import settings_named
from slack_emulator import SlackEmulator
from slack_harness import TEAM_A, TOKEN

from bot.runner import configured_channels
from bot.wiring import build_app


async def test_socket_mode_receives_acknowledges_and_replies(tmp_path: Path, isolated_env: Path) -> None:
    emulator = SlackEmulator(team_for_token={TOKEN: TEAM_A})
    await emulator.start()
    settings = settings_named(
        data_dir=tmp_path / "data",
        slack_bot_token=TOKEN,
        slack_app_token="xapp-test",
        slack_api_url=emulator.api_url,
        slack_post_interval=0.0,
    )
    try:
        async with build_app(settings, embedder=HashingEmbedder()) as app:
            [channel] = configured_channels(settings, app)
            assert channel.routes() == []  # no HTTP route: Slack comes to us over the socket
            await channel.start()
            try:
                await emulator.socket_inbox.put(
                    {
                        "envelope_id": "env-1",
                        "type": "events_api",
                        "accepts_response_payload": False,
                        "payload": {
                            "type": "event_callback",
                            "team_id": TEAM_A,
                            "api_app_id": "A1",
                            "event_id": "EvSOCKET1",
                            "event": {
                                "type": "app_mention",
                                "user": "UFOUNDER",
                                "text": "<@UBOT> stories like slow exports",
                                "ts": "1700000000.000001",
                                "channel": "CTEAM",
                            },
                        },
                    }
                )
                await emulator.wait_for(
                    lambda calls: (
                        any(c.method == "socket.ack" for c in calls)
                        and any(c.method == "chat.postMessage" for c in calls)
                    )
                )
                [ack] = emulator.of("socket.ack")
                assert ack.params["envelope_id"] == "env-1"
                [post] = emulator.of("chat.postMessage")
                assert post.params["channel"] == "CTEAM" and post.params["thread_ts"] == "1700000000.000001"
                assert "No stories like" in post.params["text"]
                assert [c.token for c in emulator.of("apps.connections.open")] == ["xapp-test"]
            finally:
                await channel.stop()
    finally:
        await emulator.stop()
