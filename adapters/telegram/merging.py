"""Long answers typed as several messages become one answer.

Telegram clients split long texts and people hit Enter mid-thought, so text parts of one
chat that arrive within ``window`` seconds of each other are joined and handed to the core
as one answer. Anything else from that chat (a command, a button) flushes the parts first,
so events keep their order.

One answer holds at most ``MERGED_PARTS`` messages and ``ANSWER_CHARS`` characters
(:mod:`core.limits`): a part beyond that is not merged (``add`` says so, and the channel tells
the customer once), so a flood of messages costs one bounded answer, not a megabyte one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import StrEnum

from core.limits import ANSWER_CHARS, MERGED_PARTS
from core.models import Voice

log = logging.getLogger(__name__)


@dataclass
class Part:
    """One text message of an answer (or a voice note's transcript, kept by the customer)."""

    update_id: int
    message_id: int
    text: str
    voice: Voice | None = None  # how a kept voice note was heard


@dataclass
class PendingAnswer:
    """Parts of one chat waiting for the window to close."""

    chat_id: int
    user_id: int
    language: str | None
    parts: list[Part] = field(default_factory=list)
    cut: bool = False  # a part did not fit and was left out

    @property
    def chars(self) -> int:
        return sum(len(part.text) for part in self.parts) + max(0, len(self.parts) - 1)

    def fits(self, part: Part) -> bool:
        """Whether ``part`` can join (the first part always can: the core checks its length)."""
        if not self.parts:
            return True
        return len(self.parts) < MERGED_PARTS and self.chars + 1 + len(part.text) <= ANSWER_CHARS

    @property
    def text(self) -> str:
        return "\n".join(part.text for part in self.parts)

    @property
    def first_update_id(self) -> int:
        return self.parts[0].update_id

    @property
    def voice(self) -> Voice | None:
        """How the answer was heard, when a part of it is a kept voice note (the first one's)."""
        return next((part.voice for part in self.parts if part.voice is not None), None)


@dataclass(frozen=True)
class HeldPart:
    """A part with its chat, as kept in the session store while it waits."""

    chat_id: int
    user_id: int
    language: str | None
    part: Part

    def dump(self) -> str:
        part = self.part
        fields = {"update_id": part.update_id, "message_id": part.message_id, "text": part.text}
        if part.voice is not None:
            fields["voice"] = part.voice.model_dump(mode="json")
        return json.dumps(
            {**fields, "chat_id": self.chat_id, "user_id": self.user_id, "language": self.language}
        )

    @classmethod
    def load(cls, payload: str) -> HeldPart:
        data = json.loads(payload)
        voice = Voice.model_validate(data["voice"]) if data.get("voice") else None
        part = Part(int(data["update_id"]), int(data["message_id"]), str(data["text"]), voice)
        return cls(int(data["chat_id"]), int(data["user_id"]), data.get("language"), part)


class Added(StrEnum):
    """What :meth:`AnswerMerger.add` did with a part."""

    MERGED = "merged"
    DUPLICATE = "duplicate"  # redelivered: already pending
    CUT = "cut"  # did not fit: the first part left out of this answer (tell the customer)
    LEFT_OUT = "left_out"  # did not fit either, after the customer was told


Deliver = Callable[[PendingAnswer], Awaitable[None]]
HoldChat = Callable[[int], AbstractAsyncContextManager[None]]


class AnswerMerger:
    """Buffers text parts per chat and delivers them joined once the chat is quiet.

    ``deliver`` is awaited holding the chat (``hold_chat``), the same lock that orders the
    chat's updates. Each new part restarts the wait, up to ``max_wait``.
    """

    def __init__(
        self, window: float, deliver: Deliver, hold_chat: HoldChat, max_wait: float | None = None
    ) -> None:
        self._window = window
        self._max_wait = max_wait if max_wait is not None else 3 * window
        self._deliver = deliver
        self._hold_chat = hold_chat
        self._pending: dict[int, PendingAnswer] = {}
        self._timers: dict[int, asyncio.Task[None]] = {}
        self._started: dict[int, float] = {}

    def refuses(self, chat_id: int, part: Part) -> Added | None:
        """Why ``part`` would not join its chat's pending answer (a redelivery, or past the
        answer's limits), or ``None`` when it would. Asked before the part is held durably, so
        a flood of parts that do not fit costs no writes; the first part cut from an answer says
        :attr:`Added.CUT` (tell the customer), later ones :attr:`Added.LEFT_OUT`."""
        pending = self._pending.get(chat_id)
        if pending is None:
            return None
        if any(known.update_id == part.update_id for known in pending.parts):
            return Added.DUPLICATE
        if pending.fits(part):
            return None
        told, pending.cut = pending.cut, True
        return Added.LEFT_OUT if told else Added.CUT

    def add(self, chat_id: int, user_id: int, language: str | None, part: Part) -> Added:
        """Buffer ``part`` (called with the chat's lock held), unless :meth:`refuses` it. A part
        left out does not extend the wait."""
        refused = self.refuses(chat_id, part)
        if refused is not None:
            return refused
        pending = self._pending.get(chat_id)
        if pending is None:
            pending = self._pending[chat_id] = PendingAnswer(chat_id, user_id, language)
            self._started[chat_id] = asyncio.get_running_loop().time()
        pending.parts.append(part)
        timer = self._timers.pop(chat_id, None)
        if timer is not None:
            timer.cancel()
        elapsed = asyncio.get_running_loop().time() - self._started[chat_id]
        delay = max(0.0, min(self._window, self._max_wait - elapsed))
        self._timers[chat_id] = asyncio.create_task(self._later(chat_id, delay))
        return Added.MERGED

    def edit(self, chat_id: int, message_id: int, text: str) -> bool:
        """Replace a part still waiting; ``False`` if that message is not pending."""
        for part in self._pending.get(chat_id, PendingAnswer(chat_id, 0, None)).parts:
            if part.message_id == message_id:
                part.text = text
                return True
        return False

    async def flush(self, chat_id: int) -> None:
        """Deliver the chat's pending parts now (the caller holds the chat's lock)."""
        timer = self._timers.pop(chat_id, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        pending = self._pending.pop(chat_id, None)
        self._started.pop(chat_id, None)
        if pending is not None and pending.parts:
            await self._deliver(pending)

    async def flush_all(self) -> None:
        """Deliver everything pending (at shutdown, so no buffered part is dropped)."""
        for chat_id in list(self._pending):
            async with self._hold_chat(chat_id):
                await self.flush(chat_id)

    async def _later(self, chat_id: int, delay: float) -> None:
        await asyncio.sleep(delay)
        async with self._hold_chat(chat_id):
            if self._timers.get(chat_id) is not asyncio.current_task():
                return  # superseded by a newer part or flushed meanwhile
            try:
                await self.flush(chat_id)
            except Exception:
                log.exception("delivering a merged answer for chat %s failed", chat_id)

    async def close(self) -> None:
        """Cancel timers (after :meth:`flush_all`)."""
        for timer in self._timers.values():
            timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await timer
        self._timers.clear()
