"""Stories: answers made searchable. Indexing drains the outbox; search finds similar stories
within one team, one per customer by default."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypedDict

from core.evidence import with_readings
from core.languages import LanguageDetector, detect_language
from core.models import AnswerRecord, Story, StoryHit
from core.ports import Embedder, SessionStore, StoryStore
from core.ranking import Ranker
from core.reading import AnswerReader
from core.redact import redact

# Cosine similarity of MiniLM sentence vectors, read as words a person understands.
CLOSE = 0.6
RELATED = 0.4

log = logging.getLogger(__name__)


def match_word(score: float) -> str:
    """``close`` / ``related`` / ``loose`` for a cosine similarity."""
    if score >= CLOSE:
        return "close"
    if score >= RELATED:
        return "related"
    return "loose"


def story_from_answer(answer: AnswerRecord) -> Story:
    """The indexed form of an answer: pseudonymous, with contact details redacted."""
    return Story(
        id=answer.id,
        team=answer.team,
        interview_id=answer.interview_id,
        customer=answer.pseudonym,
        question_id=answer.question_id,
        question=answer.question,
        section=answer.section,
        language=answer.language,
        channel=answer.channel,
        created_at=answer.created_at,
        text=redact(answer.text),
        label=answer.label,
        act=answer.reading.act.value if answer.reading is not None else None,
        facets=tuple(f.value for f in answer.reading.facets) if answer.reading is not None else (),
        spoken=answer.spoken,
    )


class EvidenceFilters(TypedDict, total=False):
    """The optional filters a story search passes on to its index."""

    language: str
    act: str
    facet: str


class StoryFinder(Protocol):
    """Similar-story search as the channels call it: :class:`StorySearch`, or the cross-lingual
    search around it (:class:`core.crosslingual.CrossLingualSearch`)."""

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
        """The ``k`` stories of ``team`` most similar to ``text``, best first."""
        ...


def evidence_filters(
    language: str | None = None, act: str | None = None, facet: str | None = None
) -> EvidenceFilters:
    """The optional filters a search passes on, only those asked for (so stores written before a
    filter existed still work)."""
    asked = EvidenceFilters()
    if language is not None:
        asked["language"] = language
    if act is not None:
        asked["act"] = act
    if facet is not None:
        asked["facet"] = facet
    return asked


async def stories_from_answers(answers: Sequence[AnswerRecord]) -> list[Story]:
    """:func:`story_from_answer` of each, in a worker thread: redaction reads every character of
    text a customer controls, which must not hold up the other conversations on the loop."""
    return await asyncio.to_thread(lambda: [story_from_answer(answer) for answer in answers])


def pick_hits(
    found: list[tuple[Story, float]], k: int, one_per_customer: bool, seen: set[str] | None = None
) -> list[StoryHit]:
    """Up to ``k`` hits from ``found`` (best first), skipping customers already in ``seen``."""
    seen = set() if seen is None else seen
    hits: list[StoryHit] = []
    for story, score in found:
        if len(hits) == k:
            break
        if one_per_customer:
            if story.customer in seen:
                continue
            seen.add(story.customer)
        hits.append(StoryHit(story=story, score=score, match=match_word(score)))
    return hits


class StorySearch:
    """Similar-story search for one team at a time."""

    # How many nearest stories to fetch per result wanted, so that keeping one story per
    # customer still leaves ``k`` results when one talkative customer dominates.
    OVERFETCH = 8

    def __init__(self, embedder: Embedder, stories: StoryStore, ranker: Ranker | None = None) -> None:
        """``ranker`` re-orders the candidates the index found (see :mod:`core.ranking`); without
        one, stories come in the index's plain cosine order."""
        self._embedder = embedder
        self._stories = stories
        self._ranker = ranker

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
        """The ``k`` stories of ``team`` most similar to ``text``, best first; with
        ``one_per_customer`` (the default) at most one story per customer, and
        only stories in ``language``, read as ``act`` (``story``: a real time it happened) or
        carrying ``facet`` when they are given."""
        if not text.strip() or k <= 0:
            return []
        [vector] = await self._embedder.embed([text])
        fetch = k * self.OVERFETCH if one_per_customer else k
        only = evidence_filters(language, act, facet)
        if self._ranker is None:
            found = await self._stories.search(team, vector, fetch, section=section, since=since, **only)
            return pick_hits(found, k, one_per_customer)
        candidates = await self._stories.search_vectors(
            team, vector, max(fetch, self._ranker.candidates), section=section, since=since, **only
        )
        scores = self._ranker.scores(vector, [stored for _, _, stored in candidates])
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        ranked = [(candidates[i][0], candidates[i][1]) for i in order]
        # Only the winners' texts are loaded, two more than k at a time in case several come from
        # one interview (loading costs by the story); the score kept is the plain cosine, which
        # people read ("close").
        hits: list[StoryHit] = []
        seen: set[str] = set()
        step = k + 2
        for start in range(0, len(ranked), step):
            chunk = ranked[start : start + step]
            cosine = dict(chunk)
            stories = await self._stories.get(team, [story_id for story_id, _ in chunk])
            hits.extend(
                pick_hits([(s, cosine[s.id]) for s in stories], k - len(hits), one_per_customer, seen)
            )
            if len(hits) >= k:
                break
        return hits


