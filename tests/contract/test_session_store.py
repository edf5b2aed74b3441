"""One contract for every SessionStore (and InviteStore): in memory, SQLite, PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import TEST_PSEUDONYMS, MemorySessionStore, pseudonym
from records import answer_in

from adapters.sql.database import PostgresDatabase, SqliteDatabase
from adapters.sql.sessions import SqlSessionStore
from core.invites import ERASED_CLAIMANT, Invite
from core.models import AnswerRecord, InterviewState, MessagePart, Status
from core.ports import ErasedInterview, ErasedRecord, PostedMessage
from core.pseudonyms import legacy_pseudonym

T0 = datetime(2026, 1, 1, tzinfo=UTC)
Opener = Callable[[], Awaitable[Any]]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def opener(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Opener]:
    """Opens stores on one database; each call is another connection (another 'worker')."""
    opened: list[Any] = []
    if request.param == "memory":
        memory = MemorySessionStore()

        async def open_store() -> Any:
            return memory
    elif request.param == "sqlite":

        async def open_store() -> Any:
            opened.append(await SqlSessionStore.open(SqliteDatabase(tmp_path / "s.sqlite3")))
            return opened[-1]
    else:
        url = request.getfixturevalue("pg_url")

        async def open_store() -> Any:
            opened.append(await SqlSessionStore.open(PostgresDatabase(url, max_size=4)))
            return opened[-1]

    yield open_store
    for store in opened:
        await store.close()


@pytest.fixture
async def store(opener: Opener) -> Any:
    return await opener()


def state(customer: str = "ann", team: str = "T1", n: int = 0, **changes: Any) -> InterviewState:
    return InterviewState(
        interview_id=f"{team}-{customer}-{n}",
        team=team,
        customer=customer,
        channel="console",
        pseudonym=pseudonym(team, "console", customer),
        script_id="discovery",
        updated_at=T0 + timedelta(minutes=n),
        **changes,
    )


def answer(st: InterviewState, turn: int, text: str = "it broke") -> AnswerRecord:
    return answer_in(st, turn, text, T0)


async def test_create_get_and_latest(store: Any) -> None:
    first, second = state(n=0), state(n=1)
    await store.create(first)
    await store.create(second)
    assert await store.get(first.interview_id) == first
    assert await store.get("nope") is None
    assert (await store.latest_for("console", "ann")) == second
    assert await store.latest_for("console", "bob") is None


async def test_commit_turn_stores_answer_and_outbox_once_per_delivery(store: Any) -> None:
    st = state()
    await store.create(st)
    moved = st.model_copy(update={"status": Status.ACTIVE, "turn": 1, "updated_at": T0 + timedelta(hours=1)})
    assert await store.commit_turn(moved, answer(moved, 1), "upd-1") is True
    again = moved.model_copy(update={"turn": 2})
    assert await store.commit_turn(again, answer(again, 2), "upd-1") is False
    assert (await store.get(st.interview_id)) == moved
    assert [a.turn for a in await store.answers(interview_id=st.interview_id)] == [1]
    assert [a.id for a in await store.pending_index(10)] == [answer(moved, 1).id]


async def test_answers_filters_and_order(store: Any) -> None:
    for customer, team in (("ann", "T1"), ("bob", "T1"), ("cy", "T2")):
        st = state(customer, team)
        await store.create(st)
        for turn in (2, 1):
            assert await store.commit_turn(st, answer(st, turn), None)
    assert len(await store.answers()) == 6
    assert {a.customer for a in await store.answers(team="T1")} == {"ann", "bob"}
    ann = await store.answers(customer="ann")
    assert [a.turn for a in ann] == [1, 2]
    assert await store.answers(customer=ann[0].pseudonym) == ann
    assert await store.add_answers([answer(state("dan"), 1), ann[0]]) == 1


async def test_interviews_by_team_status_and_limit(store: Any) -> None:
    cases = [("T1", Status.ACTIVE), ("T1", Status.FINISHED), ("T2", Status.ACTIVE)]
    for n, (team, status) in enumerate(cases):
        await store.create(state(f"c{n}", team, n, status=status))
    assert {s.customer for s in await store.interviews(team="T1")} == {"c0", "c1"}
    assert [s.customer for s in await store.interviews(status=Status.ACTIVE)] == ["c2", "c0"]
    assert len(await store.interviews(limit=1)) == 1


async def test_outbox_drains_and_requeues(store: Any) -> None:
    st = state()
    await store.create(st)
    for turn in (1, 2, 3):
        await store.commit_turn(st, answer(st, turn), None)
    pending = await store.pending_index(2)
    assert [a.turn for a in pending] == [1, 2]
    await store.mark_indexed([a.id for a in pending])
    assert [a.turn for a in await store.pending_index(10)] == [3]
    assert await store.requeue_all("T1") == 2
    assert await store.requeue_all("T9") == 0
    assert len(await store.pending_index(10)) == 3


async def test_erase_by_raw_id_only_leaves_others(store: Any) -> None:
    ann, bob = state("ann"), state("bob")
    for st in (ann, bob):
        await store.create(st)
        await store.commit_turn(st, answer(st, 1, f"{st.customer} speaks"), None)
    imported = answer(state("ann", n=7), 1)  # an answer with no interview row (an import)
    await store.add_answers([imported])
    assert await store.erase_customer("ann") == ErasedRecord(
        (
            ErasedInterview("T1", ann.interview_id, ann.pseudonym, 1),
            ErasedInterview("T1", imported.interview_id, imported.pseudonym, 1),
        )
    )
    assert await store.get(ann.interview_id) is None
    assert await store.answers(customer="ann") == []
    assert [a.customer for a in await store.pending_index(10)] == ["bob"]
    assert await store.erase_customer(bob.pseudonym) == ErasedRecord()  # a pseudonym selects nothing
    assert await store.erase_customer("bob", team="T2") == ErasedRecord()
    assert await store.customers_known_as(bob.pseudonym) == [("console", "bob")]
    assert await store.customers_known_as(bob.pseudonym, team="T2") == []
    assert await store.erase_customer("bob", team="T1") == ErasedRecord(
        (ErasedInterview("T1", bob.interview_id, bob.pseudonym, 1),)
    )
    assert await store.answers() == []


async def test_erasure_on_one_channel_leaves_the_same_id_on_another(store: Any) -> None:
    """Ids are the channels' own: Telegram user 4242 is not the customer "4242" of an import."""
    chatting = state("4242").model_copy(update={"channel": "telegram"})
    imported = answer(state("4242", n=3), 1).model_copy(update={"channel": "import"})
    await store.create(chatting)
    await store.commit_turn(chatting, answer(chatting, 1), None)
    await store.add_answers([imported])
    for token, claimant in (("t-tg", "telegram:4242"), ("t-import", "import:4242")):
        await store.add_invite(
            Invite(token=token, team="T1", note="n", created_at=T0, expires_at=T0 + timedelta(days=1))
        )
        await store.claim_invite(token, claimant, T0)
    erased = await store.erase_customer("4242", channel="telegram")
    assert [i.interview_id for i in erased.interviews] == [chatting.interview_id] and erased.invite_notes == 1
    assert await store.answers(customer="4242") == [imported]
    kept = await store.get_invite("t-import")
    assert kept is not None and kept.claimed_by == "import:4242"
    assert await store.customers_known_as(imported.pseudonym) == [("import", "4242")]


