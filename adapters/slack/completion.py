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
from adapters.slack.insight_blocks import persona_button, quality_block
from adapters.slack.wording import SlackWording
from core.evidence import with_readings
from core.models import AnswerRecord, InterviewState
from core.ports import PostedMessage, SessionStore
from core.reading import AnswerReader
from core.summary import InterviewSummary, Summariser, summarize

log = logging.getLogger(__name__)

ClientForTeam = Callable[[str], Awaitable[AsyncWebClient | None]]
PLATFORM = "slack"  # how remembered posts name this platform (adapters/slack/erasure.py)


class SlackCompletionNotifier:
    """A :class:`core.ports.InterviewListener` posting summaries and transcripts to Slack."""

    def __init__(
        self,
        sessions: SessionStore,
        client_for_team: ClientForTeam,
        poster: Poster,
        wording: SlackWording,
        summariser: Summariser | None = None,
        *,
        reader: AnswerReader | None = None,
    ) -> None:
        self._sessions = sessions
        self._client_for_team = client_for_team
        self._poster = poster
        self._wording = wording
        self._summariser = summariser  # the LLM's when EARFUL_LLM is set; extractive otherwise
        self._reader = reader  # reads answers stored without a reading

    async def summary(self, state: InterviewState, answers: list[AnswerRecord]) -> InterviewSummary:
        """The summariser's summary (it checks its own quotes), the extractive one if it fails."""
        if self._summariser is not None:
            try:
                return await self._summariser.summarize(state, answers)
            except Exception:  # a summary is still owed to the team
                log.warning("summariser failed for %s; extractive summary", state.interview_id, exc_info=True)
        return summarize(state, answers)

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
        answers = await with_readings(
            await self._sessions.answers(interview_id=state.interview_id), self._reader
        )
        answers.sort(key=lambda answer: answer.turn)
        summary = await self.summary(state, answers)
        text, summary_blocks = blocks.summary_message(summary, self._wording)
        if summary.quality is not None:
            summary_blocks.append(quality_block(summary.quality, self._wording))
        summary_blocks.append(persona_button(state.interview_id, self._wording))
        ts = await self._posted(
            state, channel, await self._poster.post(client, channel, (text, summary_blocks))
        )
        for message in blocks.transcript_messages(state.pseudonym, answers, self._wording):
            await self._posted(
                state, channel, await self._poster.post(client, channel, message, thread_ts=ts)
            )

    async def _posted(self, state: InterviewState, channel: str, ts: str | None) -> str | None:
        """Remember a message carrying the customer's words, so that erasing them takes it back."""
        if ts is not None:
            await self._sessions.record_post(
                state.interview_id, PostedMessage(PLATFORM, state.team, channel, ts)
            )
        return ts
