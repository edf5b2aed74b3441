"""The cross-language store and search on in-memory fakes: filing, both indexes, degrading."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import HashingEmbedder, MemorySessionStore, MemoryStoryStore
from records import telegram_answer

from adapters.chroma_store import ChromaStoryStore
from adapters.embeddings import MiniLMEmbedder
from adapters.multilingual import E5Embedder
from adapters.multilingual_index import BothIndexes, MultilingualStories
from bot.settings import Settings
from bot.wiring import default_multilingual
from core.crosslingual import CrossLingualSearch, _merged, on_scale
from core.models import Story, StoryHit
from core.ports import CosineScale
from core.ranking import ExpansionRanker
from core.stories import StoryIndexer, StorySearch, story_from_answer


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
    scale = CosineScale(mean=0.5, spread=0.1)

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        raise RuntimeError("model file missing")

    async def embed_as(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[float]]:
        raise RuntimeError("model file missing")


def _wired(
    primary: MemoryStoryStore,
    second: MemoryStoryStore,
    ml_embedder: object = None,
    sessions: MemorySessionStore | None = None,
    ranker: ExpansionRanker | None = None,
) -> tuple[MultilingualStories, BothIndexes, CrossLingualSearch]:
    """As bot.wiring builds them: the second index, both indexes, and the search over them."""
    english = HashingEmbedder()
    ml = MultilingualStories(
        primary,
        ml_embedder or HashingEmbedder(),  # type: ignore[arg-type]
        second,
        ScriptDetector(),
        backfill_from=sessions,
    )
    both = BothIndexes(primary, ml)
    search = CrossLingualSearch(
        StorySearch(english, both, ranker=ranker), english, primary, ml, ScriptDetector()
    )
    return ml, both, search


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
) -> tuple[BothIndexes, CrossLingualSearch, MemoryStoryStore]:
    primary, second = MemoryStoryStore(), MemoryStoryStore()
    _, stories, search = _wired(primary, second, ml_embedder)
    await stories.add(STORIES, await HashingEmbedder().embed([s.text for s in STORIES]))
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
    assert await stories.delete_interviews("T", ["i2"]) == 1
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
    _, stories, search = _wired(primary, second, ranker=ExpansionRanker())
    await stories.add(STORIES, await english.embed([s.text for s in STORIES]))
    hits = await search.search("T", "my card was stolen at the station", 5)
    assert hits[0].story.id == "s1" and {hit.story.language for hit in hits} == {"en", "ar", "fr"}
    only_english = await search.search("T", "my card was stolen at the station", 5, language="en")
    assert [hit.story.id for hit in only_english] == ["s1"]
    vectors = await stories.search_vectors("T", (await english.embed(["card"]))[0], 3, language="ar")
    assert [story_id for story_id, _, _ in vectors] == ["s2"]
    assert [s.id for s in await stories.get("T", ["s3", "s1"])] == ["s3", "s1"]


def calibrated(score: float) -> float:
    """An e5 cosine on MiniLM's scale, each embedder's own figures."""
    return on_scale(score, E5Embedder.scale, MiniLMEmbedder.scale)


def test_multilingual_scores_are_put_on_the_english_scale() -> None:
    assert abs(calibrated(0.656) - 0.693) < 1e-9
    assert abs(calibrated(0.756) - (0.693 + 0.113)) < 1e-9  # e5's spread is 1.13 times narrower
    assert calibrated(0.8) > calibrated(0.6) > calibrated(0.4)
    assert calibrated(-1.0) == -1.0 and calibrated(1.0) <= 1.0


def test_multilingual_search_is_on_when_a_team_needs_it(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "auto" by default: built beside the Chroma index, a team entering it when it needs to.
    chroma = ChromaStoryStore(opener=lambda: pytest.fail("nothing is opened while wiring"))
    record = MemorySessionStore()
    assert Settings().multilingual == "auto"
    auto = default_multilingual(Settings(), chroma, record)
    assert auto is not None and not auto.copying()
    for given, meant in [("true", "on"), ("false", "off"), ("OFF", "off"), ("auto", "auto")]:
        monkeypatch.setenv("EARFUL_MULTILINGUAL", given)
        assert Settings().multilingual == meant
    assert default_multilingual(Settings(multilingual="off"), chroma, record) is None


async def _auto() -> tuple[
    MemorySessionStore, MultilingualStories, CrossLingualSearch, MemoryStoryStore, StoryIndexer
]:
    sessions, primary, second = MemorySessionStore(), MemoryStoryStore(), MemoryStoryStore()
    ml, stories, search = _wired(primary, second, sessions=sessions)
    return sessions, ml, search, second, StoryIndexer(sessions, HashingEmbedder(), stories)


async def test_an_english_only_team_never_enters_the_multilingual_index() -> None:
    sessions, _, search, second, indexer = await _auto()
    await sessions.add_answers(
        [telegram_answer(1, "my card was stolen at the station"), telegram_answer(2, "card stolen")]
    )
    assert await indexer.drain() == 2
    assert await second.count("T") == 0
    hits = await search.search("T", "card stolen station", 5)
    assert {hit.story.id for hit in hits} == {"a1", "a2"} and await second.count("T") == 0


async def test_a_first_story_in_another_language_copies_the_team_in() -> None:
    sessions, stories, search, second, indexer = await _auto()
    await sessions.add_answers(
        [telegram_answer(1, "my card was stolen at the station"), telegram_answer(2, "card stolen")]
    )
    await indexer.drain()
    await sessions.add_answers([telegram_answer(3, "بطاقتي سرقت في المحطة card stolen")])
    await indexer.drain()
    assert await stories.ready("T")
    assert {story.id: story.language for story, _ in second.teams["T"].values()} == {
        "a1": "en",
        "a2": "en",
        "a3": "ar",
    }
    hits = await search.search("T", "card stolen station", 5)
    assert {hit.story.language for hit in hits} == {"en", "ar"}


async def test_a_first_question_in_another_language_copies_the_team_in() -> None:
    sessions, _, search, second, indexer = await _auto()
    await sessions.add_answers(
        [telegram_answer(1, "my card was stolen at the station"), telegram_answer(2, "card stolen", team="U")]
    )
    await indexer.drain()
    hits = await search.search("T", "بطاقتي سرقت card stolen station", 5)
    assert [hit.story.id for hit in hits] == ["a1"]
    assert await second.count("T") == 1 and await second.count("U") == 0  # only the team asked


class GatedEmbedder(HashingEmbedder):
    """Embeds its first batch at once and every later one when ``gate`` opens."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.calls = 0

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            await self.gate.wait()
        return await super().embed(texts)


