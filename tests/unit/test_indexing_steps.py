"""StoryIndexer indexes a large batch in steps (the index writes one while the model embeds the
next): every answer lands with its own vector, and a failure leaves the outbox to replay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from fakes import HashingEmbedder, MemorySessionStore, MemoryStoryStore

from core.models import AnswerRecord
from core.stories import StoryIndexer


def answers(count: int) -> list[AnswerRecord]:
    return [
        AnswerRecord(
            id=f"a{i}",
            interview_id=f"i{i % 7}",
            team="T1",
            customer=f"c{i % 7}",
            pseudonym=f"Customer-{i % 7}",
            channel="test",
            question_id="q",
            question="What was hard?",
            section="frustration",
            text=f"answer number {i} " + "word " * (i % 13),
            turn=i,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for i in range(count)
    ]


async def test_a_batch_larger_than_a_step_is_indexed_whole(
    sessions: MemorySessionStore, story_store: MemoryStoryStore, embedder: HashingEmbedder
) -> None:
    records = answers(StoryIndexer.STEP * 2 + 5)
    await sessions.add_answers(records)
    indexer = StoryIndexer(sessions, embedder, story_store, batch_size=1000)
    assert await indexer.drain() == len(records)
    assert await story_store.count("T1") == len(records)
    assert embedder.calls == 3  # three steps
    stored = story_store.teams["T1"]
    [expected] = await embedder.embed([records[42].text])
    assert stored["a42"][1] == pytest.approx(expected)
    assert await sessions.pending_index(10) == []


class FailingOnSecondCall(HashingEmbedder):
    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if self.calls == 1:
            self.calls += 1
            raise RuntimeError("model crashed")
        return await super().embed(texts)


async def test_a_failed_step_leaves_the_batch_in_the_outbox(
    sessions: MemorySessionStore, story_store: MemoryStoryStore
) -> None:
    records = answers(StoryIndexer.STEP * 2)
    await sessions.add_answers(records)
    indexer = StoryIndexer(sessions, FailingOnSecondCall(), story_store, batch_size=1000)
    with pytest.raises(RuntimeError, match="model crashed"):
        await indexer.drain()
    assert len(await sessions.pending_index(1000)) == len(records)  # nothing lost: replayed later
    assert await indexer.drain() == len(records)
    assert await story_store.count("T1") == len(records)
