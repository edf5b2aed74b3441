"""What a customer gets on Telegram when a voice note cannot become an answer: too long, too big,
corrupt, not downloadable, sent outside an interview; and that nothing stored is lost, a kept
transcript survives a restart, and one joins typed text sent right after it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, consented, running_bot
from voice_notes import require_voice, voice_note

from core.catalog import Catalog
from core.voice import minutes

pytestmark = [pytest.mark.usefixtures("isolated_env"), pytest.mark.slow]
SAID = "I run a small bakery, and the worst part of my week is ordering flour."


@pytest.fixture(autouse=True)
def needs_voice() -> None:
    require_voice()


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture(scope="module")
def note() -> bytes:
    return voice_note(SAID)


async def test_refusals_say_why_and_lose_nothing_stored(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path, note: bytes
) -> None:
    voice = catalog.messages_for("en").voice
    data = tmp_path / "data"
    async with running_bot(tg, data, voice_model_dir=voice_model_dir, voice_max_seconds=60) as bot:
        outsider = Customer(tg, 910)  # no interview: nothing is downloaded or heard
        tg.send_voice(outsider.user, note, duration=6)
        await outsider.expect_text(catalog.messages_for("en").not_started)

        cai = await consented(bot.app, tg, 911)
        cai.say("I run the finance desk at a small logistics company with four colleagues.")
        await cai.expect("main things you're trying to get done")
        before = await bot.app.sessions.answers(customer="911")
        # Declared longer than EARFUL_VOICE_MAX_SECONDS: refused before any download.
        tg.send_voice(cai.user, note, duration=61)
        await cai.expect_text(voice.too_long.format(minutes="1"))
        # Over the 20 MB bots may download (as Telegram reports it): refused the same way.
        tg.send_voice(cai.user, note, duration=6, size=25_000_000)
        await cai.expect_text(voice.too_long.format(minutes="1"))
        assert tg.downloads == []
        # Not audio at all: "send it again or type".
        tg.send_voice(cai.user, b"\x00garbage, not an Ogg file" * 40, duration=4)
        await cai.expect_text(voice.failed)
        # The download fails (the file server answers 502): the same.
        tg.break_downloads(1)
        tg.send_voice(cai.user, note, duration=6)
        await cai.expect_text(voice.failed)
        # A sticker: text or a voice note, please.
        tg.send_sticker(cai.user)
        await cai.expect_text(voice.other_media)
        # An audio file (not a voice note) is heard too.
        tg.send_voice(cai.user, note, duration=6, as_audio=True)
        heard = await cai.expect("^I heard: «", timeout=120)
        assert heard.buttons[0].startswith("voice:keep:")
        assert await bot.app.sessions.answers(customer="911") == before
        assert not tg.rejected, tg.rejected


async def test_a_note_longer_than_it_says_is_refused_while_decoding(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path, note: bytes
) -> None:
    async with running_bot(
        tg, tmp_path / "data", voice_model_dir=voice_model_dir, voice_max_seconds=3
    ) as bot:
        dee = await consented(bot.app, tg, 912)
        tg.send_voice(dee.user, note, duration=2)  # declares 2 s, lasts about 6
        await dee.expect_text(catalog.messages_for("en").voice.too_long.format(minutes=minutes(3)))
        assert len(tg.downloads) == 1


async def test_a_waiting_transcript_survives_a_restart_and_joins_what_is_typed_next(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path, note: bytes
) -> None:
    data = tmp_path / "data"
    async with running_bot(tg, data, voice_model_dir=voice_model_dir) as bot:
        eve = await consented(bot.app, tg, 913)
        tg.send_voice(eve.user, note, duration=6)
        heard = await eve.expect("^I heard: «", timeout=120)
    transcript = heard.text.split("«", 1)[1].split("»", 1)[0]
    async with running_bot(tg, data, voice_model_dir=voice_model_dir, merge_window=1.0) as bot:
        eve.press(heard, heard.buttons[0])
        eve.say("We have two bakers and a van.")  # within the merge window: the same answer
        await eve.expect(r"\?$")  # the next question
        [answer] = await bot.app.sessions.answers(customer="913")
    assert answer.text == f"{transcript}\nWe have two bakers and a van."
    assert answer.spoken and answer.voice is not None and answer.voice.language == "en"


async def test_a_typed_answer_drops_a_transcript_left_waiting(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path, note: bytes
) -> None:
    async with running_bot(tg, tmp_path / "data", voice_model_dir=voice_model_dir) as bot:
        fay = await consented(bot.app, tg, 914)
        tg.send_voice(fay.user, note, duration=6)
        heard = await fay.expect("^I heard: «", timeout=120)
        fay.say("I run a bakery; I'd rather type it.")
        await fay.expect("main things you're trying to get done")
        fay.press(heard, heard.buttons[0])  # pressed late: it would answer the wrong question
        await fay.expect_text(catalog.messages_for("en").voice.expired)
        answers = await bot.app.sessions.answers(customer="914")
    assert [a.text for a in answers] == ["I run a bakery; I'd rather type it."]
    assert not answers[0].spoken


async def test_without_the_voice_extra_a_note_gets_the_please_type_message(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, note: bytes
) -> None:
    async with running_bot(tg, tmp_path / "data", voice=False) as bot:
        gus = await consented(bot.app, tg, 915)
        tg.send_voice(gus.user, note, duration=6)
        await gus.expect_text(catalog.messages_for("en").unsupported_message)
        assert tg.downloads == []
        assert await bot.app.sessions.answers(customer="915") == []
