"""The Telegram channel as ``earful run`` sees it: start, stop, and the webhook route."""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application

from adapters.telegram.config import TelegramConfig
from adapters.telegram.handlers import CHANNEL, TelegramHandlers
from adapters.telegram.held import HeldParts
from adapters.telegram.ordering import PerChatUpdateProcessor
from adapters.telegram.translate import MENU_COMMANDS
from core.catalog import Catalog
from core.errors import InputError, StoreUnavailable
from core.invites import Invites
from core.service import InterviewService
from core.stories import StoryFinder
from core.voice import VoiceNotes

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class TelegramChannel:
    """Interviews customers through a Telegram bot, by long polling or by webhook."""

    name = "telegram"

    def __init__(
        self,
        service: InterviewService,
        invites: Invites,
        search: StoryFinder,
        config: TelegramConfig,
        parts: HeldParts,
        voice: VoiceNotes | None = None,
    ) -> None:
        """``voice``: how voice notes are heard (``None``: customers are asked to type)."""
        self.config = config
        # Telegram echoes this secret in a header on every webhook call; without it, anyone
        # who finds the URL could post updates. A fresh one is registered at every start.
        given = config.webhook_secret
        self.webhook_secret = given.get_secret_value() if given else secrets.token_urlsafe(32)
        # A private chat is the conversation with its customer: the service's lock orders it.
        self.processor = PerChatUpdateProcessor(
            lambda chat_id: service.conversation(CHANNEL, str(chat_id)), max_concurrent_updates=256
        )
        builder = (
            Application.builder()
            .token(config.token)
            .base_url(config.api_url)
            .base_file_url(config.files_url)
            .rate_limiter(
                AIORateLimiter(
                    overall_max_rate=config.max_messages_per_second, max_retries=config.max_retries
                )
            )
            .concurrent_updates(self.processor)
        )
        if config.uses_webhook:
            builder = builder.updater(None)
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._catalog: Catalog = service.catalog
        self.handlers = TelegramHandlers(service, invites, search, config, self.processor, parts, voice)
        self.handlers.register(self.application)

    def routes(self) -> list[BaseRoute]:
        """``POST /telegram/webhook`` in webhook mode; nothing when polling."""
        if not self.config.uses_webhook:
            return []
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Check the token (getMe), register the command menu, then poll or set the webhook."""
        try:
            await self.application.initialize()
        except InvalidToken:
            raise InputError("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather") from None
        except TelegramError as error:
            raise StoreUnavailable(
                f"cannot reach the Telegram Bot API at {self.config.api_url}: {error}"
            ) from None
        await self._register_commands()
        await self.application.start()
        replayed = await self.handlers.replay_held()
        if replayed:
            log.info("replaying %d message parts held before the last stop", replayed)
        if self.config.uses_webhook:
            await self.application.bot.set_webhook(
                url=str(self.config.webhook_url),
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        elif self.application.updater is not None:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)

    async def stop(self) -> None:
        """Stop taking updates, finish the ones taken, deliver buffered answer parts."""
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.handlers.merger.flush_all()
        await self.handlers.merger.close()
        await self.application.shutdown()

    async def webhook(self, request: Request) -> Response:
        """Take one update from Telegram; 403 unless the secret header matches."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook_secret.encode()):
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
            # An update is a JSON object; anything else (an array, a number) is not one.
            if not isinstance(data, dict):
                return Response("not a Telegram update", status_code=400)
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return Response("not a Telegram update", status_code=400)
        if update is None:
            return Response("not a Telegram update", status_code=400)
        await self.application.update_queue.put(update)
        return Response(status_code=200)

    async def _register_commands(self) -> None:
        """The command menu, in every language that has wording for it."""
        bot = self.application.bot
        for language, messages in self._catalog.messages.items():
            commands = [
                BotCommand(name, messages.command_descriptions[name])
                for name in MENU_COMMANDS
                if name in messages.command_descriptions
            ]
            if not commands:
                continue
            await bot.set_my_commands(commands, language_code=language)
            if language == self._catalog.default_language:
                await bot.set_my_commands(commands)
