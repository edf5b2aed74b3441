"""The application service over the in-memory stores: whole interviews, durability, idempotency,
isolation between customers, restarts and erasure."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fakes import (
    TEST_PSEUDONYMS,
    FakeAnswerReader,
    HashingEmbedder,
    MemorySessionStore,
    MemoryStoryStore,
    pseudonym,
    read_as,
)

from core.catalog import Catalog
from core.errors import InviteError
from core.invites import Invites
from core.models import Answer, Consent, Event, Forget, InterviewState, ReplyKind, Skip, Start, Status, Stop
from core.probing import RuleBasedFollowUp
from core.reading import Act, Reading
from core.service import Inbound, InterviewService, Outcome
from core.stories import StoryIndexer

TEAM = "T0123ABC"
OTHER_TEAM = "T0999XYZ"
ALICE = "5551001"  # Telegram user ids
BOB = "5551002"

STORY = (
    "Last Tuesday the bank export failed, so I rebuilt the report in a spreadsheet and it took three hours."
)

PARAGRAPH = (
    "In March our month-end close slipped by four days. The bank feed dropped half the card "
    "transactions, so I exported them by hand, matched 312 lines in a spreadsheet, and only then "
    "could our accountant file the VAT return. It took me two full days and cost us a late fee. "
)
LONG_ANSWER = (PARAGRAPH * (10_000 // len(PARAGRAPH) + 1))[:10_000]
EMOJI_ONLY = "😅🙃"

ANSWERS = [
    "I run finance for a 40-person design agency. Mornings are invoices, afternoons are client calls.",
    LONG_ANSWER,
    EMOJI_ONLY,
    "Chasing late payments. Last week three clients paid late, so I called each of them myself and "
    "spent about five hours on it.",
    "  Two weeks ago a client disputed an invoice; I re-sent it with the timesheet and it cost us 10 days.\n",
]


class StepClock:
    """A clock that moves one second per reading, so stored times are distinct and ordered."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class ServiceFactory:
    """Builds services over the same stores and one shared wall clock, as restarted processes would."""

    def __init__(self, sessions: MemorySessionStore, catalog: Catalog, story_store: MemoryStoryStore) -> None:
        self.sessions = sessions
        self.catalog = catalog
        self.story_store = story_store
        self.clock = StepClock()
        # Answers read as plain stories carrying no facet (nothing skipped, no probe), except these.
        self.reader = FakeAnswerReader(
            {text: read_as(text, Act.MINIMAL) for text in (EMOJI_ONLY, "Fine.")},
            default=Reading(act=Act.STORY),
        )

    def __call__(self, on_answer: Callable[[], None] | None = None) -> InterviewService:
        return InterviewService(
            self.sessions,
            self.catalog,
            RuleBasedFollowUp(self.catalog.messages_for),
            reader=self.reader,
            stories=self.story_store,
            on_answer=on_answer,
            clock=self.clock,
            pseudonyms=TEST_PSEUDONYMS,
        )


@pytest.fixture
def make_service(
    sessions: MemorySessionStore, catalog: Catalog, story_store: MemoryStoryStore
) -> ServiceFactory:
    return ServiceFactory(sessions, catalog, story_store)


@pytest.fixture
def service(make_service: ServiceFactory) -> InterviewService:
    return make_service()


async def say(
    service: InterviewService, customer: str, event: Event, *, key: str | None = None, team: str = TEAM
) -> Outcome:
    return await service.handle(
        Inbound(channel="telegram", customer=customer, event=event, team=team, delivery_key=key)
    )


async def begin(service: InterviewService, customer: str, team: str = TEAM) -> Outcome:
    await say(service, customer, Start(), team=team)
    outcome = await say(service, customer, Consent(given=True), team=team)
    assert outcome.state is not None and outcome.state.status is Status.ACTIVE
    return outcome


