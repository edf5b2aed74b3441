"""One contract for every StoryStore: in memory, embedded Chroma, and a Chroma server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import MemoryStoryStore

from core.models import Story

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Backend:
    def __init__(self, store: Any, data_dir: Path | None) -> None:
        self.store = store
        self.data_dir = data_dir  # where Chroma keeps its files, to look for erased text


@pytest.fixture(params=["memory", "embedded", "server"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "memory":
        yield Backend(MemoryStoryStore(), None)
        return
    from adapters.chroma_store import ChromaStoryStore, open_http_client, open_persistent_client

    if request.param == "embedded":
        yield Backend(ChromaStoryStore(open_persistent_client(tmp_path / "chroma")), tmp_path / "chroma")
        return
    server = request.getfixturevalue("chroma_server")
    store = ChromaStoryStore(open_http_client(server.url))
    await store.reset()
    yield Backend(store, server.path)


def unit(*values: float) -> list[float]:
    vector = [*values, *([0.0] * (4 - len(values)))]
    norm = sum(v * v for v in vector) ** 0.5
    return [v / norm for v in vector]


def story(n: int, team: str = "T1", customer: str = "Customer-AAAAAA", **changes: Any) -> Story:
    fields: dict[str, Any] = {
        "id": f"{team}-{n}",
        "team": team,
        "interview_id": f"i-{customer}",
        "customer": customer,
        "question_id": "q1",
        "question": "What was hard?",
        "section": "frustration",
        "language": "en",
        "channel": "telegram",
        "created_at": T0 + timedelta(days=n),
        "text": f"story number {n}",
    }
    return Story(**{**fields, **changes})


async def test_search_ranks_within_one_team(backend: Backend) -> None:
    store = backend.store
    await store.add([story(1), story(2), story(3, team="T2")], [unit(1, 0), unit(1, 1), unit(1, 0)])
    found = await store.search("T1", unit(1, 0), 5)
    assert [s.id for s, _ in found] == ["T1-1", "T1-2"]
    assert found[0][1] == pytest.approx(1.0, abs=1e-4)
    assert found[1][1] == pytest.approx(0.7071, abs=1e-3)
    assert found[0][0] == story(1)
    assert [s.team for s, _ in await store.search("T2", unit(1, 0), 5)] == ["T2"]
    assert await store.search("T3", unit(1, 0), 5) == []


async def test_add_replaces_by_id(backend: Backend) -> None:
    await backend.store.add([story(1)], [unit(1, 0)])
    await backend.store.add([story(1, text="changed")], [unit(0, 1)])
    assert await backend.store.count("T1") == 1
    [(found, _)] = await backend.store.search("T1", unit(0, 1), 5)
    assert found.text == "changed"


async def test_filters_by_section_and_date(backend: Backend) -> None:
    await backend.store.add(
        [story(1), story(5, section="workaround"), story(9)], [unit(1, 0), unit(1, 0), unit(1, 0)]
    )
    by_section = await backend.store.search("T1", unit(1, 0), 5, section="workaround")
    assert [s.id for s, _ in by_section] == ["T1-5"]
    recent = await backend.store.search("T1", unit(1, 0), 5, since=T0 + timedelta(days=4))
    assert sorted(s.id for s, _ in recent) == ["T1-5", "T1-9"]


async def test_delete_interviews_and_reset(backend: Backend) -> None:
    store = backend.store
    await store.add(
        [story(1), story(2, customer="Customer-BBBBBB"), story(3, team="T2")],
        [unit(1, 0), unit(0, 1), unit(1, 1)],
    )
    assert await store.delete_interviews("T1", ["i-Customer-AAAAAA", "i-nobody"]) == 1
    assert await store.delete_interviews("T1", ["i-Customer-AAAAAA"]) == 0
    assert await store.delete_interviews("T1", []) == 0
    assert [s.customer for s, _ in await store.search("T1", unit(1, 0), 5)] == ["Customer-BBBBBB"]
    assert await store.count("T2") == 1
    await store.reset("T1")
    assert await store.count("T1") == 0
    assert await store.count("T2") == 1
    await store.reset()
    assert await store.count("T2") == 0


def files_containing(root: Path, needle: str) -> list[Path]:
    wanted = (needle.encode(), needle.lower().encode())
    return [p for p in root.rglob("*") if p.is_file() and any(w in p.read_bytes() for w in wanted)]


async def test_deleted_text_is_gone_from_chromas_files(backend: Backend) -> None:
    if backend.data_dir is None:
        pytest.skip("the memory store keeps no files")
    secret = f"Zq{uuid.uuid4().hex}"
    stories = [story(1, text=f"my secret {secret}")] + [
        story(n, customer="Customer-BBBBBB") for n in range(2, 40)
    ]
    await backend.store.add(stories, [unit(1, n) for n in range(1, 40)])
    assert files_containing(backend.data_dir, secret)  # the check can see the text when it is there
    assert await backend.store.delete_interviews("T1", ["i-Customer-AAAAAA"]) == 1
    assert files_containing(backend.data_dir, secret) == []
    assert await backend.store.count("T1") == 38
    found = await backend.store.search("T1", unit(1, 2), 1)
    assert found[0][0].id == "T1-2"


async def test_stories_carry_act_and_facets_and_filter_on_them(backend: Backend) -> None:
    stories = [
        story(1, act="story", facets=("problem", "occurrence", "workaround")),
        story(2, customer="Customer-BBBBBB", act="general", facets=("problem", "workaround")),
        story(3, customer="Customer-CCCCCC", act="hypothetical", facets=("cost",)),
        story(4, customer="Customer-DDDDDD"),  # indexed before answers were read
    ]
    await backend.store.add(stories, [unit(1, 0), unit(1, 0.1), unit(1, 0.2), unit(1, 0.3)])
    [(found, _)] = await backend.store.search("T1", unit(1, 0), 5, act="story")
    assert found == stories[0] and found.facets == ("problem", "occurrence", "workaround")
    by_facet = await backend.store.search("T1", unit(1, 0), 5, facet="workaround")
    assert [s.id for s, _ in by_facet] == ["T1-1", "T1-2"]
    both = await backend.store.search_vectors("T1", unit(1, 0), 5, act="general", facet="workaround")
    assert [story_id for story_id, _, _ in both] == ["T1-2"]
    assert await backend.store.search("T1", unit(1, 0), 5, act="story", facet="cost") == []
    [(unread, _)] = [(s, x) for s, x in await backend.store.search("T1", unit(1, 0), 5) if s.id == "T1-4"]
    assert unread.act is None and unread.facets == ()
