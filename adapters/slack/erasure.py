"""Taking back what Earful posted to Slack with an erased customer's words (a summary and the
transcript in its thread): ``chat.delete`` each message, or, where Slack refuses (the bot may
not delete in that channel any more, say), ``chat.update`` it to a line saying it was erased."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError

from adapters.slack.completion import PLATFORM, ClientForTeam
from adapters.slack.wording import SlackWording
from core.ports import PostedMessage

log = logging.getLogger(__name__)


class SlackPostEraser:
    """A :class:`core.ports.PostEraser` for the messages the Slack channel posted."""

    def __init__(self, client_for_team: ClientForTeam, wording: SlackWording) -> None:
        self._client_for_team = client_for_team
        self._wording = wording

    async def erase_posts(self, posts: Sequence[PostedMessage]) -> int:
        taken_back = 0
        for post in posts:
            if post.platform != PLATFORM:
                continue
            client = await self._client_for_team(post.team)
            if client is None:
                log.warning("cannot take back a post in workspace %s: not installed", post.team)
                continue
            try:
                await client.chat_delete(channel=post.conversation, ts=post.message_id)
            except SlackApiError as error:
                log.info("chat.delete refused (%s); redacting instead", error.response.get("error"))
                try:
                    await client.chat_update(
                        channel=post.conversation,
                        ts=post.message_id,
                        text=self._wording.erased_post,
                        blocks=[],
                    )
                except SlackApiError as second:
                    log.warning("could not delete or redact a post: %s", second.response.get("error"))
                    continue
            taken_back += 1
        return taken_back
