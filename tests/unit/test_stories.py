"""Stories: the outbox drains into the index, the index can be rebuilt, search stays within a
team and returns one quote per interview, and contact details never reach the index."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from fakes import HashingEmbedder, MemorySessionStore, MemoryStoryStore, pseudonym

from core.errors import StoreUnavailable
from core.models import AnswerRecord, Story
from core.redact import redact
from core.stories import StoryIndexer, StorySearch, match_word, story_from_answer

TEAM = "T0123ABC"
OTHER_TEAM = "T0999XYZ"
DAY = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

LATE_INVOICES = "Clients pay our invoices late every month and chasing them takes hours."


def answer(
    n: int,
    text: str,
    *,
    interview: str = "iv-a",
    customer: str | None = None,
    team: str = TEAM,
    section: str = "frustration",
    when: datetime = DAY,
) -> AnswerRecord:
    customer = customer or f"customer-of-{interview}"
    return AnswerRecord(
        id=f"{interview}-{n:04d}",
        interview_id=interview,
        team=team,
        customer=customer,
        pseudonym=pseudonym(team, "telegram", customer),
        channel="telegram",
        question_id=f"q{n}",
        question="What's the hardest part about getting paid?",
        section=section,
        text=text,
        turn=n,
        created_at=when,
    )


class FlakyStoryStore:
    """A story index that is down (every ``add`` raises) until ``down`` is set to False."""

    def __init__(self, fail_after: int = 0) -> None:
        self.inner: MemoryStoryStore = MemoryStoryStore()
        self.down = True
        self.fail_after = fail_after  # how many adds succeed before it goes down
        self.adds = 0

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        self.adds += 1
        if self.down and self.adds > self.fail_after:
            raise StoreUnavailable("chroma server at 127.0.0.1:8000 is not answering")
        await self.inner.add(stories, vectors)

    async def search(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
    ) -> list[tuple[Story, float]]:
        return await self.inner.search(team, vector, k, section=section, since=since)

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        return await self.inner.delete_interviews(team, interview_ids)

    async def reset(self, team: str | None = None) -> None:
        await self.inner.reset(team)

    async def count(self, team: str) -> int:
        return await self.inner.count(team)


@pytest.fixture
def indexer(
    sessions: MemorySessionStore, embedder: HashingEmbedder, story_store: MemoryStoryStore
) -> StoryIndexer:
    return StoryIndexer(sessions, embedder, story_store)


@pytest.fixture
def search(embedder: HashingEmbedder, story_store: MemoryStoryStore) -> StorySearch:
    return StorySearch(embedder, story_store)


SAMPLE = [
    answer(1, "I'm the office manager at a dental practice, billing is half my job.", customer="5551001"),
    answer(2, LATE_INVOICES, customer="5551001"),
    answer(
        3,
        "Last March the insurance portal rejected 40 claims, so I re-typed them in a spreadsheet.",
        customer="5551001",
    ),
]


# --- indexing -----------------------------------------------------------------------------------


async def test_drain_moves_the_outbox_into_the_index(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, indexer: StoryIndexer
) -> None:
    assert await sessions.add_answers(SAMPLE) == 3
    assert len(sessions.outbox) == 3
    assert await indexer.drain() == 3
    assert sessions.outbox == []
    assert await story_store.count(TEAM) == 3
    assert set(story_store.teams[TEAM]) == {a.id for a in SAMPLE}
    assert await indexer.drain() == 0  # nothing left to do


async def test_drain_works_in_batches(
    sessions: MemorySessionStore, embedder: HashingEmbedder, story_store: MemoryStoryStore
) -> None:
    answers = [
        answer(n, f"Week {n}: the payroll export failed again, so I fixed it by hand.") for n in range(1, 6)
    ]
    await sessions.add_answers(answers)
    assert await StoryIndexer(sessions, embedder, story_store, batch_size=2).drain() == 5
    assert embedder.calls == 3
    assert await story_store.count(TEAM) == 5


async def test_indexed_stories_are_pseudonymous(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, indexer: StoryIndexer
) -> None:
    await sessions.add_answers(SAMPLE[:1])
    await indexer.drain()
    [(story, vector)] = story_store.teams[TEAM].values()
    assert story.customer == pseudonym(TEAM, "telegram", "5551001")
    assert "5551001" not in story.model_dump_json()
    assert (story.section, story.question_id, story.channel) == ("frustration", "q1", "telegram")
    assert len(vector) == HashingEmbedder.dimension


async def test_a_failing_index_leaves_the_outbox_intact_and_a_later_drain_succeeds(
    sessions: MemorySessionStore, embedder: HashingEmbedder
) -> None:
    flaky = FlakyStoryStore()
    indexer = StoryIndexer(sessions, embedder, flaky)
    await sessions.add_answers(SAMPLE)
    with pytest.raises(StoreUnavailable):
        await indexer.drain()
    assert sessions.outbox == [a.id for a in SAMPLE]
    assert await flaky.count(TEAM) == 0

    flaky.down = False
    assert await indexer.drain() == 3
    assert sessions.outbox == []
    assert await flaky.count(TEAM) == 3


async def test_a_failure_mid_drain_keeps_only_the_unindexed_batches(
    sessions: MemorySessionStore, embedder: HashingEmbedder
) -> None:
    flaky = FlakyStoryStore(fail_after=1)
    indexer = StoryIndexer(sessions, embedder, flaky, batch_size=2)
    await sessions.add_answers(SAMPLE)
    with pytest.raises(StoreUnavailable):
        await indexer.drain()
    assert sessions.outbox == [SAMPLE[2].id]
    flaky.down = False
    assert await indexer.drain() == 1
    assert await flaky.count(TEAM) == 3


async def test_the_background_loop_retries_until_the_index_is_back(
    sessions: MemorySessionStore, embedder: HashingEmbedder
) -> None:
    flaky = FlakyStoryStore()
    indexer = StoryIndexer(sessions, embedder, flaky)
    await sessions.add_answers(SAMPLE)
    task = asyncio.create_task(indexer.run(retry_after=0.01))
    try:
        while flaky.adds == 0:
            await asyncio.sleep(0.001)
        assert sessions.outbox  # the first attempt failed, nothing was lost
        flaky.down = False
        for _ in range(500):
            if not sessions.outbox:
                break
            await asyncio.sleep(0.002)
        assert sessions.outbox == []
        assert await flaky.count(TEAM) == 3
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_reindex_rebuilds_a_lost_index(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, indexer: StoryIndexer
) -> None:
    await sessions.add_answers(SAMPLE)
    await indexer.drain()
    await story_store.reset()  # the index is lost (a wiped Chroma volume, say)
    assert await story_store.count(TEAM) == 0
    assert await indexer.reindex() == 3
    assert await story_store.count(TEAM) == 3
    assert sessions.outbox == []


async def test_reindex_of_one_team_leaves_other_teams_alone(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, indexer: StoryIndexer
) -> None:
    theirs = answer(1, LATE_INVOICES, interview="iv-z", team=OTHER_TEAM)
    await sessions.add_answers([*SAMPLE, theirs])
    await indexer.drain()
    del story_store.teams[TEAM][SAMPLE[0].id]  # drifted out of sync
    stale_other = story_store.teams[OTHER_TEAM][theirs.id]
    assert await indexer.reindex(TEAM) == 3
    assert set(story_store.teams[TEAM]) == {a.id for a in SAMPLE}
    assert story_store.teams[OTHER_TEAM][theirs.id] is stale_other  # not touched


# --- search -----------------------------------------------------------------------------------------


async def index(sessions: MemorySessionStore, indexer: StoryIndexer, answers: list[AnswerRecord]) -> None:
    await sessions.add_answers(answers)
    assert await indexer.drain() == len(answers)


async def test_search_returns_one_story_per_interview_by_default(
    sessions: MemorySessionStore, indexer: StoryIndexer, search: StorySearch
) -> None:
    talkative = [
        answer(
            n, f"Clients pay our invoices late, month {n}, and chasing them takes hours.", interview="iv-a"
        )
        for n in range(1, 6)
    ]
    others = [
        answer(
            1, "Our invoices get paid late and I spend hours chasing clients.", interview="iv-b", customer="2"
        ),
        answer(1, "Payroll is fine, but clients paying invoices late hurts.", interview="iv-c", customer="3"),
    ]
    await index(sessions, indexer, [*talkative, *others])

    hits = await search.search(TEAM, LATE_INVOICES, k=3)
    assert len(hits) == 3
    assert len({h.story.interview_id for h in hits}) == 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # The quote kept for the talkative interview is its best one.
    best_a = max(
        (h for h in await search.search(TEAM, LATE_INVOICES, k=10, one_per_customer=False)),
        key=lambda h: h.score if h.story.interview_id == "iv-a" else -1,
    )
    assert next(h for h in hits if h.story.interview_id == "iv-a").story.id == best_a.story.id

    everything = await search.search(TEAM, LATE_INVOICES, k=5, one_per_customer=False)
    assert len(everything) == 5
    assert [h.story.interview_id for h in everything].count("iv-a") >= 3


async def test_search_never_returns_another_teams_stories(
    sessions: MemorySessionStore, indexer: StoryIndexer, search: StorySearch
) -> None:
    await index(
        sessions,
        indexer,
        [
            answer(1, LATE_INVOICES, interview="iv-theirs", team=OTHER_TEAM),
            answer(1, "Our stock counts never match the till at the end of the day.", interview="iv-ours"),
        ],
    )
    hits = await search.search(TEAM, LATE_INVOICES, k=5, one_per_customer=False)
    assert [h.story.team for h in hits] == [TEAM]
    assert await search.search("T0000NONE", LATE_INVOICES) == []
    [theirs] = await search.search(OTHER_TEAM, LATE_INVOICES)
    assert theirs.story.interview_id == "iv-theirs"


async def test_one_customer_interviewed_twice_gets_one_hit(
    sessions: MemorySessionStore, indexer: StoryIndexer, search: StorySearch
) -> None:
    await index(
        sessions,
        indexer,
        [
            answer(1, "Late invoices again, chasing clients all week.", interview="iv-1", customer="ann"),
            answer(1, "Late invoices are the worst part of my month.", interview="iv-2", customer="ann"),
            answer(1, "Clients pay our invoices late every quarter.", interview="iv-3", customer="bob"),
        ],
    )
    hits = await search.search(TEAM, "late invoices", k=5)
    assert len(hits) == 2
    assert len({h.story.customer for h in hits}) == 2
    everything = await search.search(TEAM, "late invoices", k=5, one_per_customer=False)
    assert len(everything) == 3


async def test_search_filters_by_section_and_date(
    sessions: MemorySessionStore, indexer: StoryIndexer, search: StorySearch
) -> None:
    await index(
        sessions,
        indexer,
        [
            answer(
                1, "Invoices are paid late and chasing clients is exhausting.", interview="iv-1", when=DAY
            ),
            answer(
                1,
                "We tried a reminder tool for late invoices but clients ignored it.",
                interview="iv-2",
                section="workaround",
                when=DAY + timedelta(days=10),
            ),
            answer(
                1,
                "Late invoices cost us a loan payment in June.",
                interview="iv-3",
                when=DAY + timedelta(days=40),
            ),
        ],
    )
    frustrations = await search.search(TEAM, "late invoices", section="frustration")
    assert {h.story.interview_id for h in frustrations} == {"iv-1", "iv-3"}
    recent = await search.search(TEAM, "late invoices", since=DAY + timedelta(days=5))
    assert {h.story.interview_id for h in recent} == {"iv-2", "iv-3"}
    both = await search.search(TEAM, "late invoices", section="frustration", since=DAY + timedelta(days=5))
    assert [h.story.interview_id for h in both] == ["iv-3"]


async def test_hits_are_labelled_with_a_match_word(
    sessions: MemorySessionStore, indexer: StoryIndexer, search: StorySearch
) -> None:
    await index(
        sessions,
        indexer,
        [
            answer(1, LATE_INVOICES, interview="iv-1"),
            answer(1, "Our stock counts never match the till at the end of the day.", interview="iv-2"),
        ],
    )
    hits = await search.search(TEAM, LATE_INVOICES)
    assert hits[0].story.interview_id == "iv-1"
    assert hits[0].score == pytest.approx(1.0)
    assert hits[0].match == "close"
    assert all(h.match == match_word(h.score) for h in hits)
    assert hits[-1].match == "loose"


@pytest.mark.parametrize(
    "score,word",
    [
        (1.0, "close"),
        (0.6, "close"),
        (0.5999, "related"),
        (0.4, "related"),
        (0.3999, "loose"),
        (-0.2, "loose"),
    ],
)
def test_match_word_thresholds(score: float, word: str) -> None:
    assert match_word(score) == word


@pytest.mark.parametrize("query,k", [("", 5), ("   ", 5), (LATE_INVOICES, 0)])
async def test_an_empty_query_or_zero_k_finds_nothing_without_embedding(
    sessions: MemorySessionStore,
    indexer: StoryIndexer,
    search: StorySearch,
    embedder: HashingEmbedder,
    query: str,
    k: int,
) -> None:
    await index(sessions, indexer, SAMPLE)
    calls = embedder.calls
    assert await search.search(TEAM, query, k=k) == []
    assert embedder.calls == calls


# --- redaction ------------------------------------------------------------------------------------------

CONTACT = (
    "Email me at jane.doe+billing@acme-dental.co.uk or call +1 (415) 555-0132; "
    "my Dutch mobile is 0612345678. On 2024-05-01 the portal failed 3 times."
)


async def test_contact_details_are_redacted_in_stories_but_kept_in_the_record(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, indexer: StoryIndexer
) -> None:
    record = answer(1, CONTACT)
    await index(sessions, indexer, [record])
    [(story, _)] = story_store.teams[TEAM].values()
    assert story.text == (
        "Email me at [email] or call [phone]; my Dutch mobile is [phone]. "
        "On 2024-05-01 the portal failed 3 times."
    )
    assert sessions.records[record.id].text == CONTACT
    assert story_from_answer(record).text == story.text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Reach me on jane@acme.io.", "Reach me on [email]."),
        ("Call +44 20 7946 0958 after 5.", "Call [phone] after 5."),
        ("Our office line is 415-555-0132.", "Our office line is [phone]."),
        ("It happened on 2024-05-01.", "It happened on 2024-05-01."),
        ("We redid it 3 times in 12 days.", "We redid it 3 times in 12 days."),
        ("We paid $1,200 for 250 licences.", "We paid $1,200 for 250 licences."),
        ("From 2024-05-01 to 2024-05-03 nothing worked.", "From 2024-05-01 to 2024-05-03 nothing worked."),
        ("No contact details here 😅", "No contact details here 😅"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The export crashed on 2024-05-01 10:30 during close.",
        "The export crashed on 01.05.2024 during close.",
    ],
    ids=["iso-date-and-time", "dotted-date"],
)
def test_dates_with_times_and_dotted_dates_stay_readable(text: str) -> None:
    assert redact(text) == text
