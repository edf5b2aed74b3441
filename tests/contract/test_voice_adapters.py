"""The voice adapters against real files and the real model: the model joined from its two
packages (size and hash checked), recordings decoded by PyAV with the length limit, Whisper run
off the event loop, and kept recordings on disk erased by raw id."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest
from voice_notes import espeak, voice_extra, voice_note, word_error_rate

from adapters.audio_files import AudioFiles
from core.errors import AudioTooLong, TranscriptionFailed, VoiceModelMissing

SAID = "My biggest problem is that our customers call me every morning to ask where their orders are."


@pytest.fixture(autouse=True)
def needs_extra() -> None:
    voice_extra()


def test_the_model_is_joined_once_and_checked_by_size_and_hash(tmp_path: Path) -> None:
    from adapters.whisper_model import MODEL_BYTES, MODEL_FILE, SIDE_FILES, STAMP, is_ready, prepare_model

    folder = tmp_path / "whisper-base"
    assert not is_ready(folder)
    assert prepare_model(folder) == folder
    model = folder / MODEL_FILE
    assert model.stat().st_size == MODEL_BYTES and is_ready(folder)
    assert all((folder / name).is_file() for name in SIDE_FILES)
    assert json.loads((folder / STAMP).read_text())["sha256"]
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    joined_at = model.stat().st_mtime_ns
    prepare_model(folder)  # ready: nothing is written again
    assert model.stat().st_mtime_ns == joined_at
    # A damaged model (same size, other bytes: the stamp no longer matches its time) is joined again.
    with model.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\0" * 16)
    os.utime(model, ns=(joined_at + 10**9, joined_at + 10**9))
    assert not is_ready(folder)
    prepare_model(folder)
    assert is_ready(folder) and model.stat().st_size == MODEL_BYTES


def test_an_unwritable_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    from adapters.whisper_model import prepare_model

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(VoiceModelMissing, match="EARFUL_VOICE_MODEL_DIR"):
        prepare_model(blocked / "whisper-base")


@pytest.mark.parametrize(
    "audio",
    [b"", b"plain text, not a recording\n" * 30, bytes(range(256)) * 200, b"OggS" + b"\x00" * 500],
    ids=["empty", "text", "noise", "broken-ogg"],
)
def test_what_is_not_a_recording_cannot_be_decoded(audio: bytes) -> None:
    from adapters.whisper import decode

    with pytest.raises(TranscriptionFailed):
        decode(audio, 300)


def test_decoding_stops_at_the_limit_and_a_cut_note_still_decodes() -> None:
    from adapters.whisper import SAMPLE_RATE, decode

    espeak()
    note = voice_note(SAID)
    samples = decode(note, 300)
    assert 5 < len(samples) / SAMPLE_RATE < 12 and float(abs(samples).max()) <= 1.0
    with pytest.raises(AudioTooLong) as refused:
        decode(note, 2)
    assert refused.value.limit == 2
    assert 0 < len(decode(note[: len(note) // 2], 300)) < len(samples)  # a truncated upload


def test_the_interview_language_is_likelier_but_not_forced() -> None:
    from adapters.whisper import likeliest

    heard = [("it", 0.5), ("es", 0.2), ("en", 0.01)]
    assert likeliest(heard, "es") == "es"  # 0.2 x 5 beats 0.5
    assert likeliest(heard, "en") == "it"  # 0.01 x 5 does not
    assert likeliest([("de", 0.9), ("en", 0.05)], "en") == "de"
    assert likeliest([], "fr") == "fr"


async def test_whisper_hears_a_note_off_the_event_loop(voice_model_dir: Path) -> None:
    from adapters.whisper import WhisperTranscriber

    espeak()
    note = voice_note(SAID)
    transcriber = WhisperTranscriber(voice_model_dir)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    try:
        heard = await transcriber.transcribe(note, max_seconds=300, language="en")
    finally:
        ticker.cancel()
        transcriber.close()
    elapsed = time.perf_counter() - started
    # The loop kept running while the model loaded and listened (it ticks every 50 ms).
    assert ticks >= elapsed / 0.05 * 0.5, (ticks, elapsed)
    assert heard.language == "en" and 5 < heard.seconds < 12
    assert heard.avg_logprob is not None and heard.avg_logprob < 0
    assert word_error_rate(SAID, heard.text) <= 0.35, heard.text
    with pytest.raises(TranscriptionFailed):
        await WhisperTranscriber(voice_model_dir).transcribe(b"not audio", max_seconds=300)


async def test_kept_recordings_are_erased_by_raw_id_and_team(tmp_path: Path) -> None:
    files = AudioFiles(tmp_path / "audio")
    await files.keep("T1", "4242", "4242-7.ogg", b"one")
    await files.keep("T1", "4242", "4242-8.ogg", b"two")
    await files.keep("T2", "4242", "4242-9.ogg", b"three")
    await files.keep("T1", "5151", "../../escape.ogg", b"four")
    root = tmp_path / "audio"
    stored = sorted(root.rglob("*.ogg"))
    assert sorted(p.name for p in stored) == ["-..-escape.ogg", "4242-7.ogg", "4242-8.ogg", "4242-9.ogg"]
    assert all(p.parent.parent.parent == root for p in stored)  # a name cannot leave its folder
    # Folder names hold no team or customer id.
    assert not any("4242" in part or "T1" in part for p in stored for part in p.relative_to(root).parts[:-1])
    await files.discard("T1", "4242", "4242-8.ogg")
    assert await files.erase("4242", team="T1") == 1
    assert await files.erase("4242", team="T1") == 0  # nothing left there
    assert await files.erase("4242") == 1  # by raw id, every team
    assert [p.name for p in root.rglob("*.ogg")] == ["-..-escape.ogg"]
    assert await files.erase("nobody") == 0


async def test_stories_in_the_index_say_whether_they_were_spoken(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from adapters.chroma_store import ChromaStoryStore, open_persistent_client
    from core.models import Story

    def story(i: int, spoken: bool) -> Story:
        return Story(
            id=f"s{i}",
            team="T1",
            interview_id=f"i{i}",
            customer=f"c{i}",
            question_id="q",
            question="What happened?",
            section="frustration",
            language="en",
            channel="telegram",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            text=f"story {i}",
            spoken=spoken,
        )

    store = ChromaStoryStore(open_persistent_client(tmp_path / "chroma"))
    await store.add([story(0, True), story(1, False)], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    assert [(s.id, s.spoken) for s in await store.get("T1", ["s0", "s1"])] == [("s0", True), ("s1", False)]
    [(found, _)] = await store.search("T1", [1.0, 0.0, 0.0], 1)
    assert found.spoken
