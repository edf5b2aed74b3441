"""The cross-language store and search on in-memory fakes: filing, both indexes, degrading."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import HashingEmbedder, MemoryStoryStore

from bot.settings import Settings
from bot.wiring import default_multilingual
from core.crosslingual import CrossLingualSearch, Multilingual, MultilingualStories, calibrated
from core.models import Story
from core.ranking import ExpansionRanker
from core.stories import StorySearch


class ScriptDetector:
    """Arabic letters -> ar, 'bonjour' -> fr, otherwise en: enough to test the plumbing."""

    def detect(self, text: str) -> tuple[str, float]:
        if any("\u0600" <= ch <= "\u06ff" for ch in text):
            return "ar", 0.95
        if "bonjour" in text:
            return "fr", 0.9
        return "en", 0.9


class BrokenEmbedder:
    name = "broken"
    dimension = 64

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        raise RuntimeError("model file missing")


def _story(number: int, text: str, customer: str) -> Story:
    return Story(
        id=f"s{number}",
        team="T",
        interview_id=f"i{number}",
        customer=customer,
        question_id="q",
        question="",
        section="frustration",
        language="en",
        channel="telegram",
        created_at=datetime.now(UTC),
        text=text,
    )


STORIES = [
    _story(1, "my card was stolen at the station", "Customer-A"),
    _story(2, "بطاقتي سرقت في المحطة card stolen", "Customer-B"),
    _story(3, "bonjour my card stolen station", "Customer-C"),
]


async def _built(
    ml_embedder: object = None,
) -> tuple[MultilingualStories, CrossLingualSearch, MemoryStoryStore]:
    primary, second, english = MemoryStoryStore(), MemoryStoryStore(), HashingEmbedder()
    multilingual = Multilingual(ml_embedder or HashingEmbedder(), second, ScriptDetector())  # type: ignore[arg-type]
    stories = MultilingualStories(primary, multilingual)
    await stories.add(STORIES, await english.embed([s.text for s in STORIES]))
    search = CrossLingualSearch(StorySearch(english, stories), english, primary, multilingual)
    return stories, search, second


async def test_stories_are_filed_by_detected_language_in_both_indexes() -> None:
    stories, _, second = await _built()
    assert await stories.count("T") == 3 and await second.count("T") == 3
    filed = {story.id: story.language for story, _ in second.teams["T"].values()}
    assert filed == {"s1": "en", "s2": "ar", "s3": "fr"}


async def test_a_search_returns_every_language_and_the_filter_keeps_one() -> None:
    _, search, _ = await _built()
    hits = await search.search("T", "card stolen station", 5)
    assert {hit.story.language for hit in hits} == {"en", "ar", "fr"}
    only = await search.search("T", "card stolen station", 5, language="ar-SA")
    assert [hit.story.id for hit in only] == ["s2"]


async def test_erase_and_reset_reach_both_indexes() -> None:
    stories, _, second = await _built()
    assert await stories.delete_customer("T", "Customer-B") == 1
    assert "s2" not in second.teams["T"]
    await stories.reset("T")
    assert await second.count("T") == 0 and await stories.count("T") == 0


async def test_a_broken_multilingual_model_leaves_english_search_working() -> None:
    stories, search, second = await _built(BrokenEmbedder())
    assert await stories.count("T") == 3 and await second.count("T") == 0
    hits = await search.search("T", "card stolen station", 3)
    assert hits and hits[0].story.id == "s1"
    arabic = await search.search("T", "بطاقتي سرقت", 3)  # no multilingual index: English one answers
    assert arabic


async def test_the_english_search_keeps_its_ranker_inside_the_cross_lingual_one() -> None:
    # As wired: a ranked StorySearch wrapped in CrossLingualSearch; the ranker reads candidates
    # through search_vectors/get, which the multilingual store passes to the primary index.
    primary, second, english = MemoryStoryStore(), MemoryStoryStore(), HashingEmbedder()
    multilingual = Multilingual(HashingEmbedder(), second, ScriptDetector())
    stories = MultilingualStories(primary, multilingual)
    await stories.add(STORIES, await english.embed([s.text for s in STORIES]))
    ranked = StorySearch(english, stories, ranker=ExpansionRanker())
    search = CrossLingualSearch(ranked, english, primary, multilingual)
    hits = await search.search("T", "my card was stolen at the station", 5)
    assert hits[0].story.id == "s1" and {hit.story.language for hit in hits} == {"en", "ar", "fr"}
    only_english = await search.search("T", "my card was stolen at the station", 5, language="en")
    assert [hit.story.id for hit in only_english] == ["s1"]
    vectors = await stories.search_vectors("T", (await english.embed(["card"]))[0], 3, language="ar")
    assert [story_id for story_id, _, _ in vectors] == ["s2"]
    assert [s.id for s in await stories.get("T", ["s3", "s1"])] == ["s3", "s1"]


def test_multilingual_scores_are_put_on_the_english_scale() -> None:
    assert abs(calibrated(0.912) - 0.693) < 1e-9
    assert calibrated(0.99) > calibrated(0.95) > calibrated(0.85)
    assert calibrated(0.0) == -1.0 and calibrated(1.0) <= 1.0


def test_multilingual_search_is_opt_in(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Off by default (a second model: slower start, memory past 1 GiB); EARFUL_MULTILINGUAL=true
    # turns it on for a store that can hold a second index.
    class ChromaLike(MemoryStoryStore):
        def sibling(self, prefix: str) -> MemoryStoryStore:
            return MemoryStoryStore()

    assert Settings().multilingual is False
    assert default_multilingual(Settings(), ChromaLike()) is None
    monkeypatch.setenv("EARFUL_MULTILINGUAL", "true")
    assert Settings().multilingual is True
