"""Voice notes and audio files on Telegram.

A voice note (or an audio file) is fetched through the Bot API (``getFile``, then the file URL;
bots may download files of up to 20 MB) while the chat shows "typing…", and handed to the
core's :class:`~core.voice.VoiceNotes`, which says what was heard, with buttons to keep it or
type it again. A kept transcript joins the chat's answer like a typed message (the merge window
applies); the other button drops it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Audio, Bot, Message, Update, Voice
from telegram.constants import FileSizeLimit
from telegram.error import TelegramError
from telegram.warnings import PTBDeprecationWarning

from adapters.telegram.merging import HeldPart, Part
from adapters.telegram.sending import Sender
from adapters.telegram.translate import message_key
from core.errors import AudioUnavailable, EarfulError
from core.service import InterviewService
from core.voice import VoiceNote, VoiceNotes

log = logging.getLogger(__name__)
CHANNEL = "telegram"
# Bots may download files of up to 20 MB through the Bot API (getFile).
MAX_DOWNLOAD_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
# File types as recordings are kept, by MIME type (a voice note is Opus in Ogg).
SUFFIXES = {"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/x-m4a": ".m4a"}

TakePart = Callable[[HeldPart], Awaitable[None]]


def seconds(media: Voice | Audio) -> float | None:
    """A recording's length as Telegram declares it (PTB gives seconds, or a timedelta once
    PTB_TIMEDELTA is set; reading it warns that the int form will go, which is handled here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        duration = media.duration
    if duration is None:
        return None
    return duration.total_seconds() if isinstance(duration, timedelta) else float(duration)


def recording(message: Message) -> Voice | Audio | None:
    """The voice note or audio file a message carries."""
    return message.voice or message.audio


class TelegramVoice:
    """Hears voice notes for the Telegram channel; ``take_part`` adds a kept transcript to the
    chat's answer as the channel adds a typed message."""

    def __init__(self, notes: VoiceNotes, service: InterviewService, take_part: TakePart) -> None:
        self.notes = notes
        self._service = service
        self._take_part = take_part

    async def hear(self, update: Update, bot: Bot, send: Sender) -> None:
        """Fetch, transcribe and show back the recording of ``update``'s message."""
        message, user = update.message, update.effective_user
        media = recording(message) if message is not None else None
        if message is None or user is None or media is None:
            return
        note = VoiceNote(
            channel=CHANNEL,
            customer=str(user.id),
            key=message_key(message.chat_id, message.message_id),
            seconds=seconds(media),
            size=media.file_size,
            max_bytes=MAX_DOWNLOAD_BYTES,
            language=user.language_code,
            suffix=SUFFIXES.get(media.mime_type or "audio/ogg", ".audio"),
        )

        async def download() -> bytes:
            return await fetch(bot, media.file_id)

        try:
            async with send.typing_while(message.chat_id):
                replies = await self.notes.hear(note, download)
        except EarfulError as error:  # the store is down: nothing was kept, they can send it again
            log.warning("a voice note of chat %s was not heard: %s", message.chat_id, error)
            words = self._service.catalog.messages_for(user.language_code or "en").try_again_later
            await send.texts(message.chat_id, [words])
            return
        await send.replies(message.chat_id, replies)

    async def choose(self, update: Update, keep: bool, key: str, send: Sender) -> None:
        """A press of "keep it" (the transcript joins the answer) or "type it again"."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        customer = str(user.id)
        try:
            if not keep:
                await send.replies(chat.id, await self.notes.again(CHANNEL, customer, key))
                return
            heard = await self.notes.waiting(CHANNEL, customer, key)
            if heard is None:
                await send.replies(chat.id, await self.notes.expired(CHANNEL, customer))
                return
            _, _, message_id = key.rpartition(":")
            part = Part(update.update_id, int(message_id or 0), heard.transcript.text, heard.voice)
            # Held as a part of the answer before it stops waiting as a transcript: no moment
            # when a crash could lose it.
            await self._take_part(HeldPart(chat.id, user.id, user.language_code, part))
            await self.notes.kept(CHANNEL, heard)
        except EarfulError as error:
            log.warning("a voice choice in chat %s failed: %s", chat.id, error)
            words = self._service.catalog.messages_for(user.language_code or "en").try_again_later
            await send.texts(chat.id, [words])

    async def supersede(self, user_id: int) -> None:
        """An answer is being given: transcripts still waiting for this customer are dropped."""
        try:
            await self.notes.supersede(CHANNEL, str(user_id))
        except EarfulError as error:  # they stay; a press of their button later still works
            log.warning("could not drop waiting transcripts of a customer: %s", error)


async def fetch(bot: Bot, file_id: str) -> bytes:
    """A file's bytes through the Bot API (``getFile`` and the file URL)."""
    try:
        file = await bot.get_file(file_id)
        if file.file_size is not None and file.file_size > MAX_DOWNLOAD_BYTES:
            raise AudioUnavailable(f"the file has {file.file_size} bytes, more than bots may download")
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        raise AudioUnavailable(f"the file could not be downloaded: {error}") from None
    except RuntimeError as error:  # PTB: a file without a path to download it from
        raise AudioUnavailable(str(error)) from None
