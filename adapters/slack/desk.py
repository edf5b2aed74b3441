"""What a team can do from Slack, platform-free in its inputs: the listeners pass ids and
text in, and send out the (text, blocks) or views returned here.

Every operation is scoped to the requesting workspace's ``team_id``, which is the Earful team.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.blocks import Message
from adapters.slack.commands import (
    SECTIONS,
    mentioned_user,
    parse_story_query,
    split_invite,
    stories_request,
)
from adapters.slack.delivery import Poster
from adapters.slack.guests import SearchAccess
from adapters.slack.home_themes import HomeThemes, WhenReady
from adapters.slack.insight_blocks import persona_button, themes_blocks
from adapters.slack.lint_command import lint_command
from adapters.slack.mrkdwn import escape
from adapters.slack.wording import SlackWording
from core.choices import choice_event
from core.errors import AccessDenied, EarfulError, InputError, NotFound, StoreUnavailable
from core.invites import Invites, telegram_invite_link
from core.models import Answer, Event, Forget, Pause, Reply, ReplyKind, Resume, Skip, Start, Stop
from core.ports import SessionStore
from core.reading import AnswerReader
from core.service import Inbound, InterviewService, Outcome
from core.stories import StoryFinder
from core.team_views import team_overview, team_transcript

CHANNEL = "slack"
log = logging.getLogger(__name__)


@dataclass
class SlackDesk:
    """The team's operations: invites, DM interviews, story search, transcripts, the home tab."""

    service: InterviewService
    search: StoryFinder
    sessions: SessionStore
    invites: Invites
    wording: SlackWording
    poster: Poster
    telegram_bot_username: str | None = None
    results: int = 5
    themes: HomeThemes | None = None  # the App Home tab's themes (none: frequent words only)
    access: SearchAccess | None = None  # who may search (none: everyone, guests too)
    reader: AnswerReader | None = None  # reads answers stored without a reading

    def friendly(self, error: Exception) -> str:
        """Words for an error; unexpected ones are logged, never shown."""
        if isinstance(error, AccessDenied):
            return self.wording.transcript_denied
        if isinstance(error, NotFound):
            return self.wording.transcript_missing
        if isinstance(error, StoreUnavailable):
            return self.wording.store_unavailable
        if isinstance(error, InputError):
            sections = ", ".join(f"`{name}`" for name in SECTIONS)
            return self.wording.bad_filter.format(filter=escape(str(error)), sections=sections)
        if not isinstance(error, EarfulError):
            log.error("Slack request failed", exc_info=error)
        return self.wording.something_went_wrong

    # --- slash command -----------------------------------------------------------------

    async def command(
        self, client: AsyncWebClient, team: str, channel: str, name: str, args: str, user: str | None = None
    ) -> Message:
        """The reply to ``/earful <name> <args>`` from ``user`` (after any work it implies)."""
        try:
            if name == "stories":
                return await self.guarded_stories(client, team, user, args)
            if name == "invite":
                return await self.invite(team, channel, args)
            if name == "interview":
                return await self.interview(client, team, channel, args)
            if name == "lint":
                return await lint_command(client, args, self.wording)
            if name == "help":
                return blocks.text_message(self.wording.help)
            unknown = self.wording.unknown_command.format(command=escape(name))
            return blocks.text_message(f"{unknown}\n{self.wording.help}")
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            return blocks.text_message(self.friendly(error))

    async def guarded_stories(
        self, client: AsyncWebClient, team: str, user: str | None, text: str
    ) -> Message:
        """:meth:`stories`, for a user who may search (guests may not, unless allowed)."""
        if self.access is not None and not await self.access.may_search(client, team, user):
            return blocks.text_message(self.wording.guests_cannot_search)
        return await self.stories(team, text)

    async def stories(self, team: str, text: str) -> Message:
        """Stories of ``team`` like ``text`` (with ``section:``/``since:``/``lang:``/``evidence:``/
        ``facet:`` filters)."""
        query = parse_story_query(text)
        if not query.text:
            return blocks.text_message(self.wording.stories_need_text)
        hits = await self.search.search(team, query.text, self.results, **query.filters())
        return blocks.stories_message(query, hits, self.wording)

    async def invite(self, team: str, channel: str, args: str) -> Message:
        """A one-customer invite for this workspace, reported back to ``channel`` when done."""
        catalog = self.service.catalog
        script_id, note, unknown = split_invite(args, set(catalog.scripts))
        if unknown is not None:
            known = ", ".join(f"`{name}`" for name in sorted(catalog.scripts))
            return blocks.text_message(
                self.wording.unknown_script.format(script=escape(unknown), known=known)
            )
        invite = await self.invites.create(
            team,
            script_id=script_id,
            note=note,
            origin={"slack_team": team, "slack_channel": channel},
        )
        if not self.telegram_bot_username:
            return blocks.text_message(self.wording.invite_no_username.format(token=invite.token))
        link = telegram_invite_link(self.telegram_bot_username, invite.token)
        text = self.wording.invite_created.format(
            script=catalog.script(script_id).id, link=link, expires=invite.expires_at.date().isoformat()
        )
        return blocks.text_message(text)

    async def interview(self, client: AsyncWebClient, team: str, channel: str, args: str) -> Message:
        """Start (or remind of) an interview of a Slack user in a DM with the bot."""
        user = mentioned_user(args)
        if user is None:
            return blocks.text_message(self.wording.interview_needs_user)
        mention = f"<@{user}>"
        try:
            opened = await client.conversations_open(users=user)
            dm = str(opened["channel"]["id"])
        except Exception as error:  # noqa: BLE001 - e.g. a user the bot may not message
            log.warning("cannot open a DM with %s: %s", user, error)
            return blocks.text_message(self.wording.interview_dm_failed.format(user=mention))
        running = await self.service.open_interview(CHANNEL, user, team) is not None
        outcome = await self.service.handle(
            Inbound(
                channel=CHANNEL,
                customer=user,
                event=Start(),
                team=team,
                origin={"slack_team": team, "slack_channel": channel, "slack_dm": dm},
            )
        )
        await self.send_replies(client, dm, outcome.replies)
        wording = self.wording.interview_already_running if running else self.wording.interview_started
        return blocks.text_message(wording.format(user=mention))

    async def mention(
        self,
        client: AsyncWebClient,
        team: str,
        channel: str,
        thread: str | None,
        text: str,
        user: str | None = None,
    ) -> None:
        """``@Earful stories like TEXT`` in a channel: the results (or how to ask) in the thread."""
        query = stories_request(text)
        try:
            message = (
                await self.guarded_stories(client, team, user, query)
                if query is not None
                else blocks.text_message(self.wording.mention_help)
            )
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            message = blocks.text_message(self.friendly(error))
        await self.poster.post(client, channel, message, thread_ts=thread)

    # --- interview DMs -----------------------------------------------------------------

    async def send_replies(
        self, client: AsyncWebClient, channel: str, replies: list[Reply], language: str = "en"
    ) -> None:
        """Post the core's replies to a DM, in order, paced; a referral's thanks with its invite."""
        for reply in replies:
            if reply.kind is ReplyKind.REFERRAL and reply.invite:
                username = self.telegram_bot_username
                link = telegram_invite_link(username, reply.invite) if username else None
                invite = self.service.catalog.messages_for(language).referral_invite(reply.invite, link)
                reply = reply.model_copy(update={"text": f"{reply.text}\n{invite}"})
            await self.poster.post(client, channel, blocks.reply_message(reply))

    def _dm_event(self, text: str) -> Event:
        words = self.wording.dm_commands
        table: dict[str, Event] = {
            words.pause: Pause(),
            words.resume: Resume(),
            words.skip: Skip(),
            words.stop: Stop(),
            words.forget: Forget(),
        }
        return table.get(text.strip().strip(".!").casefold(), Answer(text=text))

    async def direct_message(self, client: AsyncWebClient, team: str, user: str, dm: str, text: str) -> None:
        """A DM to the bot: an interview answer if one is running, else a story search (the core
        decides which, under the conversation's lock)."""
        if text.strip().casefold() == self.wording.dm_commands.help:
            interviewing = await self.service.open_interview(CHANNEL, user, team) is not None
            words = self.wording.interview_help if interviewing else self.wording.dm_help
            await self.poster.post(client, dm, blocks.text_message(words))
            return
        inbound = Inbound(channel=CHANNEL, customer=user, event=self._dm_event(text), team=team)
        try:
            outcome = await self.service.continue_interview(inbound)
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            await self.poster.post(client, dm, blocks.text_message(self.friendly(error)))
            return
        if outcome is not None:
            await self._send_outcome(client, dm, outcome)
            return
        query = stories_request(text)
        try:
            message = (
                await self.guarded_stories(client, team, user, query)
                if query is not None
                else blocks.text_message(self.wording.dm_help)
            )
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            message = blocks.text_message(self.friendly(error))
        await self.poster.post(client, dm, message)

    async def answer(self, client: AsyncWebClient, team: str, user: str, dm: str, event: Event) -> None:
        """Give the interview one event from its customer and post what the core replies."""
        try:
            outcome = await self.service.handle(
                Inbound(channel=CHANNEL, customer=user, event=event, team=team)
            )
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            await self.poster.post(client, dm, blocks.text_message(self.friendly(error)))
            return
        await self._send_outcome(client, dm, outcome)

    async def _send_outcome(self, client: AsyncWebClient, dm: str, outcome: Outcome) -> None:
        language = outcome.state.language if outcome.state else "en"
        await self.send_replies(client, dm, outcome.replies, language)

    async def choice(self, client: AsyncWebClient, team: str, user: str, dm: str, value: str) -> None:
        """A button pressed in an interview DM."""
        event = choice_event(value)
        if event is not None:
            await self.answer(client, team, user, dm, event)

    # --- reading -----------------------------------------------------------------------

    async def transcript_view(self, team: str, interview_id: str) -> dict[str, Any]:
        """A modal with a whole interview of ``team`` (or with the reason it cannot be shown)."""
        try:
            state, answers = await team_transcript(self.sessions, team, interview_id)
        except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
            return blocks.notice_view(self.wording.transcript_title, self.friendly(error))
        pseudonym = state.pseudonym if state else answers[0].pseudonym
        when = answers[0].created_at.date().isoformat() if answers else "?"
        button = persona_button(interview_id, self.wording)
        return blocks.transcript_view(pseudonym, answers, self.wording, when, actions=button)

    async def home(self, team: str, when_ready: WhenReady | None = None) -> dict[str, Any]:
        """The App Home tab of ``team``; stale themes start a background refresh, after which
        ``when_ready`` is called (e.g. to publish the tab again)."""
        overview = await team_overview(self.sessions, team, self.wording.stopwords, reader=self.reader)
        if self.themes is None:
            return blocks.home_view(overview, self.wording)
        enough = overview.theme_interviews >= self.themes.needed_interviews
        if enough:
            self.themes.refresh(team, overview.stories_marker, when_ready)
        shown = themes_blocks(
            self.themes.cached(team),
            overview.theme_interviews,
            self.themes.needed_interviews,
            self.themes.computing(team),
            self.wording,
            self.themes.shown,
        )
        return blocks.home_view(overview, self.wording, shown)

    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        """Publish ``user``'s App Home tab now, and again once fresh themes are ready."""

        async def again() -> None:
            await client.views_publish(user_id=user, view=await self.home(team))

        await client.views_publish(user_id=user, view=await self.home(team, again))
