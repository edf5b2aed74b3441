"""Sending to a chat: every text escaped for HTML mode and split to Telegram's limit."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from telegram import Bot
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from adapters.telegram.rendering import MAX_MESSAGE_CHARS, escape, keyboard, split_message
from core.models import Reply


class Sender:
    """Sends core replies and plain texts through a PTB bot (its rate limiter included)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def replies(self, chat_id: int, replies: Sequence[Reply]) -> None:
        """Each reply as one or more messages; buttons go under the last piece."""
        for reply in replies:
            pieces = split_message(reply.text)
            for index, piece in enumerate(pieces):
                markup = keyboard(reply.choices) if index == len(pieces) - 1 else None
                await self.bot.send_message(
                    chat_id, escape(piece), parse_mode=ParseMode.HTML, reply_markup=markup
                )

    async def texts(self, chat_id: int, texts: Sequence[str]) -> None:
        """Plain texts (wording from the catalogue), escaped and split."""
        for text in texts:
            for piece in split_message(text):
                await self.bot.send_message(chat_id, escape(piece), parse_mode=ParseMode.HTML)

    async def html(self, chat_id: int, html_text: str) -> None:
        """Already-escaped HTML, split between blocks so no tag is cut in two."""
        for block in html_blocks(html_text):
            await self.bot.send_message(chat_id, block, parse_mode=ParseMode.HTML)

    async def typing(self, chat_id: int) -> None:
        """The "typing…" indicator; cosmetic, so a failure never fails a turn."""
        with contextlib.suppress(TelegramError):
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)


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
