"""Re-ranking of similar-story candidates (core.ranking, adapters.ranking, StorySearch)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import pytest
from fakes import HashingEmbedder, MemoryStoryStore

from adapters.ranking import NumpyExpansionRanker
from core.models import Story
from core.ranking import CosineRanker, ExpansionRanker, expanded_query
from core.stories import StorySearch


def unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def story(i: int, text: str, interview: str | None = None, customer: str | None = None) -> Story:
    return Story(
        id=f"s{i}",
        team="t",
        interview_id=interview or f"i{i}",
        customer=customer or (f"c-{interview}" if interview else f"c{i}"),
        question_id="q",
        question="What was hard?",
        section="frustration",
        language="en",
        channel="test",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        text=text,
    )


def test_expanded_query_averages_query_with_its_nearest_neighbours() -> None:
    query = [1.0, 0.0, 0.0]
    nearest = [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    # half query, half the mean of the first three: (0.5, 1/3, 1/6), then unit length
    assert expanded_query(query, nearest, neighbours=3, query_weight=0.5) == pytest.approx(
        unit([0.5, 1 / 3, 1 / 6])
    )
    assert expanded_query(query, [], neighbours=3) == pytest.approx(query)


def test_expansion_reorders_towards_the_crowd_around_the_query() -> None:
    # The three stories nearest the query lean one way (+y); a lone story leaning the other way
    # (-y) beats, by cosine, a farther story of the first crowd. Expansion turns that round.
    query = [1.0, 0.0, 0.0]
    crowd = [unit([0.9, 0.43, 0.0]), unit([0.9, 0.44, 0.0]), unit([0.88, 0.47, 0.0])]
    lone, far_member = unit([0.8, -0.6, 0.0]), unit([0.75, 0.66, 0.0])
    candidates = [*crowd, lone, far_member]  # nearest first, as the index returns them
    cosine = CosineRanker().scores(query, candidates)
    assert cosine[3] > cosine[4]
    expanded = ExpansionRanker().scores(query, candidates)
    assert expanded[4] > expanded[3]


def test_numpy_ranker_matches_the_pure_reference() -> None:
    rng = random.Random(7)
    query = unit([rng.gauss(0, 1) for _ in range(24)])
    vectors = [unit([rng.gauss(0, 1) for _ in range(24)]) for _ in range(40)]
    vectors.sort(key=lambda v: -sum(a * b for a, b in zip(query, v, strict=True)))
    reference = ExpansionRanker().scores(query, vectors)
    fast = NumpyExpansionRanker().scores(query, vectors)
    assert fast == pytest.approx(reference, abs=1e-5)
    assert NumpyExpansionRanker().scores(query, []) == []


@pytest.mark.parametrize("bad", [{"neighbours": 0}, {"query_weight": 1.5}, {"candidates": 2}])
def test_rankers_reject_nonsense_parameters(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ExpansionRanker(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        NumpyExpansionRanker(**bad)  # type: ignore[arg-type]


async def test_search_orders_by_ranker_but_reports_plain_cosine(
    story_store: MemoryStoryStore, embedder: HashingEmbedder
) -> None:
    texts = [
        "the card payment was declined at the shop",
        "my card was declined twice when paying",
        "card declined again at the till",
        "the bank app crashed when I opened it",
    ]
    stories = [story(i, text) for i, text in enumerate(texts)]
    await story_store.add(stories, await embedder.embed(texts))

    class Reverse:
        """A ranker that prefers what cosine likes least: proves the order comes from the ranker."""

        name = "reverse"
        candidates = 10

        def scores(self, query: list[float], vectors: list[list[float]]) -> list[float]:
            return [-x for x in CosineRanker().scores(query, vectors)]

    plain = await StorySearch(embedder, story_store).search("t", "card declined", 4)
    reversed_ = await StorySearch(embedder, story_store, ranker=Reverse()).search("t", "card declined", 4)
    assert [h.story.id for h in reversed_] == [h.story.id for h in plain][::-1]
    # scores stay the cosine a person can read, whatever the order
    assert {h.story.id: h.score for h in reversed_} == pytest.approx({h.story.id: h.score for h in plain})
    assert plain[0].match in {"close", "related", "loose"}


async def test_ranked_search_keeps_one_story_per_interview(
    story_store: MemoryStoryStore, embedder: HashingEmbedder
) -> None:
    texts = ["refund missing from statement", "refund still missing", "where is my refund", "refund late"]
    stories = [
        story(0, texts[0], "talkative"),
        story(1, texts[1], "talkative"),
        story(2, texts[2]),
        story(3, texts[3]),
    ]
    await story_store.add(stories, await embedder.embed(texts))
    hits = await StorySearch(embedder, story_store, ranker=ExpansionRanker()).search("t", "refund missing", 5)
    interviews = [h.story.interview_id for h in hits]
    assert len(interviews) == len(set(interviews)) == 3
    everything = await StorySearch(embedder, story_store, ranker=ExpansionRanker()).search(
        "t", "refund missing", 5, one_per_customer=False
    )
    assert len(everything) == 4


async def test_ranked_search_reads_on_when_one_interview_fills_the_first_winners(
    story_store: MemoryStoryStore, embedder: HashingEmbedder
) -> None:
    # Ten near-identical answers from one talkative interview outrank the others; with k=2 the
    # search loads winners 2k at a time and must read past them to find a second interview.
    talkative = [story(i, "the export to excel failed again today", "talkative") for i in range(10)]
    other = story(10, "excel export failing for our team", "quiet")
    texts = [s.text for s in [*talkative, other]]
    await story_store.add([*talkative, other], await embedder.embed(texts))
    hits = await StorySearch(embedder, story_store, ranker=ExpansionRanker()).search(
        "t", "the export to excel failed again", 2
    )
    assert [h.story.interview_id for h in hits] == ["talkative", "quiet"]


async def test_ranked_search_keeps_the_language_filter(
    story_store: MemoryStoryStore, embedder: HashingEmbedder
) -> None:
    # The filter must reach the index on the ranker's path too (search_vectors), not only on
    # the plain one: nearer stories in another language may not crowd the asked one out.
    texts = ["card stolen at the station", "card stolen at the station again", "card stolen station"]
    stories = [
        story(i, text).model_copy(update={"language": lang})
        for i, (text, lang) in enumerate(zip(texts, ["en", "en", "fr"], strict=True))
    ]
    await story_store.add(stories, await embedder.embed(texts))
    for ranker in (None, CosineRanker(), ExpansionRanker()):
        search = StorySearch(embedder, story_store, ranker=ranker)
        hits = await search.search("t", "card stolen at the station", 3, language="fr")
        assert [h.story.id for h in hits] == ["s2"]
        assert {h.story.language for h in await search.search("t", "card stolen", 3)} == {"en", "fr"}