async def test_an_erasure_during_the_copy_is_not_undone_by_it() -> None:
    sessions, primary, second = MemorySessionStore(), MemoryStoryStore(), MemoryStoryStore()
    gated = GatedEmbedder()
    ml, stories, _ = _wired(primary, second, gated, sessions=sessions)
    await sessions.add_answers([telegram_answer(n, f"my card was stolen, story {n}") for n in range(1, 300)])
    await StoryIndexer(sessions, HashingEmbedder(), stories).drain()
    copying = ml.backfill("T")
    while not second.teams.get("T"):  # the copy has read the record and written its first step
        await asyncio.sleep(0.01)
    # The customer's answer is in a later step of the copy, which has already read it.
    await sessions.erase_customer("c290", "T")
    erasing = asyncio.create_task(stories.delete_interviews("T", ["iv290"]))
    await asyncio.sleep(0.05)
    gated.gate.set()
    await erasing
    await copying
    assert "a290" not in second.teams["T"] and len(second.teams["T"]) == 298


async def test_a_copy_cut_short_is_finished_by_the_next_start() -> None:
    sessions, stories, _, second, indexer = await _auto()
    await sessions.add_answers([telegram_answer(n, f"my card was stolen, story {n}") for n in range(1, 6)])
    await indexer.drain()
    first = await sessions.answers(team="T")
    await second.add([story_from_answer(first[0])], await HashingEmbedder().embed([first[0].text]))
    # A new process: the team is in the multilingual index, but with 1 of its 5 stories.
    restarted = MultilingualStories(
        stories._primary, HashingEmbedder(), second, ScriptDetector(), backfill_from=sessions
    )
    assert await restarted.covers("T")
    await restarted.settle()
    assert await second.count("T") == 5