async def filed_by_language(detector: LanguageDetector | None, stories: Sequence[Story]) -> list[Story]:
    """``stories`` each filed under the language its text is in (the old value is the hint),
    detected in a worker thread; unchanged without a detector."""
    if detector is None:
        return list(stories)

    def detect() -> list[Story]:
        filed = []
        for story in stories:
            language = detect_language(detector, story.text, story.language)
            filed.append(
                story if language == story.language else story.model_copy(update={"language": language})
            )
        return filed

    return await asyncio.to_thread(detect)


class StoryIndexer:
    """Moves answers from the session store's outbox into the story index, in batches.

    The outbox makes indexing crash-safe: an answer leaves it only after its story is in the
    index, so a crash in between replays it on the next :meth:`drain`.
    """

    def __init__(
        self,
        sessions: SessionStore,
        embedder: Embedder,
        stories: StoryStore,
        batch_size: int = 64,
        detector: LanguageDetector | None = None,
        reader: AnswerReader | None = None,
    ) -> None:
        """``detector``, when given, files each story under the language its text is written in
        (the channel's language is then only the fallback, see :mod:`core.languages`);
        ``reader``, when given, reads answers stored without a reading (older interviews,
        imports) so that their stories carry act and facets too (``earful reindex``)."""
        self._sessions = sessions
        self._embedder = embedder
        self._stories = stories
        self._batch_size = batch_size
        self._detector = detector
        self._reader = reader
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    def notify(self) -> None:
        """Tell a running :meth:`run` loop that new answers are waiting."""
        self._wake.set()

    # Stories embedded per step when indexing a batch; the index writes one step while the model
    # embeds the next, so a large import keeps both cores busy.
    STEP = 128

    async def index(self, answers: Sequence[AnswerRecord]) -> None:
        """Embed and index these answers now (without touching the outbox)."""
        answers = await with_readings(answers, self._reader)
        # Similar lengths together: the model pads every text of a step to the longest one.
        stories = sorted(await stories_from_answers(answers), key=lambda s: len(s.text))
        steps = [stories[i : i + self.STEP] for i in range(0, len(stories), self.STEP)]
        writing: asyncio.Task[None] | None = None
        try:
            for step in steps:
                embedding = asyncio.ensure_future(self._embedder.embed([story.text for story in step]))
                try:
                    # Detection (a fraction of a millisecond a story) runs while the model embeds.
                    filed = await self.with_languages(step)
                    if writing is not None:
                        await writing
                    vectors = await embedding
                finally:
                    embedding.cancel()  # only still running when the write failed
                writing = asyncio.ensure_future(self._stories.add(filed, vectors))
            if writing is not None:
                await writing
        finally:
            if writing is not None and not writing.done():
                writing.cancel()

    async def warm_up(self) -> None:
        """Load the model and the language detector now rather than on the first story."""
        await self._embedder.embed(["warm up"])
        if self._detector is not None:
            await asyncio.to_thread(detect_language, self._detector, "warm up the detector", "en")

    async def with_languages(self, stories: Sequence[Story]) -> list[Story]:
        """``stories`` each filed under its detected language (unchanged without a detector)."""
        return await filed_by_language(self._detector, stories)

    async def drain(self) -> int:
        """Index everything waiting in the outbox; returns how many answers were indexed."""
        total = 0
        async with self._lock:
            while True:
                batch = await self._sessions.pending_index(self._batch_size)
                if not batch:
                    return total
                await self.index(batch)
                await self._sessions.mark_indexed([answer.id for answer in batch])
                total += len(batch)

    async def run(self, retry_after: float = 5.0) -> None:
        """Drain now and whenever notified, until cancelled. A failing index (a server
        down, say) is retried later; the answers wait safely in the outbox meanwhile."""
        self._wake.set()
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.drain()
            except Exception as error:  # noqa: BLE001 - any index failure is retried, never fatal
                log.warning("story indexing failed, retrying in %.0f s: %s", retry_after, error)
                await asyncio.sleep(retry_after)
                self._wake.set()

    async def reindex(self, team: str | None = None) -> int:
        """Rebuild the index of ``team`` (or all teams) from the system of record."""
        await self._stories.reset(team)
        await self._sessions.requeue_all(team)
        return await self.drain()
