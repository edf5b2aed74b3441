"""Invites: single-customer links that start an interview for a team.

A token is random, belongs to one team, expires (14 days by default) and can be claimed by
one customer only; the same customer opening it again continues their interview.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from core.errors import InviteError

DEFAULT_TTL = timedelta(days=14)


class Invite(BaseModel):
    """An invitation to be interviewed. ``origin`` says where it was made (e.g. the Slack
    channel to notify when the interview finishes); ``referred_by`` is the interview whose
    customer forwarded it."""

    model_config = ConfigDict(frozen=True)

    token: str
    team: str
    script_id: str | None = None
    note: str = ""
    origin: dict[str, str] = Field(default_factory=dict)
    referred_by: str | None = None
    created_at: datetime
    expires_at: datetime
    claimed_by: str | None = None  # "<channel>:<customer id>", or ERASED_CLAIMANT
    claimed_at: datetime | None = None


# Who claimed an invite, once that customer asked to be forgotten: the invite stays used (its
# link cannot start another interview) without keeping anything that points at the person.
ERASED_CLAIMANT = "erased"


def claimed_by_customer(claimed_by: str | None, customer: str) -> bool:
    """Whether ``claimed_by`` ("<channel>:<customer id>") names ``customer``, on any channel."""
    return claimed_by is not None and claimed_by.partition(":")[2] == customer


class InviteStore(Protocol):
    """Where invites are kept (the session store's database in practice)."""

    async def add_invite(self, invite: Invite) -> None:
        """Store a new invite."""
        ...

    async def get_invite(self, token: str) -> Invite | None:
        """The invite with this token, or ``None``."""
        ...

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        """Atomically mark the invite claimed by ``claimant`` if it is unclaimed (or already
        theirs); returns the invite as stored afterwards, or ``None`` if someone else has it."""
        ...


class Invites:
    """Creates and redeems invites."""

    def __init__(
        self,
        store: InviteStore,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._ttl = ttl
        self._clock = clock

    async def create(
        self,
        team: str,
        *,
        script_id: str | None = None,
        note: str = "",
        origin: dict[str, str] | None = None,
        referred_by: str | None = None,
        ttl: timedelta | None = None,
    ) -> Invite:
        """A new invite for ``team``; its token is URL- and Telegram-payload-safe."""
        now = self._clock()
        invite = Invite(
            token=secrets.token_urlsafe(16),
            team=team,
            script_id=script_id,
            note=note,
            origin=origin or {},
            referred_by=referred_by,
            created_at=now,
            expires_at=now + (ttl or self._ttl),
        )
        await self._store.add_invite(invite)
        return invite

    async def redeem(self, token: str, channel: str, customer: str) -> Invite:
        """Claim ``token`` for this customer; :class:`InviteError` says why not."""
        invite = await self._store.get_invite(token)
        if invite is None:
            raise InviteError("unknown")
        claimant = f"{channel}:{customer}"
        now = self._clock()
        if invite.claimed_by not in (None, claimant):
            raise InviteError("used")
        if invite.claimed_by is None and now >= invite.expires_at:
            raise InviteError("expired")
        claimed = await self._store.claim_invite(token, claimant, now)
        if claimed is None:
            raise InviteError("used")
        return claimed


def telegram_invite_link(bot_username: str, token: str) -> str:
    """The deep link that opens the team's Telegram bot with ``/start <token>``."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"
