"""Telegram wiring: the channel built from settings, and invite links for ``earful invite``."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from adapters.telegram import TelegramChannel, TelegramConfig, parse_team_users
from bot.settings import Settings
from bot.wiring import App, build_app
from core.errors import InputError, StoreUnavailable
from core.invites import telegram_invite_link


def telegram_config(settings: Settings) -> TelegramConfig:
    """The channel's configuration from ``TELEGRAM_BOT_TOKEN`` and ``EARFUL_TELEGRAM_*``."""
    if settings.telegram_bot_token is None:
        raise InputError("TELEGRAM_BOT_TOKEN is not set")
    try:
        team_users = parse_team_users(settings.telegram_team_users)
    except ValueError as error:
        raise InputError(str(error)) from None
    secret = settings.telegram_webhook_secret
    return TelegramConfig(
        token=settings.telegram_bot_token.get_secret_value(),
        api_url=settings.telegram_api_url,
        file_url=settings.telegram_file_url,
        team_users=team_users,
        webhook_url=settings.telegram_webhook_url,
        webhook_secret=secret.get_secret_value() if secret else None,
        merge_window=settings.telegram_merge_window,
        bot_username=settings.telegram_bot_username,
    )


def telegram_channel(settings: Settings, app: App) -> TelegramChannel:
    """The Telegram channel on the application's service, invites and story search."""
    return TelegramChannel(app.service, app.invites, app.search, telegram_config(settings), app.voice)


async def bot_username(settings: Settings) -> str:
    """``EARFUL_TELEGRAM_BOT_USERNAME``, or the bot's username asked from Telegram (getMe)."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
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