async def test_erasure_gives_back_the_posts_remembered_with_each_interview(store: Any) -> None:
    ann, bob = state("ann"), state("bob")
    for st in (ann, bob):
        await store.create(st)
        await store.commit_turn(st, answer(st, 1), None)
    summary, line = (
        PostedMessage("slack", "T1", "C1", "1.000001"),
        PostedMessage("slack", "T1", "C1", "1.000002"),
    )
    for post in (summary, line, summary):  # remembered once however often it is told
        await store.record_post(ann.interview_id, post)
    await store.record_post(bob.interview_id, PostedMessage("slack", "T1", "C1", "1.000003"))
    erased = await store.erase_customer("ann")
    assert erased.interviews == (ErasedInterview("T1", ann.interview_id, ann.pseudonym, 1, (summary, line)),)
    assert (await store.erase_customer("ann")).interviews == ()  # nothing is given back twice
    kept = await store.erase_customer("bob")
    assert kept.interviews[0].posts == (PostedMessage("slack", "T1", "C1", "1.000003"),)


async def test_rekey_gives_old_pseudonyms_the_keyed_ones(store: Any) -> None:
    """Data from the unkeyed scheme: two customers of one team who shared a pseudonym."""
    old = {c: legacy_pseudonym("T1", "import", c) for c in ("cust5776", "cust7387", "ann")}
    assert old["cust5776"] == old["cust7387"]
    for customer, name in old.items():
        st = state(customer).model_copy(update={"pseudonym": name, "channel": "import"})
        await store.create(st)
        await store.commit_turn(st, answer(st, 1), None)
    assert await store.rekey(TEST_PSEUDONYMS, dry_run=True) == ["T1"]
    assert {a.pseudonym for a in await store.answers()} == set(old.values())  # a dry run changes nothing
    assert await store.rekey(TEST_PSEUDONYMS) == ["T1"]
    assert await store.rekey(TEST_PSEUDONYMS) == []  # once
    for customer in old:
        st = await store.latest_for("import", customer)
        assert st is not None and st.pseudonym == pseudonym("T1", "import", customer)
        assert [a.pseudonym for a in await store.answers(customer=customer)] == [st.pseudonym]
        assert await store.customers_known_as(st.pseudonym) == [("import", customer)]


