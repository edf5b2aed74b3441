"""Telegram's rules and the channel's guarantees: erasure, de-duplication, merging, edits,
access to story search, rate limits, long messages, webhook secret."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fakes import HashingEmbedder
from telegram_emulator import TelegramEmulator
from telegram_support import Customer, neutral, running_bot

from adapters.chroma_store import collection_name
from core.catalog import Catalog
from core.script import Script
from prompts import default_catalog

pytestmark = pytest.mark.usefixtures("isolated_env")
TEAM = "T0123ABC"


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def consented(bot_app: object, tg: TelegramEmulator, user_id: int, **invite: object) -> Customer:
    """A customer who opened a fresh invite and said yes."""
    customer = Customer(tg, user_id)
    created = await bot_app.invites.create(TEAM, **invite)  # type: ignore[attr-defined]
    customer.say(f"/start {created.token}")
    customer.press(await customer.expect("Is that OK"), "consent:yes")
    await customer.expect("tell me a little about your role")
    return customer


async def test_forget_leaves_no_trace_in_sqlite_or_chroma(tg: TelegramEmulator, tmp_path: Path) -> None:
    data = tmp_path / "data"
    secret = "zebra-marmalade-quokka"
    async with running_bot(tg, data) as bot:
        fay = await consented(bot.app, tg, 601)
        fay.say(f"{secret}: I run the finance desk at a small logistics company with four colleagues.")
        await fay.expect("main things you're trying to get done")
        fay.say(neutral("context"))
        await fay.expect("hardest part")
        await bot.app.indexer.drain()
        assert await bot.app.stories.count(TEAM) == 2
        client = bot.app.stories.primary._client  # type: ignore[attr-defined]
        stored = client.get_collection(collection_name(TEAM)).get(where={"customer": {"$ne": ""}})
        assert len(stored["ids"]) == 2 and any(secret in text for text in stored["documents"])
        fay.say("/forget")
        confirm = await fay.expect("permanently erase")
        assert confirm.buttons == ["forget:yes", "forget:no"]
        fay.press(confirm, "forget:yes")
        await fay.expect("has been erased")
        await bot.app.indexer.drain()
        # Chroma, through its own client: no story of this customer, nothing similar found.
        assert await bot.app.stories.count(TEAM) == 0
        hits = await bot.app.search.search(TEAM, f"{secret} finance desk", k=5)
        assert hits == []
        collection = client.get_collection(collection_name(TEAM))
        assert collection.get(where={"customer": {"$ne": ""}})["ids"] == []
    with sqlite3.connect(data / "earful.sqlite3") as db:
        for table in ("interviews", "answers", "outbox"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        assert db.execute(
            "SELECT count(*) FROM answers WHERE record LIKE ?", (f"%{secret}%",)
        ).fetchone() == (0,)
    assert secret.encode() not in (data / "earful.sqlite3").read_bytes()


async def test_the_same_update_twice_is_stored_once(tg: TelegramEmulator, tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_bot(tg, data) as bot:
        gus = await consented(bot.app, tg, 602)
        update = gus.say(neutral("role"))
        await gus.expect("main things you're trying to get done")
        tg.inject(update)  # Telegram redelivers it (same update_id)
        gus.say("/help")  # one chat is handled in order: once help is out, the duplicate was seen
        await gus.expect("Commands:")
    # A new process has no memory of it: the store's delivery key stops it.
    async with running_bot(tg, data) as bot:
        gus.cursor = len(tg.messages(gus.chat_id))
        tg.inject(update)
        gus.say("/help")
        await gus.expect("Commands:")
        stored = await bot.app.sessions.answers(customer="602")
        assert [a.question_id for a in stored] == ["role"]
        assert sum("main things" in text for text in gus.seen()) == 1


async def test_a_redelivered_help_and_split_answer_are_answered_once(
    tg: TelegramEmulator, tmp_path: Path
) -> None:
    # Without an in-memory list of update ids: the store knows each delivery, in this process or
    # the next one.
    async with running_bot(tg, tmp_path / "data", merge_window=0.5) as bot:
        ivy = await consented(bot.app, tg, 604)
        helped = ivy.say("/help")
        await ivy.expect("Commands:")
        first = ivy.say("I run the finance desk at a small logistics company,")
        second = ivy.say("with four colleagues.")
        await ivy.expect("main things you're trying to get done")
        for update in (helped, first, second):
            tg.inject(update)  # Telegram delivers each again
        ivy.say(neutral("context"))
        await ivy.expect("hardest part")
    async with running_bot(tg, tmp_path / "data", merge_window=0.5) as bot:
        ivy.cursor = len(tg.messages(ivy.chat_id))
        for update in (helped, second):
            tg.inject(update)
        ivy.say("/help")
        await ivy.expect("Commands:")
        assert sum("Commands:" in text for text in ivy.seen()) == 2  # the redelivered one: none
        stored = await bot.app.sessions.answers(customer="604")
        assert [a.question_id for a in stored] == ["role", "context"]
        assert stored[0].text == "I run the finance desk at a small logistics company,\nwith four colleagues."
        assert await bot.app.sessions.held_parts("telegram") == []


async def test_split_messages_merge_and_edits_update_the_answer(tg: TelegramEmulator, tmp_path: Path) -> None:
    async with running_bot(tg, tmp_path / "data", merge_window=1.0) as bot:
        hal = await consented(bot.app, tg, 603)
        first = hal.say("I run the finance desk at a small logistics company,")
        hal.say("with four colleagues and a very old accounting system.")
        await hal.expect("main things you're trying to get done")
        stored = await bot.app.sessions.answers(customer="603")
        assert len(stored) == 1
        assert stored[0].text == (
            "I run the finance desk at a small logistics company,\n"
            "with four colleagues and a very old accounting system."
        )
        tg.edit_text(hal.user, first, "I run the treasury desk at a small logistics company,")
        hal.say("/help")
        await hal.expect("Commands:")
        stored = await bot.app.sessions.answers(customer="603")
        assert stored[0].text.startswith("I run the treasury desk") and stored[0].text.endswith("system.")
        assert len(stored) == 1
        assert sum("main things" in text for text in hal.seen()) == 1


async def test_an_edit_after_a_restart_still_amends_its_answer(tg: TelegramEmulator, tmp_path: Path) -> None:
    """Customers edit typos whenever they see them; the bot may have restarted in between."""
    data = tmp_path / "data"
    async with running_bot(tg, data, merge_window=1.0) as bot:
        hal = await consented(bot.app, tg, 609)
        first = hal.say("I run the finance desk at a small logistics company,")
        hal.say("with four colleagues and a very old accounting system.")
        await hal.expect("main things you're trying to get done")
    async with running_bot(tg, data) as bot:
        tg.edit_text(hal.user, first, "I run the treasury desk at a small logistics company,")
        hal.say("/help")
        await hal.expect("Commands:")
        stored = await bot.app.sessions.answers(customer="609")
        assert [answer.text for answer in stored] == [
            "I run the treasury desk at a small logistics company,\n"
            "with four colleagues and a very old accounting system."
        ]
        await bot.app.service.erase_customer("609")
    with sqlite3.connect(data / "earful.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM answer_parts").fetchone() == (0,)


async def test_non_text_messages_get_a_friendly_request(tg: TelegramEmulator, tmp_path: Path) -> None:
    """Without the 'voice' extra, a voice note is one more thing that cannot be read."""
    async with running_bot(tg, tmp_path / "data", voice=False) as bot:
        ida = await consented(bot.app, tg, 604)
        tg.send_sticker(ida.user)
        await ida.expect("Please type your answer as text")
        tg.send_voice(ida.user)
        await ida.expect("Please type your answer as text")
        assert await bot.app.sessions.answers(customer="604") == []


async def test_only_team_users_reach_story_search(tg: TelegramEmulator, tmp_path: Path) -> None:
    founder = 9001
    async with running_bot(tg, tmp_path / "data", team_users={founder: TEAM}) as bot:
        jo = await consented(bot.app, tg, 605)
        jo.say("Our exports <always> break & the CSV is a mess when the month closes.")
        # A warm-up answer gets no probe: the next question (its context told, the hardest part's followup).
        await jo.expect("main things you're trying to get done|What makes that the hardest part")
        await bot.app.indexer.drain()
        jo.say("/stories exports break")
        await jo.expect("I'm interviewing you")  # the help text, no stories
        assert not any("CSV" in text for text in jo.seen()[-1:])
        boss = Customer(tg, founder)
        boss.say("/stories exports break CSV")
        result = await boss.expect("Customer-")
        assert "Our exports <always> break & the CSV" in result.text  # escaped, shown verbatim
        boss.say("/stories")
        await boss.expect("Usage: /stories")
        assert not tg.rejected, tg.rejected


async def test_429_is_retried_after_retry_after_and_long_replies_are_split(
    tg: TelegramEmulator, tmp_path: Path
) -> None:
    long_question = ("Tell me about <your> week & everything in it. " * 120).strip()
    script = Script.model_validate(
        {
            "id": "long.en",
            "language": "en",
            "sections": [{"kind": "frustration", "questions": [{"id": "long", "text": long_question}]}],
        }
    )
    catalog: Catalog = default_catalog(extra_scripts=[script])
    async with running_bot(tg, tmp_path / "data", catalog=catalog) as bot:
        kim = Customer(tg, 606)
        invite = await bot.app.invites.create(TEAM, script_id="long.en")
        kim.say(f"/start {invite.token}")
        consent = await kim.expect("Is that OK")
        tg.fail_next(1)  # the next sendMessage gets 429 retry_after=1
        kim.press(consent, "consent:yes")
        first = await kim.expect("^Tell me about <your> week")
        second = await kim.expect("everything in it")
        assert len(first.text) <= 4096 and len(second.text) <= 4096
        assert (first.text + " " + second.text).split() == long_question.split()
        assert any("429" in r or "Too Many" in r for r in tg.rejected)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_checks_the_secret_header(tg: TelegramEmulator, tmp_path: Path) -> None:
    port = free_port()
    async with running_bot(tg, tmp_path / "data", webhook_port=port) as bot:
        assert tg.webhook["url"] == f"http://127.0.0.1:{port}/telegram/webhook"
        assert tg.webhook["secret_token"] == bot.channel.webhook_secret
        lea = Customer(tg, 607)
        invite = await bot.app.invites.create(TEAM)
        lea.say(f"/start {invite.token}")
        lea.press(await lea.expect("Is that OK"), "consent:yes")
        await lea.expect("tell me a little about your role")
        assert tg.webhook_statuses and set(tg.webhook_statuses) == {200}
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 607, "type": "private"},
                "from": {"id": 607, "is_bot": False, "first_name": "X"},
                "text": "/stop",
            },
        }
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with httpx.AsyncClient() as client:
            assert (await client.post(url, json=forged)).status_code == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
            assert (await client.post(url, json=forged, headers=wrong)).status_code == 403
            right = {"X-Telegram-Bot-Api-Secret-Token": bot.channel.webhook_secret}
            assert (await client.post(url, content=b"not json", headers=right)).status_code == 400
        state = await bot.app.sessions.latest_for("telegram", "607")
        assert state is not None and state.status.value == "active"


async def test_one_chat_is_handled_in_order(tg: TelegramEmulator, tmp_path: Path) -> None:
    async with running_bot(tg, tmp_path / "data", merge_window=0.5) as bot:
        ned = await consented(bot.app, tg, 608)
        ned.say(neutral("role"))  # still in the merge window when the command arrives
        ned.say("/pause")
        ned.say("/resume")
        await ned.expect("main things you're trying to get done")
        await ned.expect("^Paused")
        await ned.expect("Welcome back")
        await ned.expect("main things you're trying to get done")
        stored = await bot.app.sessions.answers(customer="608")
        assert [a.question_id for a in stored] == ["role"]


async def test_a_wrong_token_is_a_clear_error(tg: TelegramEmulator, tmp_path: Path) -> None:
    from adapters.telegram.channel import TelegramChannel
    from adapters.telegram.config import TelegramConfig
    from bot.settings import Settings
    from bot.wiring import build_app
    from core.errors import InputError

    async with build_app(Settings(data_dir=tmp_path / "data"), embedder=HashingEmbedder()) as app:
        config = TelegramConfig(bot_token="1:wrong", api_url=tg.api_url)
        channel = TelegramChannel(app.service, app.invites, app.search, config, app.sessions)
        with pytest.raises(InputError, match="rejected TELEGRAM_BOT_TOKEN"):
            await channel.start()
        await channel.stop()


async def test_forget_leaves_no_bytes_in_chromas_own_files(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.settings import Settings
    from bot.wiring import build_app
    from core.models import Story

    data = tmp_path / "data"
    secret = "okapi-tangerine-fjord"
    async with build_app(Settings(data_dir=data), embedder=HashingEmbedder()) as app:
        story = Story(
            id="s1", team=TEAM, interview_id="i1", customer="Customer-ABC123", question_id="q",
            question="q?", section="frustration", language="en", channel="telegram",
            created_at=datetime.now(UTC), text=f"{secret} was the worst part",
        )  # fmt: skip
        [vector] = await app.embedder.embed([story.text])
        await app.stories.add([story], [vector])
        assert await app.stories.delete_interviews(TEAM, ["i1"]) == 1
        assert await app.stories.count(TEAM) == 0
    leftovers = [f for f in (data / "chroma").rglob("*") if f.is_file() and secret.encode() in f.read_bytes()]
    assert leftovers == []


async def test_group_chats_are_ignored(tg: TelegramEmulator, tmp_path: Path) -> None:
    async with running_bot(tg, tmp_path / "data") as bot:
        invite = await bot.app.invites.create(TEAM)
        pat = Customer(tg, 609)
        tg.send_group_text(pat.user, -4242, f"/start {invite.token}")
        tg.send_group_text(pat.user, -4242, "/help")
        pat.say("/help")  # fetched after the group messages, so their tasks exist once it is answered
        await pat.expect("Commands:")
        async with asyncio.timeout(10):  # no event marks "ignored": wait until no update is running
            while bot.channel.processor.current_concurrent_updates:
                await asyncio.sleep(0.01)
        assert tg.messages(-4242) == []
        assert await bot.app.sessions.latest_for("telegram", "609") is None


async def test_a_send_lost_at_the_gateway_is_sent_again(tg: TelegramEmulator, tmp_path: Path) -> None:
    """The answer is stored before the reply goes out; a 502 on that reply must not leave the
    customer without their next question."""
    async with running_bot(tg, tmp_path / "data") as bot:
        lea = await consented(bot.app, tg, 707)
        tg.bad_gateway_next(2)
        lea.say(neutral("role"))
        await lea.expect("main things you're trying to get done")
        assert sum("Bad Gateway" in rejected for rejected in tg.rejected) == 2
        stored = await bot.app.sessions.answers(customer="707")
        assert [answer.text for answer in stored] == [neutral("role")]
