"""Checks on what reaches ``POST /slack/events`` before Earful acts on it.

- :func:`payload_problem`: a signed body Bolt could not read as an object (a JSON array, a
  number, invalid UTF-8, JSON nested past the parser's depth) is answered 400, not 500.
- :func:`own_team_only`: with one bot token (no OAuth), the app serves the one workspace that
  token belongs to (``auth.test``); a request naming another ``team_id`` is refused, so a body
  signed with the app's secret cannot reach another team's stories by naming it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)
# Neither Bolt nor slack_sdk's signature check can read such a body (both decode it first).
NOT_UTF8 = "the body is not UTF-8"


def payload_problem(body: bytes, content_type: str | None) -> str | None:
    """Why ``body`` is not a Slack payload Bolt can read (``None`` when it is one).

    Follows Bolt's own reading (``slack_bolt.request.internals.parse_body``): JSON when the
    content type says so or the body starts with ``{``, a form whose ``payload`` field is JSON
    for interactivity, a plain form for slash commands.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if not text:
        return None
    media = (content_type or "").split(";")[0].strip().lower()
    try:
        if media == "application/json" or text.lstrip().startswith(("{", "[")):
            data: Any = json.loads(text)
        elif "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            if payload is None:
                return None
            data = json.loads(payload)
        else:
            return None  # a slash command's form: any fields are strings
    except (ValueError, RecursionError):
        return "the body is not valid JSON"
    if not isinstance(data, dict):
        return "the payload is not a JSON object"
    return None


def own_team_only() -> Callable[..., Awaitable[BoltResponse | None]]:
    """A Bolt middleware for single-token mode: only the token's workspace is served.

    Runs after Bolt's authorisation, whose result holds the team of ``auth.test`` for the token;
    the request's team is the one Bolt read from its body (for events, ``authorizations[0]``).
    """

    async def only_own_team(
        context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        result = context.authorize_result
        own = result.team_id if result is not None else None
        if own is None or context.team_id != own:
            log.warning("refused a Slack request for team %s: this token serves %s", context.team_id, own)
            return BoltResponse(status=403, body="this app serves another workspace")
        await next_()
        return None

    return only_own_team