async def test_invites_claim_once(store: Any) -> None:
    invite = Invite(token="tok", team="T1", created_at=T0, expires_at=T0 + timedelta(days=1))
    await store.add_invite(invite)
    assert await store.get_invite("tok") == invite
    assert await store.get_invite("other") is None
    claimed = await store.claim_invite("tok", "telegram:1", T0)
    assert claimed is not None and claimed.claimed_by == "telegram:1"
    assert await store.claim_invite("tok", "telegram:1", T0) == claimed
    assert await store.claim_invite("tok", "telegram:2", T0) is None
    assert await store.claim_invite("missing", "telegram:1", T0) is None


@pytest.mark.parametrize(
    "text",
    ["", "   \t\n", "x" * 100_000, "nul\x00bell\x07esc\x1b", "שלום עולם مرحبا", "🙂👍🏽‍", "<b>&amp;</b>"],
)
async def test_text_round_trips_exactly(store: Any, text: str) -> None:
    st = state()
    await store.create(st)
    await store.commit_turn(st, answer(st, 1, text), None)
    assert [a.text for a in await store.answers()] == [text]


async def test_racing_workers_store_a_delivery_once(opener: Opener) -> None:
    workers = [await opener() for _ in range(2)]
    st = state()
    await workers[0].create(st)
    results = await asyncio.gather(
        *(w.commit_turn(st, answer(st, 1), "slack:Ev1") for w in workers for _ in range(3))
    )
    assert sorted(results) == [False] * 5 + [True]
    assert len(await workers[1].answers()) == 1


async def test_conversation_lock_orders_one_conversation_across_workers(pg_url: str) -> None:
    """Only a shared database has workers to order: an embedded store belongs to one process,
    where the service's own lock orders a conversation (tests/unit/test_service.py)."""
    workers = [await SqlSessionStore.open(PostgresDatabase(pg_url, max_size=4)) for _ in range(2)]
    try:
        await _one_conversation_at_a_time(workers)
    finally:
        for worker in workers:
            await worker.close()


