"""Every team has an index of its own (issue 18, finding 8): team ``Acme Corp`` and the team
spelt like its old hashed name no longer share one Chroma collection, and the stories kept
under the first naming are moved to the new names without a reindex."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from adapters.chroma_store import ChromaStoryStore, collection_name, open_persistent_client
from core.models import Story

ACME = "Acme Corp"
LOOKALIKE = "h" + hashlib.sha256(ACME.encode()).hexdigest()[:32]  # a valid plain team id


def story(team: str, text: str) -> Story:
    return Story(id=f"{team}-1", team=team, interview_id=f"i-{team}", customer="Customer-1",
                 question_id="q1", question="What is hard?", section="frustration", language="en",
                 channel="import", created_at=datetime(2026, 3, 1, tzinfo=UTC), text=text)  # fmt: skip


VECTOR = [1.0] + [0.0] * 7


async def test_no_two_teams_share_an_index(tmp_path: Path) -> None:
    teams = [ACME, LOOKALIKE, "T0123ABC", "local", "acme corp", "Acme  Corp", "é", "h" + "0" * 32]
    assert len({collection_name(team) for team in teams}) == len(teams)
    assert collection_name("T0123ABC") == "earful_T0123ABC"  # Slack team ids keep their index
    store = ChromaStoryStore(open_persistent_client(tmp_path / "chroma"))
    await store.add([story(ACME, "Acme's invoices"), story(LOOKALIKE, "the other team's secret")],
                    [VECTOR, VECTOR])  # fmt: skip
    for team, text in ((ACME, "Acme's invoices"), (LOOKALIKE, "the other team's secret")):
        found = await store.search(team, VECTOR, 5)
        assert [s.text for s, _ in found] == [text]
        assert await store.count(team) == 1


async def test_stories_under_the_first_naming_are_moved_to_each_teams_own_index(tmp_path: Path) -> None:
    client = open_persistent_client(tmp_path / "chroma")
    # The first naming: Acme Corp hashed to earful_h<32 hex>, the very name of LOOKALIKE's index.
    shared = client.create_collection(f"earful_{LOOKALIKE}", configuration={"hnsw": {"space": "cosine"}},
                                      metadata={"team": ACME})  # fmt: skip
    for team, text in ((ACME, "Acme's invoices"), (LOOKALIKE, "the other team's secret")):
        meta = {"team": team, "interview_id": f"i-{team}", "customer": "Customer-1", "question_id": "q1",
                "question": "What is hard?", "section": "frustration", "language": "en",
                "channel": "import", "created_at": 1772323200.0}  # fmt: skip
        shared.add(ids=[f"{team}-1"], embeddings=[VECTOR], documents=[text], metadatas=[meta])
    store = ChromaStoryStore(client)
    assert [s.text for s, _ in await store.search(ACME, VECTOR, 5)] == ["Acme's invoices"]
    assert [s.text for s, _ in await store.search(LOOKALIKE, VECTOR, 5)] == ["the other team's secret"]
    names = {c.name for c in client.list_collections()}
    assert f"earful_{LOOKALIKE}" not in names  # emptied, then dropped
    assert names == {collection_name(ACME), collection_name(LOOKALIKE)}
