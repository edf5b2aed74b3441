"""A customer's journey on Telegram, through the real python-telegram-bot against the emulator."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, neutral, running_bot

from core.catalog import Catalog

pytestmark = pytest.mark.usefixtures("isolated_env")
TEAM = "T0123ABC"


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


def answers_in_sqlite(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "earful.sqlite3") as db:
        rows = db.execute("SELECT record FROM answers ORDER BY interview_id, turn").fetchall()
    return [(json.loads(r[0])["question_id"], json.loads(r[0])["text"]) for r in rows]


async def test_full_interview_with_probes_and_referral(
    tg: TelegramEmulator, tmp_path: Path, catalog: Catalog
) -> None:
    data = tmp_path / "data"
    async with running_bot(tg, data) as bot:
        invite = await bot.app.invites.create(TEAM, note="first customer")
        ann = Customer(tg, 501)
        ann.say(f"/start {invite.token}")
        await ann.expect(r"^Hi! I'm Earful")
        consent = await ann.expect("Is that OK")
        assert consent.buttons == ["consent:yes", "consent:no"]
        assert len(ann.seen()) == 2  # no question before consent
        ann.press(consent, "consent:yes")
        questions = [q for _, q in catalog.script("discovery.en").questions()]
        await ann.expect_text(questions[0].text)
        assert tg.messages(ann.chat_id)[1].buttons == []  # the consent buttons were taken away
        # No probe after the warm-up answer, even a hypothetical one.
        ann.say("I would probably pay for a tool that did my reconciliations.")
        await ann.expect_text(questions[1].text)
        ann.say("Payroll.")  # a minimal answer gets one "say more"
        await ann.expect("Can you say more")
        ann.say(neutral("context"))
        await ann.expect_text(questions[2].text)
        # A hypothetical about the problem: one ask for a time that really happened.
        ann.say("I would probably pay for a tool that did my reconciliations.")
        await ann.expect_text(catalog.messages_for("en").probes.hypothetical[0])
        for turn in range(20):
            ann.say(neutral(f"turn {turn}"))
            if "Thank you so much" in (await ann.expect(r"\?|Thank you so much")).text:
                break
        referral = await ann.expect(r"Forward them this link: https://t\.me/earful_test_bot\?start=\S+")
        token = referral.text.rsplit("start=", 1)[1]
        referred = await bot.app.invites.redeem(token, "telegram", "999")
        assert referred.team == TEAM and referred.referred_by is not None
        stored = answers_in_sqlite(data)
        assert [qid for qid, _ in stored][:5] == ["role", "context", "context", "hardest", "hardest"]
        assert [qid for qid, _ in stored][-1] == "anything_else"
        assert stored[0][1].startswith("I would probably pay")
        assert tg.chat_actions[ann.chat_id].count("typing") >= len(questions)
        assert {c["command"] for c in tg.commands[""]} == {
            "pause",
            "resume",
            "skip",
            "stop",
            "forget",
            "help",
        }
        assert {"en", "es", "fr"} <= set(tg.commands)
        assert not tg.rejected, tg.rejected


async def test_spanish_customer_gets_the_spanish_script(tg: TelegramEmulator, tmp_path: Path) -> None:
    async with running_bot(tg, tmp_path / "data") as bot:
        invite = await bot.app.invites.create(TEAM)
        pedro = Customer(tg, 502, language="es-ES")
        pedro.say(f"/start {invite.token}")
        await pedro.expect("Soy Earful")
        consent = await pedro.expect("Te parece bien")
        pedro.press(consent, "consent:yes")
        await pedro.expect("cuéntame un poco sobre tu puesto")


async def test_pause_resume_and_writing_again(tg: TelegramEmulator, tmp_path: Path, catalog: Catalog) -> None:
    questions = [q for _, q in catalog.script("discovery.en").questions()]
    async with running_bot(tg, tmp_path / "data") as bot:
        invite = await bot.app.invites.create(TEAM)
        bea = Customer(tg, 503)
        bea.say(f"/start {invite.token}")
        bea.press(await bea.expect("Is that OK"), "consent:yes")
        await bea.expect_text(questions[0].text)
        bea.say("/pause")
        await bea.expect("^Paused")
        bea.say("/resume")
        await bea.expect("Welcome back")
        await bea.expect_text(questions[0].text)
        bea.say(neutral("role"))
        await bea.expect_text(questions[1].text)
        bea.say("/pause")
        await bea.expect("^Paused")
        bea.say(neutral("context"))  # writing again resumes and counts as the answer
        await bea.expect_text(questions[2].text)
        bea.say("/skip")
        await bea.expect("let's move on")
        await bea.expect_text(questions[3].text)
        bea.say("/stop")
        await bea.expect("^Stopped")
        stored = await bot.app.sessions.answers(customer="503")
        assert [a.question_id for a in stored] == ["role", "context"]


async def test_consent_no_stores_nothing_but_the_refusal(tg: TelegramEmulator, tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_bot(tg, data) as bot:
        invite = await bot.app.invites.create(TEAM)
        cid = Customer(tg, 504)
        cid.say(f"/start {invite.token}")
        cid.press(await cid.expect("Is that OK"), "consent:no")
        await cid.expect("nothing of yours has been recorded")
        cid.say("Here is something anyway.")
        await cid.expect("This interview is over")
        await bot.app.indexer.drain()
        assert await bot.app.stories.count(TEAM) == 0
    assert answers_in_sqlite(data) == []
    with sqlite3.connect(data / "earful.sqlite3") as db:
        assert db.execute("SELECT status FROM interviews").fetchall() == [("declined",)]


async def test_expired_unknown_and_used_invites_are_refused(tg: TelegramEmulator, tmp_path: Path) -> None:
    from datetime import timedelta

    async with running_bot(tg, tmp_path / "data") as bot:
        expired = await bot.app.invites.create(TEAM, ttl=timedelta(seconds=-1))
        dan = Customer(tg, 505)
        dan.say(f"/start {expired.token}")
        await dan.expect("this invite link has expired")
        dan.say("/start not-a-real-token")
        await dan.expect("I don't recognise that invite link")
        taken = await bot.app.invites.create(TEAM)
        eve = Customer(tg, 506)
        eve.say(f"/start {taken.token}")
        await eve.expect("Is that OK")
        dan.say(f"/start {taken.token}")
        await dan.expect("already been used by someone else")
        dan.say("/start")  # no invite, no interview: a polite pointer, no interview created
        await dan.expect("Use your invite link")
        assert await bot.app.sessions.latest_for("telegram", "505") is None
        assert not any(re.search("Traceback|Error", m) for m in dan.seen())