async def run_to_the_end(
    service: InterviewService, customer: str, answers: list[str]
) -> tuple[list[str], Outcome]:
    """Answer whatever is asked with ``answers`` (then a concrete story) until the interview ends."""
    pool = iter(answers)
    typed: list[str] = []
    outcome = await begin(service, customer)
    for _ in range(60):
        if outcome.finished:
            return typed, outcome
        assert outcome.replies[-1].kind in (ReplyKind.QUESTION, ReplyKind.PROBE)
        text = next(pool, STORY)
        typed.append(text)
        outcome = await say(service, customer, Answer(text=text))
    raise AssertionError("the interview never finished")


# --- a whole interview ----------------------------------------------------------------------------


async def test_a_whole_interview_stores_every_answer_exactly_as_typed(
    service: InterviewService, sessions: MemorySessionStore, catalog: Catalog
) -> None:
    typed, last = await run_to_the_end(service, ALICE, ANSWERS)
    assert last.finished is True
    assert last.state is not None and last.state.status is Status.FINISHED
    assert last.replies[-1].kind is ReplyKind.DONE

    stored = await sessions.answers(interview_id=last.state.interview_id)
    assert [a.text for a in stored] == typed
    assert typed[: len(ANSWERS)] == ANSWERS
    assert any(len(a.text) == 10_000 and a.text == LONG_ANSWER for a in stored)
    assert any(a.text == EMOJI_ONLY for a in stored)
    assert [a.turn for a in stored] == list(range(1, len(typed) + 1))

    script = catalog.script("discovery.en")
    asked_in_order = list(dict.fromkeys(a.question_id for a in stored))
    assert asked_in_order == [q.id for _, q in script.questions()]
    assert {a.pseudonym for a in stored} == {last.state.pseudonym}
    assert all(a.team == TEAM and a.customer == ALICE and a.channel == "telegram" for a in stored)


async def test_an_emoji_only_answer_gets_a_say_more_probe_and_is_kept(
    service: InterviewService, sessions: MemorySessionStore, catalog: Catalog
) -> None:
    await begin(service, ALICE)
    warmup = await say(service, ALICE, Answer(text=EMOJI_ONLY))
    assert [r.question_id for r in warmup.replies] == ["context"]  # no probe after a warm-up answer
    outcome = await say(service, ALICE, Answer(text=EMOJI_ONLY))
    [probe] = outcome.replies
    assert probe.kind is ReplyKind.PROBE
    assert probe.text == catalog.messages_for("en").probes.short[0]
    answer = await say(service, ALICE, Answer(text="I'm the only bookkeeper, so I do everything myself."))
    assert answer.replies[-1].question_id == "hardest"
    stored = await sessions.answers(customer=ALICE)
    assert [(a.text, a.probe) for a in stored] == [
        (EMOJI_ONLY, None),
        (EMOJI_ONLY, None),
        ("I'm the only bookkeeper, so I do everything myself.", "short"),
    ]
    assert stored[2].question == probe.text
    assert stored[0].reading is not None and stored[0].reading.act is Act.MINIMAL


