"""Audio clips in a Slack DM interview: heard like Telegram's voice notes.

A clip recorded in Slack (or an audio file shared in the DM) arrives as a ``file_share``
message; its details and download link come from ``files.info``, and the file itself from its
private URL with the bot token (the ``files:read`` scope). The core's
:class:`~core.voice.VoiceNotes` says what was heard, with buttons to keep it or type it again;
kept, it is the interview's next answer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.desk import SlackDesk
from adapters.slack.files import FileUnreadable, private_file
from core.errors import AudioUnavailable, EarfulError
from core.models import OPEN_STATUSES, Answer
from core.service import Inbound
from core.voice import VoiceNote, VoiceNotes

log = logging.getLogger(__name__)
CHANNEL = "slack"
# Slack lets a bot download large files; a voice answer needs far less (5 minutes of a clip is a
# few megabytes), so the same 20 MB bound as on Telegram keeps one clip from costing more.
MAX_AUDIO_BYTES = 20 * 1000 * 1000
SUFFIXES = {"webm": ".webm", "mp4": ".m4a", "m4a": ".m4a", "mp3": ".mp3", "ogg": ".ogg", "wav": ".wav"}


def audio_files(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The audio files a message event shares (a recorded clip is ``audio/*`` too)."""
    files = event.get("files")
    if not isinstance(files, list):
        return []
    return [f for f in files if isinstance(f, dict) and str(f.get("mimetype", "")).startswith("audio/")]


async def please_type(desk: SlackDesk, client: AsyncWebClient, team: str, user: str, dm: str) -> None:
    """Without voice: an interviewee who sends a clip is asked to type (others are not answered,
    as for any file shared in the DM)."""
    state = await desk.sessions.latest_for(CHANNEL, user)
    if state is not None and state.status in OPEN_STATUSES and state.team == team:
        words = desk.service.catalog.messages_for(state.language).unsupported_message
        await desk.poster.post(client, dm, blocks.text_message(words))


class SlackVoice:
    """Hears audio clips in DM interviews, for the Slack channel."""

    def __init__(self, notes: VoiceNotes, desk: SlackDesk) -> None:
        self.notes = notes
        self.desk = desk

    async def hear(
        self, client: AsyncWebClient, team: str, user: str, dm: str, files: Sequence[dict[str, Any]]
    ) -> None:
        """The first audio file of a DM: heard and shown back when the user is being
        interviewed by this workspace; otherwise the DM's help."""
        state = await self.desk.sessions.latest_for(CHANNEL, user)
        if state is None or state.status not in OPEN_STATUSES or state.team != team or not files:
            await self.desk.poster.post(client, dm, blocks.text_message(self.desk.wording.dm_help))
            return
        shared = files[0]
        file_id = str(shared.get("id", ""))
        duration = shared.get("duration_ms")
        note = VoiceNote(
            channel=CHANNEL,
            customer=user,
            key=file_id,
            seconds=duration / 1000 if isinstance(duration, int | float) else None,
            size=int(shared["size"]) if isinstance(shared.get("size"), int) else None,
            max_bytes=MAX_AUDIO_BYTES,
            language=state.language,
            suffix=SUFFIXES.get(str(shared.get("filetype", "")), ".audio"),
        )

        async def download() -> bytes:
            return await fetch(client, file_id)

        try:
            replies = await self.notes.hear(note, download)
        except EarfulError as error:
            await self.desk.poster.post(client, dm, blocks.text_message(self.desk.friendly(error)))
            return
        await self.desk.send_replies(client, dm, replies, state.language)

    async def choose(
        self, client: AsyncWebClient, team: str, user: str, dm: str, keep: bool, key: str
    ) -> None:
        """ "Keep it" (the transcript is the answer) or "type it again"."""
        try:
            if not keep:
                await self.desk.send_replies(client, dm, await self.notes.again(CHANNEL, user, key))
                return
            heard = await self.notes.waiting(CHANNEL, user, key)
            if heard is None:
                await self.desk.send_replies(client, dm, await self.notes.expired(CHANNEL, user))
                return
            answer = Answer(text=heard.transcript.text, voice=heard.voice)
            # Keyed by the clip: a second press of "keep it" cannot store it twice.
            inbound = Inbound(CHANNEL, user, answer, team=team, delivery_key=f"slack:voice:{key}")
            outcome = await self.desk.service.handle(inbound)
            if not outcome.unavailable:
                await self.notes.kept(CHANNEL, heard)
        except EarfulError as error:
            await self.desk.poster.post(client, dm, blocks.text_message(self.desk.friendly(error)))
            return
        language = outcome.state.language if outcome.state else "en"
        await self.desk.send_replies(client, dm, outcome.replies, language)

    async def supersede(self, user: str) -> None:
        """A typed answer came: the user's transcripts still waiting are dropped."""
        try:
            await self.notes.supersede(CHANNEL, user)
        except EarfulError as error:
            log.warning("could not drop waiting transcripts of a Slack user: %s", error)


async def fetch(client: AsyncWebClient, file_id: str) -> bytes:
    """A shared clip's bytes, fetched as the bot (``files.info``, then its private link)."""
    try:
        _, body = await private_file(
            client, file_id, MAX_AUDIO_BYTES, too_big="larger than a voice answer may be", timeout=60
        )
    except FileUnreadable as error:
        raise AudioUnavailable(str(error)) from None
    return body
