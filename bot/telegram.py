"""Telegram wiring: the channel built from settings, and invite links for ``earful invite``."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from adapters.telegram.channel import TelegramChannel
from adapters.telegram.config import TelegramConfig
from bot.settings import Settings
from bot.wiring import App, build_app
from core.errors import InputError, StoreUnavailable
from core.invites import telegram_invite_link


def telegram_config(settings: Settings) -> TelegramConfig:
    """The channel's section of the settings (``TELEGRAM_BOT_TOKEN``, ``EARFUL_TELEGRAM_*``),
    checked: :class:`InputError` when the token is missing or a team user is malformed."""
    settings.telegram.check()
    return settings.telegram


def telegram_channel(settings: Settings, app: App) -> TelegramChannel:
    """The Telegram channel on the application's service, invites and story search."""
    return TelegramChannel(
        app.service, app.invites, app.search, telegram_config(settings), app.sessions, app.voice
    )


async def bot_username(settings: Settings) -> str:
    """``EARFUL_TELEGRAM_BOT_USERNAME``, or the bot's username asked from Telegram (getMe)."""
    if settings.telegram.bot_username:
        return settings.telegram.bot_username.lstrip("@")
    config = telegram_config(settings)
    try:
        async with Bot(config.token, base_url=config.api_url) as bot:
            return bot.username
    except TelegramError as error:
        raise StoreUnavailable(
            f"cannot ask Telegram for the bot's username ({error}); set EARFUL_TELEGRAM_BOT_USERNAME"
        ) from None


async def create_invite_link(settings: Settings, team: str, script_id: str | None, note: str) -> str:
    """Create an invite for ``team`` and return its ``https://t.me/<bot>?start=<token>`` link."""
    if not team.strip():
        raise InputError("--team must not be empty")
    username = await bot_username(settings)
    async with build_app(settings) as app:
        if script_id is not None:
            app.catalog.script(script_id)  # NotFound names the known scripts
        invite = await app.invites.create(team, script_id=script_id, note=note, origin={"source": "cli"})
    return telegram_invite_link(username, invite.token)
