"""Sending to a chat: every text escaped for HTML mode and split to Telegram's limit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError

from adapters.telegram.rendering import MAX_MESSAGE_CHARS, escape, keyboard, split_message
from core.models import Reply

log = logging.getLogger(__name__)

# Pauses before each new attempt when the connection to the Bot API fails. The answer is already
# stored when the reply is sent, so a lost send would leave the customer without their next
# question; a retried one at worst shows it twice.
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0)
# A chat action shows for about 5 s, or until the bot's next message: sent again this often.
TYPING_REFRESH = 4.0


class Sender:
    """Sends core replies and plain texts through a PTB bot (its rate limiter included)."""

    def __init__(self, bot: Bot, retry_delays: Sequence[float] = SEND_RETRY_DELAYS) -> None:
        self.bot = bot
        self._retry_delays = tuple(retry_delays)

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> Any:
        """One message, sent again after a network failure (a 429 is the rate limiter's job;
        a 4xx answer is final)."""
        for delay in self._retry_delays:
            try:
                return await self._send_once(chat_id, text, markup)
            except BadRequest:
                raise
            except NetworkError as error:
                log.warning("sending to chat %s failed (%s); trying again in %.1f s", chat_id, error, delay)
                await asyncio.sleep(delay)
        return await self._send_once(chat_id, text, markup)

    async def _send_once(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> Any:
        return await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)

    async def replies(self, chat_id: int, replies: Sequence[Reply]) -> None:
        """Each reply as one or more messages; buttons go under the last piece."""
        for reply in replies:
            pieces = split_message(reply.text)
            for index, piece in enumerate(pieces):
                markup = keyboard(reply.choices) if index == len(pieces) - 1 else None
                await self._send(chat_id, escape(piece), markup)

    async def texts(self, chat_id: int, texts: Sequence[str]) -> None:
        """Plain texts (wording from the catalogue), escaped and split."""
        for text in texts:
            for piece in split_message(text):
                await self._send(chat_id, escape(piece))

    async def html(self, chat_id: int, html_text: str) -> None:
        """Already-escaped HTML, split between blocks so no tag is cut in two."""
        for block in html_blocks(html_text):
            await self._send(chat_id, block)

    async def typing(self, chat_id: int) -> None:
        """The "typing…" indicator; cosmetic, so a failure never fails a turn."""
        with contextlib.suppress(TelegramError):
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)

    @contextlib.asynccontextmanager
    async def typing_while(self, chat_id: int, every: float = TYPING_REFRESH) -> AsyncIterator[None]:
        """The "typing…" indicator for as long as the block runs (Telegram shows it ~5 s)."""

        async def keep_typing() -> None:
            while True:
                await self.typing(chat_id)
                await asyncio.sleep(every)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def html_blocks(html_text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Group blocks (separated by blank lines) into messages of at most ``limit`` characters.
    Blocks come from :func:`render_hits`, which keeps each well under the limit."""
    blocks: list[str] = []
    for block in html_text.split("\n\n"):
        if blocks and len(blocks[-1]) + 2 + len(block) <= limit:
            blocks[-1] += "\n\n" + block
        else:
            blocks.append(block)
    return blocks
