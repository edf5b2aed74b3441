"""Finished interviews, reported to the Slack channel they came from.

An interview carries ``origin`` from its invite (or ``/earful interview``): the workspace
and channel to tell. The summary goes to the channel, the whole transcript into its thread.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.delivery import Poster
from adapters.slack.wording import SlackWording
from core.models import InterviewState
from core.ports import SessionStore
from core.summary import summarize

log = logging.getLogger(__name__)

ClientForTeam = Callable[[str], Awaitable[AsyncWebClient | None]]


class SlackCompletionNotifier:
    """A :class:`core.ports.InterviewListener` posting summaries and transcripts to Slack."""

    def __init__(
        self, sessions: SessionStore, client_for_team: ClientForTeam, poster: Poster, wording: SlackWording
    ) -> None:
        self._sessions = sessions
        self._client_for_team = client_for_team
        self._poster = poster
        self._wording = wording

    async def interview_finished(self, state: InterviewState) -> None:
        """Post the summary of ``state`` and its transcript, if it came from a Slack channel."""
        channel = state.origin.get("slack_channel")
        if not channel:
            return
        # The interview's team is the workspace: never post into another workspace.
        team = state.team
        if state.origin.get("slack_team", team) != team:
            log.warning("interview %s: origin team differs from its team; not posted", state.interview_id)
            return
        client = await self._client_for_team(team)
        if client is None:
            log.warning("interview %s finished but workspace %s has no token", state.interview_id, team)
            return
        answers = await self._sessions.answers(interview_id=state.interview_id)
        answers.sort(key=lambda answer: answer.turn)
        summary = summarize(state, answers)
        ts = await self._poster.post(client, channel, blocks.summary_message(summary, self._wording))
        for message in blocks.transcript_messages(state.pseudonym, answers, self._wording):
            await self._poster.post(client, channel, message, thread_ts=ts)
