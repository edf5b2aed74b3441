"""One update at a time per chat, different chats concurrently.

PTB's ``concurrent_updates`` runs updates as tasks in arrival order; this processor makes
each task take its chat's lock before running, and asyncio locks are first-come first-served,
so one chat's updates are handled in order while other chats proceed. The chat's lock is taken
*before* one of the ``max_concurrent_updates`` slots: updates queued behind their chat hold no
slot, so a customer sending hundreds of messages at once cannot fill every slot and stall the
other chats.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from adapters.telegram.merging import HoldChat


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """A PTB update processor that serialises updates of the same chat.

    ``hold_chat`` is the conversation's one lock (the service's: a private chat is the
    conversation with its customer), so the turn an update leads to takes the lock already held."""

    def __init__(self, hold_chat: HoldChat, max_concurrent_updates: int = 256) -> None:
        # PTB takes its own semaphore before do_process_update, that is before the chat's lock:
        # it is set out of reach, and this processor's slots are taken after the lock instead.
        super().__init__(sys.maxsize)
        self.hold_chat = hold_chat
        self._slots = asyncio.Semaphore(max_concurrent_updates)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # No await before taking the lock (an unused semaphore is taken without one), so tasks
        # queue on it in the order PTB created them; a slot only once it is this update's turn.
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        async with self.hold_chat(chat.id), self._slots:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
