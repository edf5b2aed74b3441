"""Voice answers on Telegram, end to end: voice notes spoken by espeak-ng, encoded as Telegram
records them (Opus in Ogg), sent through the Bot API emulator as ``voice`` messages, downloaded
by the real python-telegram-bot (getFile, then the file URL), heard by the real Whisper model,
shown back ("I heard: «…»") and kept or typed again."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import consented, running_bot
from voice_notes import require_voice, voice_note, word_error_rate

from core.catalog import Catalog

pytestmark = [pytest.mark.usefixtures("isolated_env"), pytest.mark.slow]
WER_LIMIT = 0.35

ROLE_SAID = "I run a small bakery, and the worst part of my week is ordering flour."
CONTEXT_SAID = "My biggest problem is that our customers call me every morning to ask where their orders are."
TYPED = "I run a small bakery with two bakers, and I do all the ordering myself."
SPANISH = (
    "Tengo una tienda pequeña y cada mañana contesto los mensajes de los clientes.",
    "Lo más importante para mí es que los clientes reciban sus pedidos a tiempo.",
)


@pytest.fixture(autouse=True)
def needs_voice() -> None:
    require_voice()


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


def stored(data: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(data / "earful.sqlite3") as db:
        return [json.loads(row[0]) for row in db.execute("SELECT record FROM answers ORDER BY turn")]


def heard_text(message_text: str) -> str:
    return message_text.split("«", 1)[1].split("»", 1)[0]


async def test_a_voice_note_is_shown_back_typed_again_or_kept_as_the_answer(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path
) -> None:
    en = catalog.messages_for("en")
    questions = {q.id: q.text for _, q in catalog.script("discovery.en").questions()}
    data = tmp_path / "data"
    async with running_bot(tg, data, voice_model_dir=voice_model_dir) as bot:
        ann = await consented(bot.app, tg, 901)
        actions_before = len(tg.chat_actions[ann.chat_id])
        tg.send_voice(ann.user, voice_note(ROLE_SAID), duration=6)
        heard = await ann.expect("^I heard: «", timeout=120)
        assert len(tg.chat_actions[ann.chat_id]) > actions_before  # "typing…" while it listened
        assert tg.downloads == ["voice/voice1.oga"]
        key = heard.buttons[0].removeprefix("voice:keep:")
        assert heard.buttons == [f"voice:keep:{key}", f"voice:again:{key}"]
        assert word_error_rate(ROLE_SAID, heard_text(heard.text)) <= WER_LIMIT, heard.text
        # "Type it again": nothing is stored, the buttons go, and the typed answer is the one kept.
        ann.press(heard, f"voice:again:{key}")
        await ann.expect_text(en.voice.retype)
        assert heard.buttons == []
        assert stored(data) == []
        ann.say(TYPED)
        await ann.expect_text(questions["context"])
        # Kept: the transcript is the answer, after the merge window, like a typed message.
        tg.send_voice(ann.user, voice_note(CONTEXT_SAID), duration=7)
        kept = await ann.expect("^I heard: «", timeout=120)
        stale = dataclasses.replace(kept, buttons=list(kept.buttons))  # as another device still shows it
        ann.press(kept, kept.buttons[0])
        await ann.expect(r"\?")  # the interview goes on
        ann.press(stale, stale.buttons[0])  # pressed again: nothing is kept twice
        await ann.expect_text(en.voice.expired)
        assert not tg.rejected, tg.rejected
    rows = stored(data)
    assert rows[0]["text"] == TYPED and rows[0]["spoken"] is False
    spoken = rows[1]
    assert spoken["question_id"] == "context" and spoken["spoken"] is True
    assert spoken["voice"]["language"] == "en" and spoken["voice"]["audio"] is None
    assert -3.0 < spoken["voice"]["avg_logprob"] < 0 and 5 < spoken["voice"]["seconds"] < 12
    assert word_error_rate(CONTEXT_SAID, spoken["text"]) <= WER_LIMIT, spoken["text"]
    assert spoken["text"] == heard_text(kept.text)
    assert not list(data.glob("audio/**/*.ogg"))  # recordings are not kept by default


async def test_spanish_voice_notes_are_heard_in_spanish_and_bring_the_language_offer(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog, voice_model_dir: Path
) -> None:
    es = catalog.messages_for("es")
    data = tmp_path / "data"
    async with running_bot(tg, data, voice_model_dir=voice_model_dir, keep_audio=True) as bot:
        pilar = await consented(bot.app, tg, 902)  # her Telegram is in English
        for said in SPANISH:
            tg.send_voice(pilar.user, voice_note(said, "es"), duration=6)
            heard = await pilar.expect("^I heard: «", timeout=120)
            pilar.press(heard, heard.buttons[0])
            if said == SPANISH[0]:
                # The next question (the context's, or the hardest part's quoting a problem heard).
                await pilar.expect("main things you're trying to get done|What makes that the hardest part")
        offer = await pilar.expect_text(es.language_offer)
        assert offer.buttons == ["language:yes", "language:no"]
    rows = stored(data)
    assert [row["spoken"] for row in rows] == [True, True]
    assert [row["voice"]["language"] for row in rows] == ["es", "es"]
    assert [row["reading"]["language"] for row in rows] == ["es", "es"]
    for said, row in zip(SPANISH, rows, strict=True):
        assert word_error_rate(said, row["text"]) <= WER_LIMIT, row["text"]
    # EARFUL_KEEP_AUDIO=true: the recordings are kept, one per kept answer, and go with /forget.
    kept = sorted(path.name for path in data.glob("audio/*/*/*.ogg"))
    assert kept == sorted(row["voice"]["audio"] for row in rows) and len(kept) == 2
    async with running_bot(tg, data, voice_model_dir=voice_model_dir, keep_audio=True):
        pilar.say("/forget")
        pilar.press(await pilar.expect("Are you sure|¿Seguro"), "forget:yes")
        await pilar.expect("erased|borrado")
    assert not list(data.glob("audio/*/*/*"))
    assert stored(data) == []