async def _one_conversation_at_a_time(workers: list[Any]) -> None:
    order: list[str] = []
    inside = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with workers[0].conversation_lock("telegram", "42"):
            order.append("first in")
            inside.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        await inside.wait()
        async with workers[1].conversation_lock("telegram", "42"):
            order.append("second in")

    async def other() -> None:
        await inside.wait()
        async with workers[1].conversation_lock("telegram", "43"):
            order.append("other in")
        release.set()

    await asyncio.wait_for(asyncio.gather(first(), second(), other()), 20)
    assert order.index("other in") < order.index("first out") < order.index("second in")


async def test_store_calls_work_inside_the_lock(store: Any) -> None:
    st = state()
    async with store.conversation_lock("console", "ann"):
        await store.create(st)
        assert await store.commit_turn(st, answer(st, 1), "k")
        assert await store.get(st.interview_id) == st
    assert len(await store.answers()) == 1


async def test_first_commit_creates_the_interview(store: Any) -> None:
    st = state("new")
    assert await store.commit_turn(st, None, "start-key")
    assert await store.get(st.interview_id) == st
    assert await store.latest_for("console", "new") == st


async def test_amend_answer_only_for_its_customer_and_channel(store: Any) -> None:
    st = state()
    await store.create(st)
    await store.commit_turn(st, answer(st, 1), None)
    await store.mark_indexed([answer(st, 1).id])
    assert await store.amend_answer(answer(st, 1).id, "edited", channel="console", customer="bob") is None
    assert await store.amend_answer(answer(st, 1).id, "edited", channel="slack", customer="ann") is None
    amended = await store.amend_answer(answer(st, 1).id, "edited", channel="console", customer="ann")
    assert amended is not None and amended.text == "edited"
    assert [a.text for a in await store.pending_index(10)] == ["edited"]


async def test_held_parts_and_delivery_log(store: Any) -> None:
    assert await store.hold_part("telegram", "42", "p1", "first half")
    assert not await store.hold_part("telegram", "42", "p1", "again")
    assert await store.hold_part("telegram", "43", "p2", "other")
    assert await store.hold_part("slack", "U1", "p3", "elsewhere")
    assert await store.held_parts("telegram") == [("p1", "42", "first half"), ("p2", "43", "other")]
    await store.release_parts(["p1"])
    assert await store.held_parts("telegram") == [("p2", "43", "other")]
    assert await store.claim_delivery("slack:event:T1:Ev1") is True
    assert await store.claim_delivery("slack:event:T1:Ev1") is False


async def test_a_turn_commits_its_parts_released_linked_and_delivered(store: Any) -> None:
    st = state("ann").model_copy(update={"channel": "telegram"})
    for key, text in (("telegram:1", "it broke"), ("telegram:2", "twice")):
        assert await store.hold_part("telegram", "ann", key, text)
    assert await store.hold_part("telegram", "bob", "telegram:3", "other chat")
    parts = [
        MessagePart(delivery_key="telegram:1", key="7:1", text="it broke"),
        MessagePart(delivery_key="telegram:2", key="7:2", text="twice"),
    ]
    record = answer(st, 1, "it broke\ntwice")
    assert await store.commit_turn(st, record, "telegram:1", parts)
    # One transaction: held no longer, linked to the answer, and redeliveries are known.
    assert await store.held_parts("telegram") == [("telegram:3", "bob", "other chat")]
    assert await store.linked_parts("telegram", "7:2") == (record.id, [("7:1", "it broke"), ("7:2", "twice")])
    assert not await store.hold_part("telegram", "ann", "telegram:2", "twice")
    assert not await store.claim_delivery("telegram:2")
    again = st.model_copy(update={"turn": 2})
    assert not await store.commit_turn(again, answer(again, 2), "telegram:1", parts)
    assert [a.id for a in await store.answers(customer="ann")] == [record.id]


