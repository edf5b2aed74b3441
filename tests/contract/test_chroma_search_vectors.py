"""ChromaStoryStore.search_vectors and get against real chromadb: ids and stored vectors come back
in the same order and with the same scores as plain search; get returns whole stories."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import HashingEmbedder

from adapters.chroma_store import ChromaStoryStore, open_persistent_client
from core.models import Story


async def test_search_vectors_returns_stored_vectors(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    texts = ["card declined at the shop", "card declined twice", "app crashed on login", "refund missing"]
    stories = [
        Story(
            id=f"s{i}",
            team="T1",
            interview_id=f"i{i}",
            customer=f"c{i}",
            question_id="q",
            question="What happened?",
            section="frustration",
            language="en",
            channel="test",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            text=text,
        )
        for i, text in enumerate(texts)
    ]
    vectors = await embedder.embed(texts)
    store = ChromaStoryStore(open_persistent_client(tmp_path / "chroma"))
    await store.add(stories, vectors)
    [query] = await embedder.embed(["card declined"])
    plain = await store.search("T1", query, 3)
    with_vectors = await store.search_vectors("T1", query, 3)
    assert [(s.id, pytest.approx(score)) for s, score in plain] == [
        (i, score) for i, score, _ in with_vectors
    ]
    by_id = dict(zip([s.id for s in stories], vectors, strict=True))
    for story_id, _, vector in with_vectors:
        assert vector == pytest.approx(by_id[story_id], abs=1e-6)
    assert await store.search_vectors("nobody", query, 3) == []
    # get: in the order asked, unknown ids skipped, full stories back
    got = await store.get("T1", ["s2", "missing", "s0"])
    assert [s.id for s in got] == ["s2", "s0"]
    assert got[0] == stories[2]
    assert await store.get("nobody", ["s0"]) == []
