"""Spoken answers: a voice note is transcribed, shown back to the customer ("I heard: «…»"), and
becomes their answer only when they keep it.

A speech model mishears (a synthetic voice's "retyping forty invoices" came back as "retiping
for the invoices"), so the customer always sees what was heard and chooses: keep it, or type it
again. Until they choose, the transcript waits durably in the session store as a held part of
the channel ``<channel>:heard`` (so a restart loses nothing and ``/forget`` erases it with the
rest); the recording itself is kept only when the installation asks for it (an
:class:`AudioArchive`).

The channels fetch the audio and render the buttons; what is refused, and in what words, is
decided here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import AudioTooLong, AudioUnavailable, EarfulError, TranscriptionFailed, VoiceModelMissing
from core.limits import ANSWER_CHARS
from core.messages import Messages
from core.models import OPEN_STATUSES, Choice, Reply, ReplyKind, Voice
from core.ports import AudioArchive
from core.service import InterviewService

log = logging.getLogger(__name__)

# Button values: "voice:keep:<key>" keeps the transcript of note <key>, "voice:again:<key>" drops it.
KEEP = "voice:keep:"
AGAIN = "voice:again:"
HEARD_CHANNEL = ":heard"  # suffix of the held-parts channel where transcripts wait for a choice


class Transcript(BaseModel):
    """What a recording was heard to say."""

    model_config = ConfigDict(frozen=True)

    text: str
    language: str | None = None  # detected, ISO 639-1
    avg_logprob: float | None = None  # mean log-probability of the transcript's tokens
    seconds: float = 0.0  # the recording's length


class TranscriptsOnHold(Protocol):
    """Where transcripts wait durably for the customer's choice: the session store's database,
    as held parts of the channel ``<channel>:heard``."""

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        """Keep ``payload`` under ``key``; ``False`` when ``key`` is held already."""
        ...

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        """``(key, customer, payload)`` of everything held for ``channel``, oldest first."""
        ...

    async def release_parts(self, keys: Sequence[str]) -> None:
        """Forget what is held under these keys."""
        ...


class Transcriber(Protocol):
    """Speech to text, offline. Implementations keep the event loop free (a worker thread)."""

    async def transcribe(
        self, audio: bytes, *, max_seconds: float, language: str | None = None
    ) -> Transcript:
        """The transcript of ``audio`` (an encoded file: Ogg/Opus, MP3, M4A, WAV, WebM...).

        ``language`` is the language the speaker most likely uses (the interview's): a prior for
        detection, not a constraint. Raises :class:`~core.errors.AudioTooLong` when the decoded
        recording lasts more than ``max_seconds`` (before any transcription), and
        :class:`~core.errors.TranscriptionFailed` when it cannot be decoded or transcribed."""
        ...


@dataclass(frozen=True)
class VoiceNote:
    """A recording a customer sent, as its channel describes it before fetching it.

    ``key`` names the note on its channel (its buttons carry it); ``seconds`` and ``size`` are
    what the platform declares, checked before anything is downloaded; ``max_bytes`` is the
    largest file the platform lets a bot download; ``language`` is the customer's app language,
    for wording when no interview says otherwise; ``suffix`` is the file type, for kept audio."""

    channel: str
    customer: str
    key: str
    seconds: float | None = None
    size: int | None = None
    max_bytes: int | None = None
    language: str | None = None
    suffix: str = ".ogg"


class Heard(BaseModel):
    """A transcript waiting for the customer to keep it or type again."""

    model_config = ConfigDict(frozen=True)

    key: str
    transcript: Transcript
    team: str = ""  # the team of the interview it was heard in
    audio: str | None = None  # the kept recording's name, when audio is kept

    @property
    def voice(self) -> Voice:
        """How the answer was heard, as the stored answer records it."""
        heard = self.transcript
        return Voice(
            language=heard.language, avg_logprob=heard.avg_logprob, seconds=heard.seconds, audio=self.audio
        )


def voice_choice(value: str) -> tuple[bool, str] | None:
    """``(keep, key)`` for a voice button's value; ``None`` for any other value."""
    for prefix, keep in ((KEEP, True), (AGAIN, False)):
        if value.startswith(prefix) and len(value) > len(prefix):
            return keep, value[len(prefix) :]
    return None


def minutes(seconds: float) -> str:
    """``300`` -> ``"5"``, ``90`` -> ``"1.5"``: a limit as the wording quotes it."""
    return f"{round(seconds / 60, 1):g}"


class VoiceNotes:
    """The voice answers of every channel: hear a note, then keep or drop what was heard."""

    def __init__(
        self,
        service: InterviewService,
        transcriber: Transcriber,
        on_hold: TranscriptsOnHold,
        *,
        max_seconds: float = 300.0,
        archive: AudioArchive | None = None,
    ) -> None:
        """``on_hold``: where transcripts wait for a choice; ``archive``: where recordings are
        kept (``None``: they are never kept)."""
        self._service = service
        self._transcriber = transcriber
        self._on_hold = on_hold
        self.max_seconds = max_seconds
        self._archive = archive

    async def hear(self, note: VoiceNote, download: Callable[[], Awaitable[bytes]]) -> list[Reply]:
        """Fetch (``download``, which raises :class:`AudioUnavailable`) and transcribe ``note``,
        and say what was heard with buttons to keep it or type it again; or say why not. Nothing
        stored before is touched whatever happens."""
        state = await self._service.current(note.channel, note.customer)
        messages = self._service.catalog.messages_for(state.language if state else note.language or "en")
        if state is None:
            return [_info(messages.not_started)]
        if state.status not in OPEN_STATUSES:
            return [_info(messages.already_finished)]
        too_long = [_info(messages.voice.too_long.format(minutes=minutes(self.max_seconds)))]
        if note.seconds is not None and note.seconds > self.max_seconds:
            return too_long
        if note.size is not None and note.max_bytes is not None and note.size > note.max_bytes:
            return too_long
        try:
            audio = await download()
            heard = await self._transcriber.transcribe(
                audio, max_seconds=self.max_seconds, language=state.language
            )
        except AudioTooLong:
            return too_long
        except VoiceModelMissing as error:  # installed without its model: voice is off
            log.error("voice notes cannot be transcribed: %s", error)
            return [_info(messages.unsupported_message)]
        except (AudioUnavailable, TranscriptionFailed) as error:
            log.warning("voice note %s on %s not heard: %s", note.key, note.channel, error)
            return [_info(messages.voice.failed)]
        text = " ".join(heard.text.split())
        if not text:
            return [_info(messages.voice.empty)]
        if len(text) > ANSWER_CHARS:
            return [_info(messages.answer_too_long.format(limit=ANSWER_CHARS))]
        name = None
        if self._archive is not None:
            name = f"{_safe(note.key)}{note.suffix}"
            await self._archive.keep(state.team, note.customer, name, audio)
        waiting = Heard(
            key=note.key, transcript=heard.model_copy(update={"text": text}), team=state.team, audio=name
        )
        await self._on_hold.hold_part(
            note.channel + HEARD_CHANNEL,
            note.customer,
            _held(note.channel, note.key),
            waiting.model_dump_json(),
        )
        return [heard_reply(messages, waiting)]

    async def waiting(self, channel: str, customer: str, key: str) -> Heard | None:
        """The transcript of note ``key`` still waiting for ``customer``'s choice, if any."""
        for held_key, held_customer, payload in await self._on_hold.held_parts(channel + HEARD_CHANNEL):
            if held_key == _held(channel, key) and held_customer == customer:
                try:
                    return Heard.model_validate_json(payload)
                except ValidationError:
                    log.warning("a held transcript of %s could not be read; dropped", channel)
                    await self._on_hold.release_parts([held_key])
        return None

    async def kept(self, channel: str, heard: Heard) -> None:
        """The customer kept ``heard``: it no longer waits (call once the answer is safe)."""
        await self._on_hold.release_parts([_held(channel, heard.key)])

    async def again(self, channel: str, customer: str, key: str) -> list[Reply]:
        """The customer will type it again: the transcript (and any kept recording) is dropped."""
        state = await self._service.current(channel, customer)
        messages = self._service.catalog.messages_for(state.language if state else "en")
        heard = await self.waiting(channel, customer, key)
        if heard is None:
            return [_info(messages.voice.expired)]
        await self._drop(channel, customer, heard)
        return [_info(messages.voice.retype)]

    async def expired(self, channel: str, customer: str) -> list[Reply]:
        """What a button of a transcript that no longer waits says."""
        state = await self._service.current(channel, customer)
        return [_info(self._service.catalog.messages_for(state.language if state else "en").voice.expired)]

    async def supersede(self, channel: str, customer: str) -> None:
        """A new answer came in: transcripts ``customer`` left waiting are dropped (a button
        pressed later says so), so that none becomes an answer to a later question."""
        for key, held_customer, payload in await self._on_hold.held_parts(channel + HEARD_CHANNEL):
            if held_customer == customer:
                try:
                    await self._drop(channel, customer, Heard.model_validate_json(payload))
                except ValidationError:
                    await self._on_hold.release_parts([key])

    async def _drop(self, channel: str, customer: str, heard: Heard) -> None:
        await self._on_hold.release_parts([_held(channel, heard.key)])
        if self._archive is not None and heard.audio is not None:
            try:
                await self._archive.discard(heard.team, customer, heard.audio)
            except EarfulError as error:  # the transcript is dropped; the file goes with the customer
                log.warning("could not delete a dropped recording: %s", error)


def heard_reply(messages: Messages, heard: Heard) -> Reply:
    """ "I heard: «…»" with the buttons to keep it or type it again."""
    return Reply(
        kind=ReplyKind.HEARD,
        text=messages.voice.heard.format(text=heard.transcript.text),
        choices=(
            Choice(label=messages.voice.keep, value=KEEP + heard.key),
            Choice(label=messages.voice.again, value=AGAIN + heard.key),
        ),
    )


def _info(text: str) -> Reply:
    return Reply(kind=ReplyKind.INFO, text=text)


def _held(channel: str, key: str) -> str:
    """The held part's key of note ``key`` (held-part keys are unique across channels)."""
    return f"{channel}{HEARD_CHANNEL}:{key}"


def _safe(key: str) -> str:
    """A note's key as a file name (keys hold ``:`` and platform ids)."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in key)[:120]
