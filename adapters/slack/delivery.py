"""Getting events in once and messages out politely.

In: Slack retries an event it thinks failed (``X-Slack-Retry-Num``) and may deliver an
``event_id`` twice; Bolt does not de-duplicate, so every event id is claimed in the
database before a listener runs, and a second delivery is acknowledged and dropped.
Out: at most one message per second per channel (Slack's posting limit); 429s are retried
after ``Retry-After`` by slack_sdk's rate-limit retry handler, installed by the factory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import Message
from core.ports import DeliveryLog

log = logging.getLogger(__name__)


def event_delivery_key(body: dict[str, Any]) -> str | None:
    """The de-duplication key of an Events API delivery (``None`` for other payloads)."""
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return None
    return f"slack:event:{body.get('team_id', '')}:{body['event_id']}"


def dedupe_middleware(deliveries: DeliveryLog) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A Bolt middleware that lets each Events API ``event_id`` through once."""

    async def dedupe(body: dict[str, Any], next_: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        key = event_delivery_key(body)
        if key is not None and not await deliveries.claim_delivery(key):
            log.info("dropping duplicate Slack delivery %s", key)
            # 200, so Slack stops retrying; the first delivery was (or is being) handled.
            return BoltResponse(status=200, body="")
        await next_()
        return None

    return dedupe


class ChannelPacer:
    """Spaces messages to one channel at least ``interval`` seconds apart (others run freely)."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: OrderedDict[str, float] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, channel: str) -> None:
        """Return when a message may be sent to ``channel``; reserves that slot."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            now = self._clock()
            ready = self._next.get(channel, now)
            if ready > now:
                await self._sleep(ready - now)
            self._next[channel] = max(now, ready) + self._interval
            self._next.move_to_end(channel)
            while len(self._next) > 10_000:  # forget long-idle channels
                old, _ = self._next.popitem(last=False)
                self._locks.pop(old, None)


class Poster:
    """Posts messages through a Web API client, paced per channel."""

    def __init__(self, pacer: ChannelPacer) -> None:
        self._pacer = pacer

    async def post(
        self, client: AsyncWebClient, channel: str, message: Message, thread_ts: str | None = None
    ) -> str | None:
        """``chat.postMessage``; returns the message's ``ts`` (to thread replies under it)."""
        text, blocks = message
        await self._pacer.wait(channel)
        response = await client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, thread_ts=thread_ts
        )
        ts = response.get("ts")
        return str(ts) if ts else None
