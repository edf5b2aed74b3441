"""Who may search customer stories from Slack: members, and guests only when allowed.

A guest (a single- or multi-channel guest: ``users.info`` says ``is_restricted`` or
``is_ultra_restricted``) is often someone from outside the company; customers' words are the
team's, so guests are kept out of story search unless ``EARFUL_SLACK_ALLOW_GUESTS`` is true.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class SearchAccess:
    """Answers "may this user search?" from ``users.info``, remembered for ``ttl`` seconds
    (an account made a guest is refused again within that time)."""

    def __init__(
        self, allow_guests: bool, ttl: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.allow_guests = allow_guests
        self._ttl = ttl
        self._clock = clock
        self._known: dict[tuple[str, str], tuple[float, bool]] = {}

    async def may_search(self, client: AsyncWebClient, team: str, user: str | None) -> bool:
        """True for a member of the workspace (anyone, with guests allowed). Fails closed: a user
        whose account cannot be looked up is not let in."""
        if self.allow_guests:
            return True
        if not user:
            return False
        key = (team, user)
        now = self._clock()
        known = self._known.get(key)
        if known is not None and now - known[0] < self._ttl:
            return known[1]
        try:
            info = await client.users_info(user=user)
        except SlackApiError as error:
            reason = error.response.get("error") if error.response is not None else None
            hint = " (the app needs the users:read scope: reinstall it)" if reason == "missing_scope" else ""
            log.warning("users.info failed for %s: %s%s; story search refused", user, reason or error, hint)
            return False
        account = info.get("user") or {}
        member = not (account.get("is_restricted") or account.get("is_ultra_restricted"))
        self._known[key] = (now, member)
        return member
