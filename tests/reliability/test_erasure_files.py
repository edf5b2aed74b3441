"""Erasure leaves no vector behind (issue 18, finding 3): after a customer is erased from a team's
index (and from the multilingual index's collection beside it), no file under the embedded Chroma
directory holds their text or the float32 bytes of their vector, not even a segment directory of a
collection that erasure rebuilt."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from adapters.chroma_store import ChromaStoryStore, open_persistent_client
from core.models import Story

TEAM = "T1"
DIMENSION = 384
OTHERS = 1150  # enough for Chroma to write the team's vectors to its index files
VICTIM_TEXT = "the victim's tale of 7319 unpaid invoices"


def unit_vector(rng: random.Random) -> list[float]:
    """64 entries of +-1/8 (exactly unit length, so the index stores these very float32 bytes)."""
    vector = [0.0] * DIMENSION
    for i in rng.sample(range(DIMENSION), 64):
        vector[i] = rng.choice((0.125, -0.125))
    return vector


def story(number: int, interview_id: str, text: str) -> Story:
    return Story(id=f"s{number}", team=TEAM, interview_id=interview_id, customer=f"Customer-{number}",
                 question_id="q1", question="What is hard?", section="frustration", language="en",
                 channel="import", created_at=datetime(2026, 3, 1, tzinfo=UTC), text=text)  # fmt: skip


def files_holding(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [f"{path.relative_to(root)}: {needle[:12]!r}" for needle in needles if needle in data]
    return found


async def test_no_file_keeps_the_erased_customers_text_or_vector(tmp_path: Path) -> None:
    rng = random.Random(18)
    chroma = tmp_path / "chroma"
    client = open_persistent_client(chroma)
    primary = ChromaStoryStore(client, sqlite_file=chroma / "chroma.sqlite3")
    second = primary.sibling("earfulml2_")  # the multilingual index's collections
    victim = unit_vector(rng)
    stories = [story(0, "victim-interview", VICTIM_TEXT)]
    stories += [story(n, f"other-{n}", f"another customer's story number {n}") for n in range(1, OTHERS)]
    vectors = [victim] + [unit_vector(rng) for _ in range(1, OTHERS)]
    for index in (primary, second):
        await index.add(stories, vectors)
        # Written twice, as a long-lived index is: a rebuilt collection leaves its old segment.
        await index.delete_interviews(TEAM, ["other-1"])
    victim_bytes = np.asarray(victim, dtype=np.float32).tobytes()
    needles = [VICTIM_TEXT.encode(), victim_bytes]
    assert files_holding(chroma, needles), "the test must see the victim before erasure"

    for index in (primary, second):
        assert await index.delete_interviews(TEAM, ["victim-interview"]) == 1
    del client  # what is left on disk is what counts

    assert files_holding(chroma, needles) == []
    for index in (primary, second):
        assert await index.count(TEAM) == OTHERS - 2  # the others stay, searchable
        found = await index.search(TEAM, vectors[5], 1)
        assert [s.id for s, _ in found] == ["s5"]