async def test_skip_and_stop_store_nothing_more(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await begin(service, ALICE)
    await say(service, ALICE, Answer(text=STORY))
    skipped = await say(service, ALICE, Skip())
    assert skipped.replies[-1].question_id == "hardest"
    stopped = await say(service, ALICE, Stop())
    assert stopped.state is not None and stopped.state.status is Status.STOPPED
    assert [a.question_id for a in await sessions.answers(customer=ALICE)] == ["role"]


async def test_started_at_is_set_when_the_customer_consents(service: InterviewService) -> None:
    greeted = await say(service, ALICE, Start())
    assert greeted.state is not None and greeted.state.started_at is None
    consented = await say(service, ALICE, Consent(given=True))
    assert consented.state is not None and consented.state.started_at is not None
    later = await say(service, ALICE, Answer(text=STORY))
    assert later.state is not None and later.state.started_at == consented.state.started_at


# --- durability and idempotency -------------------------------------------------------------------


async def test_an_answer_is_committed_before_handle_returns(
    make_service: ServiceFactory,
    sessions: MemorySessionStore,
) -> None:
    seen_at_callback: list[list[str]] = []
    service = make_service(
        on_answer=lambda: seen_at_callback.append([r.text for r in sessions.records.values()])
    )
    await begin(service, ALICE)
    outcome = await say(service, ALICE, Answer(text=STORY))
    assert outcome.replies  # the replies came back ...
    # ... and by then the answer was already in the system of record and the indexing outbox.
    assert seen_at_callback == [[STORY]]
    [record] = sessions.records.values()
    assert record.text == STORY
    assert sessions.outbox == [record.id]
    assert sessions.states[record.interview_id].position == 1


async def test_the_same_delivery_twice_is_stored_once(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await begin(service, ALICE)
    first = await say(service, ALICE, Answer(text=STORY), key="tg-update-1001")
    again = await say(service, ALICE, Answer(text=STORY), key="tg-update-1001")
    assert not first.duplicate and first.replies
    assert again.duplicate is True
    assert again.replies == []
    assert [a.text for a in await sessions.answers(customer=ALICE)] == [STORY]
    assert again.state is not None and again.state.position == 1  # not moved on a second time
    state = await sessions.latest_for("telegram", ALICE)
    assert state is not None and state.position == 1 and state.turn == 1


async def test_a_new_delivery_key_with_the_same_text_is_a_new_answer(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await begin(service, ALICE)
    await say(service, ALICE, Answer(text=STORY), key="tg-update-1001")
    second = await say(service, ALICE, Answer(text=STORY), key="tg-update-1002")
    assert not second.duplicate
    assert [a.question_id for a in await sessions.answers(customer=ALICE)] == ["role", "context"]


async def test_a_redelivered_start_after_declining_changes_nothing(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await say(service, ALICE, Start(), key="tg-update-1")
    await say(service, ALICE, Consent(given=False), key="tg-update-2")
    again = await say(service, ALICE, Start(), key="tg-update-1")
    assert again.duplicate is True
    assert len(await sessions.interviews()) == 1


async def test_on_answer_is_called_once_per_stored_answer(
    make_service: ServiceFactory,
    sessions: MemorySessionStore,
) -> None:
    calls: list[int] = []
    service = make_service(on_answer=lambda: calls.append(1))
    await begin(service, ALICE)
    assert calls == []  # greeting and consent store no answer
    await say(service, ALICE, Answer(text=STORY), key="k1")
    await say(service, ALICE, Answer(text=STORY), key="k1")  # duplicate
    await say(service, ALICE, Answer(text="   "))  # empty
    await say(service, ALICE, Skip())
    await say(service, ALICE, Answer(text="Fine."))  # stored, then probed
    await say(service, ALICE, Answer(text=STORY))
    assert len(calls) == len(sessions.records) == 3


# --- several customers, restarts ------------------------------------------------------------------


async def test_two_interleaved_customers_never_share_answers(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await begin(service, ALICE)
    await begin(service, BOB)
    for i in range(4):
        await say(
            service,
            ALICE,
            Answer(text=f"Alice, answer {i}: the invoice run failed, so I used Xero for 2 hours."),
        )
        await say(
            service, BOB, Answer(text=f"Bob, answer {i}: yesterday payroll took an hour, so I paid $50.")
        )
    alice = await sessions.answers(customer=ALICE)
    bob = await sessions.answers(customer=BOB)
    assert [a.text.split(",")[0] for a in alice] == ["Alice"] * 4
    assert [a.text.split(",")[0] for a in bob] == ["Bob"] * 4
    assert {a.interview_id for a in alice}.isdisjoint({a.interview_id for a in bob})
    assert {a.pseudonym for a in alice}.isdisjoint({a.pseudonym for a in bob})
    assert [a.question_id for a in alice] == [a.question_id for a in bob]
    assert [a.turn for a in alice] == [1, 2, 3, 4]


async def test_one_conversation_runs_one_event_at_a_time_in_arrival_order(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    await begin(service, ALICE)
    order: list[str] = []

    async def channel_holding_the_chat() -> None:
        # A channel holds the conversation from arrival; the turn it leads to takes it again.
        async with service.conversation("telegram", ALICE):
            order.append("held")
            await asyncio.sleep(0.05)
            await say(service, ALICE, Answer(text="First: the export failed last Monday, two hours lost."))
            order.append("first stored")

    async def second() -> None:
        await say(service, ALICE, Answer(text="Second: then the bank feed broke on Friday."))
        order.append("second stored")

    async def other_customer() -> None:
        await begin(service, BOB)
        order.append("other customer")

    first_task = asyncio.create_task(channel_holding_the_chat())
    await asyncio.sleep(0)  # the chat is held before the next events arrive
    await asyncio.gather(first_task, second(), other_customer())
    assert order.index("other customer") < order.index("first stored") < order.index("second stored")
    assert [a.text.split(":")[0] for a in await sessions.answers(customer=ALICE)] == ["First", "Second"]


async def test_continue_interview_answers_only_an_open_interview_of_the_team(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    text = Answer(text="stories like late invoices")
    inbound = Inbound(channel="slack", customer="U1", event=text, team=TEAM)
    assert await service.continue_interview(inbound) is None  # no interview: a search, say
    assert await sessions.answers() == []
    await service.handle(Inbound(channel="slack", customer="U1", event=Start(), team=TEAM))
    await service.handle(Inbound(channel="slack", customer="U1", event=Consent(given=True), team=TEAM))
    assert await service.open_interview("slack", "U1", OTHER_TEAM) is None
    assert (
        await service.continue_interview(Inbound(channel="slack", customer="U1", event=text, team=OTHER_TEAM))
        is None
    )
    assert await service.open_interview("slack", "U1", TEAM) is not None
    outcome = await service.continue_interview(inbound)
    assert outcome is not None and outcome.committed and outcome.answer_id is not None
    assert [a.text for a in await sessions.answers(customer="U1")] == [text.text]


async def test_a_fresh_service_on_the_same_store_resumes_at_the_same_question(
    make_service: ServiceFactory,
    sessions: MemorySessionStore,
    catalog: Catalog,
) -> None:
    before = make_service()
    await begin(before, ALICE)
    await say(before, ALICE, Answer(text=STORY))

    after = make_service()  # a restarted process: nothing in memory but the store
    resumed = await say(after, ALICE, Start())
    assert [r.kind for r in resumed.replies] == [ReplyKind.INFO, ReplyKind.QUESTION]
    assert resumed.replies[0].text == catalog.messages_for("en").resumed
    assert resumed.replies[1].question_id == "context"

    await say(after, ALICE, Answer(text=STORY))
    stored = await sessions.answers(customer=ALICE)
    assert [(a.question_id, a.turn) for a in stored] == [("role", 1), ("context", 2)]
    assert len({a.interview_id for a in stored}) == 1


async def test_a_fresh_service_continues_a_pending_probe(
    make_service: ServiceFactory,
    sessions: MemorySessionStore,
) -> None:
    before = make_service()
    await begin(before, ALICE)
    await say(before, ALICE, Answer(text=STORY))
    await say(before, ALICE, Answer(text="Fine."))  # probed: can you say more?
    after = make_service()
    await say(after, ALICE, Answer(text=STORY))
    stored = await sessions.answers(customer=ALICE)
    assert [(a.question_id, a.probe) for a in stored] == [
        ("role", None),
        ("context", None),
        ("context", "short"),
    ]


async def test_start_after_the_end_opens_a_new_interview(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    first = await begin(service, ALICE)
    await say(service, ALICE, Stop())
    again = await say(service, ALICE, Start())
    assert again.state is not None and again.state.status is Status.CONSENT
    assert first.state is not None and again.state.interview_id != first.state.interview_id
    assert len(await sessions.interviews()) == 2


async def test_an_event_without_an_interview_says_not_started(
    service: InterviewService, sessions: MemorySessionStore, catalog: Catalog
) -> None:
    for event in (Answer(text="Hi, is this the survey?"), Consent(given=True), Skip(), Forget()):
        outcome = await say(service, "9990001", event)
        assert outcome.state is None
        assert [(r.kind, r.text) for r in outcome.replies] == [
            (ReplyKind.INFO, catalog.messages_for("en").not_started)
        ]
    assert sessions.states == {} and sessions.records == {}


# --- erasure --------------------------------------------------------------------------------------


async def index_two_customers(
    service: InterviewService,
    sessions: MemorySessionStore,
    embedder: HashingEmbedder,
    story_store: MemoryStoryStore,
) -> None:
    for customer in (ALICE, BOB):
        await begin(service, customer)
        await say(service, customer, Answer(text=f"{customer}: {STORY}"))
        await say(
            service,
            customer,
            Answer(text=f"{customer}: I reconcile 200 invoices a month, so I use a spreadsheet."),
        )
    assert await StoryIndexer(sessions, embedder, story_store).drain() == 4
    assert await story_store.count(TEAM) == 4


def stories_of(story_store: MemoryStoryStore, pseudonym: str) -> list[str]:
    return [s.text for s, _ in story_store.teams.get(TEAM, {}).values() if s.customer == pseudonym]


async def test_forget_erases_the_customers_answers_and_stories_only(
    service: InterviewService,
    sessions: MemorySessionStore,
    embedder: HashingEmbedder,
    story_store: MemoryStoryStore,
    catalog: Catalog,
) -> None:
    await index_two_customers(service, sessions, embedder, story_store)
    alice_state = await sessions.latest_for("telegram", ALICE)
    bob_state = await sessions.latest_for("telegram", BOB)
    assert alice_state is not None and bob_state is not None

    confirm = await say(service, ALICE, Forget())
    assert confirm.replies[0].kind is ReplyKind.CONFIRM_FORGET
    assert len(await sessions.answers(customer=ALICE)) == 2  # nothing erased before confirming

    erased = await say(service, ALICE, Answer(text="yes"))
    assert erased.erased is True
    assert erased.replies[0].text == catalog.messages_for("en").forgotten
    assert await sessions.answers(customer=ALICE) == []
    assert await sessions.answers(customer=alice_state.pseudonym) == []
    assert await sessions.latest_for("telegram", ALICE) is None
    assert stories_of(story_store, alice_state.pseudonym) == []

    assert len(await sessions.answers(customer=BOB)) == 2
    assert len(stories_of(story_store, bob_state.pseudonym)) == 2
    assert await sessions.latest_for("telegram", BOB) is not None

    after = await say(service, ALICE, Answer(text="Hello again"))
    assert after.state is None and after.replies[0].text == catalog.messages_for("en").not_started


async def test_confirmed_forget_erases_earlier_interviews_too(
    service: InterviewService,
    sessions: MemorySessionStore,
    embedder: HashingEmbedder,
    story_store: MemoryStoryStore,
) -> None:
    await index_two_customers(service, sessions, embedder, story_store)
    await say(service, ALICE, Stop())
    await begin(service, ALICE)  # a second interview
    await say(service, ALICE, Answer(text="Our agency is 12 people, I handle billing."))
    assert len({a.interview_id for a in await sessions.answers(customer=ALICE)}) == 2

    outcome = await say(service, ALICE, Forget(confirmed=True))
    assert outcome.erased is True
    assert await sessions.answers(customer=ALICE) == []
    assert all(s.customer != ALICE for s in sessions.states.values())
    assert sessions.outbox == []  # the un-indexed answer left the outbox as well
    assert len(await sessions.answers(customer=BOB)) == 2
    assert await story_store.count(TEAM) == 2


async def test_forget_then_anything_else_keeps_everything(
    service: InterviewService, sessions: MemorySessionStore, catalog: Catalog
) -> None:
    await begin(service, ALICE)
    await say(service, ALICE, Answer(text=STORY))
    await say(service, ALICE, Forget())
    cancelled = await say(service, ALICE, Answer(text="no"))
    assert not cancelled.erased
    assert cancelled.replies[0].text == catalog.messages_for("en").forget_cancelled
    assert [a.text for a in await sessions.answers(customer=ALICE)] == [STORY]
    state = await sessions.latest_for("telegram", ALICE)
    assert state is not None and state.forget_requested is False and state.status is Status.ACTIVE


async def test_a_pseudonym_is_resolved_to_its_raw_id_and_erased_by_it_within_one_team(
    service: InterviewService,
    sessions: MemorySessionStore,
    embedder: HashingEmbedder,
    story_store: MemoryStoryStore,
) -> None:
    await index_two_customers(service, sessions, embedder, story_store)
    state = await sessions.latest_for("telegram", BOB)
    assert state is not None and state.pseudonym == pseudonym(TEAM, "telegram", BOB)
    nothing = await service.erase_customer(state.pseudonym, team=TEAM)
    assert not nothing.found and len(await sessions.answers(customer=BOB)) == 2  # a name selects nothing
    assert await service.customers_known_as(state.pseudonym, TEAM) == [("telegram", BOB)]
    erased = await service.erase_customer(BOB, team=TEAM)
    assert erased.pseudonyms == ((TEAM, state.pseudonym),)
    assert (erased.interviews, erased.answers, erased.stories) == (1, 2, 2)
    assert await sessions.answers(customer=BOB) == []
    assert stories_of(story_store, state.pseudonym) == []
    assert len(await sessions.answers(customer=ALICE)) == 2


# --- finished-interview listeners and invites -----------------------------------------------------


class Recorder:
    """An InterviewListener that notes each finished interview and what the store held then."""

    def __init__(self, sessions: MemorySessionStore) -> None:
        self.sessions = sessions
        self.finished: list[tuple[str, Status, int]] = []

    async def interview_finished(self, state: InterviewState) -> None:
        stored = await self.sessions.answers(interview_id=state.interview_id)
        self.finished.append((state.interview_id, state.status, len(stored)))


async def test_listeners_hear_once_about_a_finished_interview_after_its_answers_are_stored(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    recorder = Recorder(sessions)
    service.add_listener(recorder)
    typed, last = await run_to_the_end(service, ALICE, [STORY])
    await service.wait_background()
    assert last.state is not None
    assert recorder.finished == [(last.state.interview_id, Status.FINISHED, len(typed))]
    await say(service, ALICE, Answer(text="One more thing: our accountant quit."))
    await service.wait_background()
    assert len(recorder.finished) == 1


async def test_a_stopped_interview_is_not_announced(
    service: InterviewService, sessions: MemorySessionStore
) -> None:
    recorder = Recorder(sessions)
    service.add_listener(recorder)
    await begin(service, ALICE)
    await say(service, ALICE, Stop())
    await service.wait_background()
    assert recorder.finished == []


async def test_an_invite_starts_one_interview_for_its_team_and_customer(
    sessions: MemorySessionStore, catalog: Catalog
) -> None:
    invites = Invites(sessions)
    service = InterviewService(
        sessions,
        catalog,
        RuleBasedFollowUp(catalog.messages_for),
        invites=invites,
        pseudonyms=TEST_PSEUDONYMS,
    )
    invite = await invites.create(OTHER_TEAM, note="met at the dental expo")

    async def open_link(customer: str) -> Outcome:
        return await service.handle(
            Inbound(channel="telegram", customer=customer, event=Start(), invite_token=invite.token)
        )

    first = await open_link(ALICE)
    assert first.state is not None and first.state.team == OTHER_TEAM
    assert first.state.invite_token == invite.token
    await say(service, ALICE, Consent(given=True), team=OTHER_TEAM)
    await say(service, ALICE, Answer(text=STORY), team=OTHER_TEAM)

    again = await open_link(ALICE)  # the same customer opens the link again: same interview
    assert again.state is not None and again.state.interview_id == first.state.interview_id
    assert again.replies[-1].question_id == "context"
    [stored] = await sessions.answers(customer=ALICE)
    assert stored.team == OTHER_TEAM

    with pytest.raises(InviteError):
        await open_link(BOB)  # someone else cannot use Alice's link
    assert await sessions.latest_for("telegram", BOB) is None