async def test_a_refused_turn_releases_nothing(store: Any) -> None:
    st = state("ann").model_copy(update={"channel": "telegram"})
    assert await store.commit_turn(st, None, "telegram:9")
    assert await store.hold_part("telegram", "ann", "telegram:10", "x")
    parts = [MessagePart(delivery_key="telegram:10", key="7:10", text="x")]
    assert not await store.commit_turn(st, None, "telegram:9", parts)  # a duplicate changes nothing
    assert await store.held_parts("telegram") == [("telegram:10", "ann", "x")]


async def test_linked_parts_find_their_answer_and_go_with_the_customer(store: Any) -> None:
    ann, bob = state("ann"), state("bob")
    for st in (ann, bob):
        await store.create(st)
        await store.commit_turn(st, answer(st, 1), None)
    first, second = answer(ann, 1).id, answer(bob, 1).id
    await store.link_parts("telegram", "ann", first, [("7:1", "it broke"), ("7:2", "twice")])
    await store.link_parts("telegram", "bob", second, [("8:1", "mine too")])
    assert await store.linked_parts("telegram", "7:2") == (first, [("7:1", "it broke"), ("7:2", "twice")])
    assert await store.linked_parts("slack", "7:2") is None  # keys are per channel
    assert await store.linked_parts("telegram", "7:3") is None
    await store.link_parts("telegram", "ann", first, [("7:1", "it broke"), ("7:2", "three times")])
    assert await store.linked_parts("telegram", "7:1") == (
        first,
        [("7:1", "it broke"), ("7:2", "three times")],
    )
    await store.erase_customer("ann")
    assert await store.linked_parts("telegram", "7:1") is None
    assert await store.linked_parts("telegram", "8:1") == (second, [("8:1", "mine too")])


async def test_erasure_leaves_a_claimed_invite_used_but_nameless(store: Any) -> None:
    ann, bob = state("ann"), state("bob")
    for st in (ann, bob):
        await store.create(st)
        await store.commit_turn(st, answer(st, 1), None)
    for token, claimant in (("t-ann", "console:ann"), ("t-bob", "console:bob"), ("t-free", None)):
        invite = Invite(token=token, team="T1", note="Ana Lopez, ops", created_at=T0,
                        expires_at=T0 + timedelta(days=1))  # fmt: skip
        await store.add_invite(invite)
        if claimant:
            await store.claim_invite(token, claimant, T0)
    assert (await store.erase_customer("ann")).invite_notes == 1
    assert (await store.erase_customer("bob", team="T1")).invite_notes == 1
    for token in ("t-ann", "t-bob"):
        erased = await store.get_invite(token)
        assert erased is not None and erased.claimed_by == ERASED_CLAIMANT
        assert erased.note == ""  # the note named the person too
        assert await store.claim_invite(token, "console:eve", T0) is None  # still used
    free = await store.get_invite("t-free")
    assert free is not None and free.claimed_by is None and free.note == "Ana Lopez, ops"


async def test_a_spoken_answer_keeps_how_it_was_heard(store: Any) -> None:
    """``spoken`` and the transcription's language and log-probability ride in the stored answer
    record (no column of their own); an amended spoken answer stays spoken; older records read
    as typed."""
    from core.models import Voice

    st = state(customer="vic")
    heard = Voice(language="es", avg_logprob=-0.31, seconds=6.2, audio="vic-7.ogg")
    spoken = answer(st, 1, "Cada viernes contamos el inventario a mano.").model_copy(
        update={"spoken": True, "voice": heard}
    )
    await store.commit_turn(st, spoken, "voice-1")
    await store.commit_turn(st, answer(st, 2, "typed"), "voice-2")
    stored = await store.answers(customer="vic")
    assert stored == [spoken, answer(st, 2, "typed")]
    assert [a.spoken for a in stored] == [True, False] and stored[0].voice == heard
    amended = await store.amend_answer(
        spoken.id, "Cada viernes contamos el stock.", channel="console", customer="vic"
    )
    assert amended is not None and amended.spoken and amended.voice == heard
