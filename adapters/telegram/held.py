"""The Telegram channel's own port: the parts of answers typed as several messages.

A part is held durably from the moment it arrives until its answer's turn is committed, which
releases it and links it to the answer in the same transaction (the session store's
``commit_turn`` with the answer's parts), so an edit of the message can amend the answer later.
The session store's database implements this port too; the core never sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.ports import DeliveryLog


class HeldParts(DeliveryLog, Protocol):
    """Held message parts, the messages each answer was made of, and delivery keys."""

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        """Keep an inbound part (an opaque ``payload``) under its delivery ``key`` until its answer
        is committed. ``False`` when ``key`` is held or its delivery was handled already."""
        ...

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        """``(key, customer, payload)`` of every part held for ``channel``, oldest first."""
        ...

    async def release_parts(self, keys: Sequence[str]) -> None:
        """Forget held parts that will be no answer's (they did not fit, or were refused)."""
        ...

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        """Remember again which messages ``(key, text)``, in order, make up an answer (after an
        edit of one of them). A key linked again is replaced."""
        ...

    async def linked_parts(self, channel: str, key: str) -> tuple[str, list[tuple[str, str]]] | None:
        """The answer message ``key`` is part of, and all that answer's parts ``(key, text)`` in
        order; ``None`` for a message that is no answer's part."""
        ...
