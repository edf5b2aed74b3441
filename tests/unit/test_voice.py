"""The voice-note flow in the core: what is heard is shown back, kept or typed again; what is
refused, and in what words; what the stored answer records; and erasure of kept recordings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from fakes import TEST_PSEUDONYMS, MemoryAudioArchive, MemorySessionStore, ScriptedTranscriber, read_as

from core.catalog import Catalog
from core.errors import AudioUnavailable
from core.models import Answer, Consent, ReplyKind, Start
from core.probing import RuleBasedFollowUp
from core.reading import Act, Facet
from core.service import Inbound, InterviewService
from core.summary import summarize
from core.voice import AGAIN, KEEP, VoiceNote, VoiceNotes, minutes, voice_choice

CHANNEL = "telegram"
ROLE = "I run a small bakery and I order the flour myself."


@pytest.fixture
def archive() -> MemoryAudioArchive:
    return MemoryAudioArchive()


@pytest.fixture
def service(sessions: MemorySessionStore, catalog: Catalog, archive: MemoryAudioArchive) -> InterviewService:
    return InterviewService(
        sessions, catalog, RuleBasedFollowUp(catalog.messages_for), audio=archive, pseudonyms=TEST_PSEUDONYMS
    )


@pytest.fixture
def transcriber() -> ScriptedTranscriber:
    return ScriptedTranscriber()


@pytest.fixture
def notes(
    service: InterviewService, transcriber: ScriptedTranscriber, sessions: MemorySessionStore
) -> VoiceNotes:
    return VoiceNotes(service, transcriber, sessions, max_seconds=60)


async def begin(service: InterviewService, customer: str = "42") -> None:
    await service.handle(Inbound(channel=CHANNEL, customer=customer, event=Start(), team="T1"))
    await service.handle(Inbound(channel=CHANNEL, customer=customer, event=Consent(given=True)))


def note(
    key: str = "42:7", seconds: float | None = None, size: int | None = None, max_bytes: int | None = None
) -> VoiceNote:
    return VoiceNote(CHANNEL, "42", key, seconds=seconds, size=size, max_bytes=max_bytes)


def fetching(audio: bytes) -> Callable[[], Awaitable[bytes]]:
    async def download() -> bytes:
        return audio

    return download


async def test_what_was_heard_is_shown_with_buttons_and_waits(
    service: InterviewService, notes: VoiceNotes, transcriber: ScriptedTranscriber, catalog: Catalog
) -> None:
    await begin(service)
    audio = transcriber.learn(b"role", ROLE)
    [reply] = await notes.hear(note(), fetching(audio))
    assert reply.kind is ReplyKind.HEARD
    assert reply.text == catalog.messages_for("en").voice.heard.format(text=ROLE)
    assert [c.value for c in reply.choices] == [KEEP + "42:7", AGAIN + "42:7"]
    assert transcriber.calls == [(b"role", "en")]  # the interview's language is the hint
    waiting = await notes.waiting(CHANNEL, "42", "42:7")
    assert waiting is not None and waiting.transcript.text == ROLE and waiting.audio is None
    assert await notes.waiting(CHANNEL, "someone else", "42:7") is None


async def test_kept_it_is_the_answer_and_records_how_it_was_heard(
    service: InterviewService,
    notes: VoiceNotes,
    transcriber: ScriptedTranscriber,
    sessions: MemorySessionStore,
) -> None:
    await begin(service)
    await notes.hear(note(), fetching(transcriber.learn(b"role", ROLE, language="en", seconds=4.5)))
    heard = await notes.waiting(CHANNEL, "42", "42:7")
    assert heard is not None
    outcome = await service.handle(
        Inbound(channel=CHANNEL, customer="42", event=Answer(text=heard.transcript.text, voice=heard.voice))
    )
    await notes.kept(CHANNEL, heard)
    [answer] = await sessions.answers(customer="42")
    assert outcome.answer_id == answer.id and answer.text == ROLE
    assert answer.spoken and answer.voice is not None
    assert (answer.voice.language, answer.voice.avg_logprob, answer.voice.seconds) == ("en", -0.25, 4.5)
    assert '"spoken":true' in answer.model_dump_json()
    assert await notes.waiting(CHANNEL, "42", "42:7") is None
    # Typed answers are not spoken.
    await service.handle(Inbound(channel=CHANNEL, customer="42", event=Answer(text="We bake bread.")))
    assert [a.spoken for a in await sessions.answers(customer="42")] == [True, False]


async def test_type_it_again_drops_it_and_a_stale_button_says_so(
    service: InterviewService, notes: VoiceNotes, transcriber: ScriptedTranscriber, catalog: Catalog
) -> None:
    voice = catalog.messages_for("en").voice
    await begin(service)
    await notes.hear(note(), fetching(transcriber.learn(b"role", ROLE)))
    assert [r.text for r in await notes.again(CHANNEL, "42", "42:7")] == [voice.retype]
    assert await notes.waiting(CHANNEL, "42", "42:7") is None
    assert [r.text for r in await notes.again(CHANNEL, "42", "42:7")] == [voice.expired]
    assert [r.text for r in await notes.expired(CHANNEL, "42")] == [voice.expired]


async def test_refusals_say_why_and_store_nothing(
    service: InterviewService,
    notes: VoiceNotes,
    transcriber: ScriptedTranscriber,
    catalog: Catalog,
    sessions: MemorySessionStore,
) -> None:
    en = catalog.messages_for("en")
    too_long = en.voice.too_long.format(minutes="1")
    audio = transcriber.learn(b"role", ROLE)
    # No interview: nothing is downloaded or heard.
    assert [r.text for r in await notes.hear(note(), fetching(audio))] == [en.not_started]
    assert transcriber.calls == []
    await begin(service)
    assert [r.text for r in await notes.hear(note(seconds=61), fetching(audio))] == [too_long]
    oversized = note(size=21_000_000, max_bytes=20_000_000)
    assert [r.text for r in await notes.hear(oversized, fetching(audio))] == [too_long]
    assert transcriber.calls == []
    # Longer than it said: refused once decoding finds out.
    long_audio = transcriber.learn(b"long", ROLE, seconds=75)
    assert [r.text for r in await notes.hear(note(seconds=20), fetching(long_audio))] == [too_long]
    assert [r.text for r in await notes.hear(note(), fetching(b"corrupt"))] == [en.voice.failed]

    async def broken() -> bytes:
        raise AudioUnavailable("502 from the file server")

    assert [r.text for r in await notes.hear(note(), broken)] == [en.voice.failed]
    silent = transcriber.learn(b"silence", "   ")
    assert [r.text for r in await notes.hear(note(), fetching(silent))] == [en.voice.empty]
    assert await sessions.answers() == [] and sessions.held == {}


async def test_a_new_answer_supersedes_waiting_transcripts(
    service: InterviewService, notes: VoiceNotes, transcriber: ScriptedTranscriber
) -> None:
    await begin(service)
    await begin(service, customer="43")
    await notes.hear(note("42:7"), fetching(transcriber.learn(b"a", ROLE)))
    other = VoiceNote(channel=CHANNEL, customer="43", key="43:9")
    await notes.hear(other, fetching(transcriber.learn(b"b", ROLE)))
    await notes.supersede(CHANNEL, "42")
    assert await notes.waiting(CHANNEL, "42", "42:7") is None
    assert await notes.waiting(CHANNEL, "43", "43:9") is not None  # someone else's stays


async def test_kept_recordings_are_named_on_the_answer_and_erased_with_the_customer(
    service: InterviewService,
    transcriber: ScriptedTranscriber,
    archive: MemoryAudioArchive,
    sessions: MemorySessionStore,
) -> None:
    notes = VoiceNotes(service, transcriber, sessions, archive=archive)
    await begin(service)
    await notes.hear(note("42:7"), fetching(transcriber.learn(b"one", ROLE)))
    await notes.hear(note("42:8"), fetching(transcriber.learn(b"two", "Not this one.")))
    await notes.again(CHANNEL, "42", "42:8")  # typed again: its recording goes at once
    heard = await notes.waiting(CHANNEL, "42", "42:7")
    assert heard is not None and heard.audio == "42-7.ogg"
    assert archive.files == {("T1", "42"): {"42-7.ogg": b"one"}}
    await service.handle(
        Inbound(channel=CHANNEL, customer="42", event=Answer(text=heard.transcript.text, voice=heard.voice))
    )
    [answer] = await sessions.answers(customer="42")
    assert answer.voice is not None and answer.voice.audio == "42-7.ogg"
    # `earful erase --customer <pseudonym>` erases the raw ids behind it, as /forget does.
    [(channel, raw)] = await service.customers_known_as(answer.pseudonym)
    erased = await service.erase_customer(raw, channel=channel)
    assert erased.pseudonyms == (("T1", answer.pseudonym),) and erased.recordings == 1
    assert archive.files == {}


async def test_spoken_quotes_are_marked_in_summaries(
    service: InterviewService, transcriber: ScriptedTranscriber, sessions: MemorySessionStore
) -> None:
    await begin(service)
    story = "Last Tuesday the flour delivery never came and I lost a whole day of baking."
    heard = transcriber.learn(b"story", story)
    notes = VoiceNotes(service, transcriber, sessions)
    for text in (ROLE, "I want fresh bread every morning.", story):
        if text == story:
            await notes.hear(note("42:9"), fetching(heard))
            waiting = await notes.waiting(CHANNEL, "42", "42:9")
            assert waiting is not None
            event = Answer(text=waiting.transcript.text, voice=waiting.voice)
        else:
            event = Answer(text=text)
        await service.handle(Inbound(channel=CHANNEL, customer="42", event=event))
    answers = await sessions.answers(customer="42")
    state = await service.current(CHANNEL, "42")
    assert state is not None
    # A reading that carries the story's problem (no reader runs in these tests).
    answers = [
        a.model_copy(update={"reading": read_as(a.text, Act.STORY, Facet.PROBLEM)}) if a.spoken else a
        for a in answers
    ]
    summary = summarize(state, answers)
    assert [(q.text, q.spoken) for q in summary.frustrations] == [(story, True)]


def test_button_values_and_limits_read_back() -> None:
    assert voice_choice("voice:keep:12:34") == (True, "12:34")
    assert voice_choice("voice:again:F0ABC") == (False, "F0ABC")
    assert voice_choice("voice:keep:") is None and voice_choice("consent:yes") is None
    assert (minutes(300), minutes(90), minutes(60)) == ("5", "1.5", "1")


def test_spoken_quotes_are_marked_where_summaries_are_shown() -> None:
    from adapters.slack.blocks import summary_message
    from adapters.slack.wording import load_wording
    from bot.cli_insights import summary_text
    from core.summary import InterviewSummary, Quote

    summary = InterviewSummary(
        interview_id="i1",
        customer="Customer-ABC123",
        gist="Flour never arrives on time.",
        frustrations=(
            Quote(text="Flour never arrives on time.", question_id="q", answer_id="a1", spoken=True),
            Quote(text="The van breaks down.", question_id="q", answer_id="a2"),
        ),
    )
    wording = load_wording()
    _, blocks = summary_message(summary, wording)
    quoted = [b for b in blocks if b["type"] == "rich_text"]
    notes = [[e for e in b["elements"] if e["type"] == "rich_text_section"] for b in quoted]
    assert [bool(n) for n in notes] == [True, False]
    assert notes[0][0]["elements"][0]["text"] == wording.spoken_mark
    text = summary_text(summary)
    assert '  "Flour never arrives on time." (spoken)' in text and '  "The van breaks down."\n' in text