def test_a_merge_keeps_the_english_rankers_order() -> None:
    # The ranker put s2 above s1 although its plain cosine (shown to people) is lower.
    first, second, third = (_story(n, f"story {n}", f"Customer-{n}") for n in (1, 2, 3))
    arabic = _story(4, "قصة", "Customer-4").model_copy(update={"language": "ar"})
    english = [
        StoryHit(story=second, score=0.60, match="close"),
        StoryHit(story=first, score=0.70, match="close"),
    ]
    english.append(StoryHit(story=third, score=0.30, match="loose"))
    merged = _merged(english, [(arabic, 0.656)], calibrated)  # 0.693: above 0.60, the first's floor
    assert [story.id for story, _ in merged] == ["s4", "s2", "s1", "s3"]
    assert [round(score, 3) for _, score in merged] == [0.693, 0.6, 0.7, 0.3]


async def test_an_english_question_to_an_english_only_team_is_the_english_search() -> None:
    sessions, _, search, _, indexer = await _auto()
    await sessions.add_answers(
        [telegram_answer(n, f"my card was stolen at the station, {n}") for n in range(1, 9)]
    )
    await indexer.drain()
    english = search._english  # the StorySearch it wraps
    for question in ["card stolen", "station card", "stolen at the station"]:
        assert await search.search("T", question, 5) == await english.search("T", question, 5)


async def test_the_pivot_is_a_story_the_close_matches_agree_on() -> None:
    primary = MemoryStoryStore()
    outlier, *agreeing = (_story(n, f"story {n}", f"Customer-{n}") for n in range(1, 6))
    # English-model vectors: the outlier points elsewhere; the four others nearly agree.
    await primary.add(
        [outlier, *agreeing],
        [[0.0, 0.0, 1.0], [1.0, 0.1, 0.0], [1.0, 0.0, 0.1], [1.0, 0.05, 0.05], [0.9, 0.1, 0.0]],
    )
    matches = [
        (outlier, 0.70),
        (agreeing[0], 0.69),
        (agreeing[1], 0.68),
        (agreeing[2], 0.67),
        (agreeing[3], 0.60),
    ]
    english = HashingEmbedder()
    multilingual = MultilingualStories(primary, HashingEmbedder(), MemoryStoryStore(), ScriptDetector())
    search = CrossLingualSearch(
        StorySearch(english, primary), english, primary, multilingual, ScriptDetector()
    )
    picked, vector = await search._pivot_story("T", matches)
    assert picked.id in {story.id for story in agreeing}
    assert list(vector) == primary.teams["T"][picked.id][1]
    # Without stored vectors to compare, the best match is the pivot.
    bare = CrossLingualSearch(
        StorySearch(english, primary),
        english,
        BrokenVectors(primary),  # type: ignore[arg-type]
        multilingual,
        ScriptDetector(),
    )
    picked, _ = await bare._pivot_story("T", matches)
    assert picked.id == outlier.id


class BrokenVectors:
    def __init__(self, inner: MemoryStoryStore) -> None:
        self.inner = inner

    async def vectors(self, team: str, ids: Sequence[str]) -> dict[str, list[float]]:
        raise RuntimeError("index unreachable")

    async def search(self, *args: object, **kwargs: object) -> list[tuple[Story, float]]:
        return []
