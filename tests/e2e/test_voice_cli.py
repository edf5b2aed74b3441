"""``earful transcribe`` and the doctor's voice line, in-process through typer's runner with the
real model (the 'voice' extra, installed by ``make install``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from voice_notes import espeak, voice_extra, voice_note, word_error_rate

from bot.cli import app

pytestmark = pytest.mark.slow
SAID = "My biggest problem is that our customers call me every morning to ask where their orders are."


@pytest.fixture
def runner(isolated_env: Path, voice_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    voice_extra()
    monkeypatch.setenv("EARFUL_VOICE_MODEL_DIR", str(voice_model_dir))
    return CliRunner()


def test_transcribe_prints_what_a_recording_says(runner: CliRunner, isolated_env: Path) -> None:
    espeak()
    recording = isolated_env / "call.ogg"
    recording.write_bytes(voice_note(SAID))
    done = runner.invoke(app, ["transcribe", str(recording)])
    assert done.exit_code == 0, done.output
    assert word_error_rate(SAID, done.stdout) <= 0.35, done.stdout
    shown = runner.invoke(app, ["transcribe", "--json", "--language", "en", str(recording)])
    heard = json.loads(shown.stdout)
    assert heard["language"] == "en" and 5 < heard["seconds"] < 12 and heard["avg_logprob"] < 0
    assert heard["text"] == done.stdout.strip()
    too_long = runner.invoke(app, ["transcribe", "--max-seconds", "2", str(recording)])
    assert too_long.exit_code == 1 and "--max-seconds raises the limit" in too_long.stderr


def test_transcribe_refuses_what_it_cannot_hear_in_one_line(runner: CliRunner, isolated_env: Path) -> None:
    corrupt = isolated_env / "notes.ogg"
    corrupt.write_text("these are meeting notes, not a recording\n" * 10)
    done = runner.invoke(app, ["transcribe", str(corrupt)])
    assert done.exit_code == 1
    assert (
        done.stderr.strip()
        == f"error: {corrupt}: the recording cannot be decoded (invalid data found when processing input)"
    )
    missing = runner.invoke(app, ["transcribe", str(isolated_env / "absent.ogg")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert "Traceback" not in done.output + missing.output


def test_the_doctor_reports_the_voice_extra(runner: CliRunner) -> None:
    done = runner.invoke(app, ["doctor", "--json"])
    [voice] = [c for c in json.loads(done.stdout)["checks"] if c["name"] == "extra voice"]
    assert voice["state"] == "ok" and "faster-whisper 1.2.1" in voice["detail"]
    assert "notes up to 300 s" in voice["detail"]


def test_earful_erase_takes_kept_recordings_too(runner: CliRunner, isolated_env: Path) -> None:
    espeak()
    from fakes import HashingEmbedder

    from bot.settings import Settings
    from bot.wiring import build_app
    from core.models import Answer, Consent, Start
    from core.service import Inbound
    from core.voice import VoiceNote

    note = voice_note(SAID)

    async def interview() -> str:
        async with build_app(Settings(keep_audio=True), embedder=HashingEmbedder()) as earful:
            assert earful.voice is not None
            for event in (Start(), Consent(given=True)):
                await earful.service.handle(Inbound("telegram", "77", event, team="T1"))

            async def download() -> bytes:
                return note

            await earful.voice.hear(VoiceNote("telegram", "77", "77:5"), download)
            heard = await earful.voice.waiting("telegram", "77", "77:5")
            assert heard is not None and heard.audio == "77-5.ogg"
            answer = Answer(text=heard.transcript.text, voice=heard.voice)
            await earful.service.handle(Inbound("telegram", "77", answer))
            await earful.voice.kept("telegram", heard)
            [stored] = await earful.sessions.answers(customer="77")
            assert stored.spoken
            return stored.pseudonym

    pseudonym = asyncio.run(interview())
    kept = list((isolated_env / "data" / "audio").rglob("*.ogg"))
    assert [path.read_bytes() for path in kept] == [note]
    done = runner.invoke(app, ["erase", "--customer", pseudonym])
    assert done.exit_code == 0, done.output
    assert list((isolated_env / "data" / "audio").rglob("*.ogg")) == []
