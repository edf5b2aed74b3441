"""Running the real Telegram channel against the Bot API emulator, and playing customers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakes import HashingEmbedder
from starlette.routing import BaseRoute
from telegram_emulator import FakeUser, SentMessage, TelegramEmulator

from adapters.telegram.channel import TelegramChannel
from adapters.telegram.config import TelegramConfig
from bot.http import build_http_app, http_server
from bot.settings import Settings
from bot.wiring import App, build_app
from core.catalog import Catalog
from core.script import Script


@dataclass
class RunningBot:
    app: App
    channel: TelegramChannel
    http_port: int | None = None


@asynccontextmanager
async def running_bot(
    emulator: TelegramEmulator,
    data_dir: Path,
    *,
    merge_window: float = 0.15,
    webhook_port: int | None = None,
    team_users: dict[int, str] | None = None,
    catalog: Catalog | None = None,
    webhook_secret: str | None = None,
    max_rate: float = 1000,
    voice: bool = True,
    voice_model_dir: Path | None = None,
    keep_audio: bool = False,
    voice_max_seconds: float = 300,
) -> AsyncIterator[RunningBot]:
    """Real SQLite and Chroma in ``data_dir``, the hashing embedder, the real PTB channel; voice
    notes heard by the real Whisper model (``voice=False``: as without the 'voice' extra)."""
    settings = Settings(
        data_dir=data_dir,
        voice_model_dir=voice_model_dir,
        keep_audio=keep_audio,
        voice_max_seconds=voice_max_seconds,
    )
    async with build_app(settings, embedder=HashingEmbedder(), catalog=catalog) as app:
        webhook_url = f"http://127.0.0.1:{webhook_port}/telegram/webhook" if webhook_port else None
        config = TelegramConfig(
            bot_token=emulator.token,
            api_url=emulator.api_url,
            team_users=",".join(f"{user}:{team}" for user, team in (team_users or {}).items()),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            merge_window=merge_window,
            max_messages_per_second=max_rate,  # tests measure our code, not Telegram's 30/s limit
        )
        channel = TelegramChannel(
            app.service, app.invites, app.search, config, app.sessions, app.voice if voice else None
        )
        routes: list[BaseRoute] = channel.routes()
        server = serving = None
        if webhook_port:
            server = http_server(build_http_app(routes), "127.0.0.1", webhook_port)
            serving = asyncio.create_task(server.serve())
            async with asyncio.timeout(10):
                while not server.started:
                    await asyncio.sleep(0.01)
        await channel.start()
        try:
            yield RunningBot(app, channel, webhook_port)
        finally:
            await channel.stop()
            if server is not None and serving is not None:
                server.should_exit = True
                await serving
            await app.service.wait_background()


class Customer:
    """A person chatting with the bot; reads the bot's messages in order."""

    def __init__(self, emulator: TelegramEmulator, user_id: int, language: str | None = "en") -> None:
        self.tg = emulator
        self.user = FakeUser(user_id, f"Customer {user_id}", language)
        self.cursor = 0

    @property
    def chat_id(self) -> int:
        return self.user.id

    def say(self, text: str) -> dict[str, Any]:
        return self.tg.send_text(self.user, text)

    def press(self, message: SentMessage, data: str) -> dict[str, Any]:
        return self.tg.press(self.user, message, data)

    async def expect(self, pattern: str, timeout: float = 20) -> SentMessage:
        """The next bot message matching ``pattern`` (a regex, or literal text via re.escape)."""
        self.cursor = await self.tg.wait_for(self.chat_id, pattern, after=self.cursor, timeout=timeout)
        return self.tg.messages(self.chat_id)[self.cursor - 1]

    async def expect_text(self, text: str, timeout: float = 20) -> SentMessage:
        return await self.expect(re.escape(text), timeout)

    def seen(self) -> list[str]:
        return [message.text for message in self.tg.messages(self.chat_id)]


async def consented(app: App, tg: TelegramEmulator, user_id: int, team: str = "T0123ABC") -> Customer:
    """A customer who opened a fresh invite of ``team``, said yes and got the first question."""
    customer = Customer(tg, user_id)
    invite = await app.invites.create(team)
    customer.say(f"/start {invite.token}")
    customer.press(await customer.expect("Is that OK"), "consent:yes")
    await customer.expect("tell me a little about your role")
    return customer


# An answer that triggers no follow-up rule (not hypothetical, general, painful or short).
def neutral(tag: str) -> str:
    return f"{tag}: I run the finance desk at a small logistics company with four colleagues."


# A three-question script without probes, for load and crash tests.
SHORT = Script.model_validate(
    {
        "id": "short.en",
        "language": "en",
        "max_probes": 0,
        "sections": [
            {"kind": "frustration", "questions": [{"id": "q1", "text": "What is the hardest part of it?"}]},
            {"kind": "workaround", "questions": [{"id": "q2", "text": "What did you do about it?"}]},
            {"kind": "impact", "questions": [{"id": "q3", "text": "What did that cost you?"}]},
        ],
    }
)
