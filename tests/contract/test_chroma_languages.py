"""The Chroma story store's language parts: the filter, the probe, and a sibling index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.chroma_store import ChromaStoryStore, open_persistent_client
from core.models import Story


def _story(number: int, language: str) -> Story:
    return Story(
        id=f"s{number}",
        team="T",
        interview_id=f"i{number}",
        customer=f"Customer-{number}",
        question_id="q",
        question="",
        section="frustration",
        language=language,
        channel="telegram",
        created_at=datetime.now(UTC),
        text=f"story {number}",
    )


def _vector(index: int) -> list[float]:
    return [1.0 if i == index else 0.0 for i in range(8)]


async def test_language_filter_probe_and_sibling(tmp_path: Path) -> None:
    primary = ChromaStoryStore(open_persistent_client(tmp_path / "chroma"))
    second = primary.sibling("earfulml_")
    await primary.add([_story(1, "en"), _story(2, "en")], [_vector(0), _vector(1)])
    assert await primary.has_language_other_than("T", "en") is False
    assert await second.has_language_other_than("T", "en") is False  # nothing indexed there yet
    await primary.add([_story(3, "ar")], [_vector(2)])
    assert await primary.has_language_other_than("T", "en") is True
    found = await primary.search("T", _vector(0), 3, language="ar")
    assert [story.id for story, _ in found] == ["s3"]
    await second.add([_story(1, "en")], [_vector(5)])
    await second.reset()  # the sibling's reset leaves the primary index alone
    assert await primary.count("T") == 3 and await second.count("T") == 0
    with pytest.raises(ValueError, match="overlaps"):
        primary.sibling("earful_ml_")
