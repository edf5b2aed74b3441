"""Several workers on one PostgreSQL: duplicated deliveries stored once, and 200 customers x 5
answers through 2 workers with nothing lost and nothing crossed between customers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fakes import TEST_PSEUDONYMS
from harness import ServiceFront, conversation, run_load, summary

from adapters.sql.database import PostgresDatabase
from adapters.sql.sessions import SqlSessionStore
from core.catalog import Catalog
from core.probing import RuleBasedFollowUp
from core.service import InterviewService


class Workers(list[InterviewService]):
    """Two workers: separate services, each with its own connection pool to the database."""

    def __init__(self, stores: list[SqlSessionStore], catalog: Catalog) -> None:
        super().__init__(
            InterviewService(s, catalog, RuleBasedFollowUp(catalog.messages_for), pseudonyms=TEST_PSEUDONYMS)
            for s in stores
        )
        self.stores = stores


@pytest.fixture
async def workers(pg_url: str, catalog: Catalog) -> AsyncIterator[Workers]:
    stores = [await SqlSessionStore.open(PostgresDatabase(pg_url, max_size=8)) for _ in range(2)]
    yield Workers(stores, catalog)
    for store in stores:
        await store.close()


async def test_each_delivery_three_times_to_two_workers_is_stored_once(workers: Workers) -> None:
    front = ServiceFront(workers)
    messages = conversation("dup", 5)
    for message in messages:
        # The same delivery: three times, to both workers at once.
        outcomes = await asyncio.wait_for(asyncio.gather(*(front.send(w, message) for w in (0, 1, 0))), 30)
        assert sorted(o.duplicate for o in outcomes) == [False, True, True]
    answers = await workers.stores[0].answers(customer="dup")
    assert [a.text for a in answers] == [m.text for m in messages if m.kind == "answer"]
    assert [a.turn for a in answers] == [1, 2, 3, 4, 5]


async def test_200_customers_on_2_workers_lose_and_cross_nothing(workers: Workers) -> None:
    result = await asyncio.wait_for(run_load(ServiceFront(workers), customers=200, answers=5, workers=2), 240)
    answers = await workers.stores[1].answers()
    by_customer: dict[str, list[str]] = {}
    for answer in answers:
        by_customer.setdefault(answer.customer, []).append(answer.text)
    assert len(by_customer) == 200
    crossed = [a for a in answers if not a.text.startswith(f"[{a.customer}#")]
    assert crossed == []
    for customer, texts in by_customer.items():
        assert texts == [m.text for m in conversation(customer, 5) if m.kind == "answer"]
    assert not any(o.unavailable or o.duplicate for outcomes in result.replies.values() for o in outcomes)
    print(
        f"\nload: 200 customers x 5 answers, 2 workers, {len(answers)} stored, 0 lost, 0 crossed",
        summary(result),
    )


async def test_one_conversation_on_two_workers_at_once_loses_no_turn(workers: Workers) -> None:
    """Without the database lock, two workers would read the same state and the second's
    answer would overwrite the first's turn; with it, every answer gets its own turn."""
    front = ServiceFront(workers)
    plan = conversation("racer", 10)
    for message in plan[:2]:
        await front.send(0, message)
    answers = plan[2:]
    outcomes = await asyncio.wait_for(asyncio.gather(*(front.send(i, m) for i, m in enumerate(answers))), 60)
    assert not any(o.duplicate or o.unavailable for o in outcomes)
    stored = await workers.stores[0].answers(customer="racer")
    assert sorted(a.turn for a in stored) == list(range(1, 11))
    assert sorted(a.text for a in stored) == sorted(m.text for m in answers)
    turns = sorted(o.state.turn for o in outcomes if o.state is not None)
    assert turns == list(range(1, 11))  # each message was handled alone, one after another
