"""Themes for the App Home tab, computed in the background and cached per workspace.

Themes mean re-embedding a team's stories and clustering them (seconds per thousand
stories), far too slow for an ``app_home_opened`` handler that runs on every open. So each
workspace's themes are kept with the stories marker they were computed from
(:func:`core.team_views.stories_marker`); when a home tab is opened and the marker has
changed, one background computation starts for that workspace and the tab shows the cached
themes (or "being grouped") meanwhile, then is published again when the new themes are ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from core.themes import Theme

log = logging.getLogger(__name__)

# Computes the themes of one team (the composition root supplies it: embedder + clusterer).
ThemesFor = Callable[[str], Awaitable[Sequence[Theme]]]
# Called once the themes of a team are ready (e.g. to publish a home tab again).
WhenReady = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class CachedThemes:
    """Themes of one team and the stories marker they were computed from."""

    marker: str
    themes: tuple[Theme, ...]


@dataclass
class HomeThemes:
    """Per-workspace theme cache with at most one background computation per workspace."""

    compute: ThemesFor
    needed_interviews: int = 5  # fewer interviews than this: no themes, a "themes appear after" note
    shown: int = 5
    _cache: dict[str, CachedThemes] = field(default_factory=dict)
    _running: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    _waiting: dict[str, list[WhenReady]] = field(default_factory=dict)

    def cached(self, team: str) -> CachedThemes | None:
        """The last themes computed for ``team`` (possibly stale), if any."""
        return self._cache.get(team)

    def computing(self, team: str) -> bool:
        """Whether a computation for ``team`` is under way."""
        task = self._running.get(team)
        return task is not None and not task.done()

    def refresh(self, team: str, marker: str, when_ready: WhenReady | None = None) -> bool:
        """Start computing ``team``'s themes unless they are current for ``marker`` or already
        being computed; ``when_ready`` is called after a computation this call waits for.
        Returns whether the cached themes are stale (so a computation is, or was, started)."""
        cached = self._cache.get(team)
        if cached is not None and cached.marker == marker:
            return False
        if when_ready is not None:
            self._waiting.setdefault(team, []).append(when_ready)
        if not self.computing(team):
            self._running[team] = asyncio.create_task(self._compute(team, marker))
        return True

    async def _compute(self, team: str, marker: str) -> None:
        try:
            themes = tuple(await self.compute(team))
        except Exception:  # keep serving the old themes; the next open retries
            log.exception("themes of workspace %s could not be computed", team)
            self._waiting.pop(team, None)
            return
        self._cache[team] = CachedThemes(marker, themes)
        # Done before the callbacks run: what they show is no longer "being computed".
        if self._running.get(team) is asyncio.current_task():
            del self._running[team]
        for callback in self._waiting.pop(team, []):
            try:
                await callback()
            except Exception:  # one failed publish must not stop the others
                log.warning("could not show the new themes of workspace %s", team, exc_info=True)

    async def wait(self, team: str) -> None:
        """Until the running computation for ``team`` (if any) has finished."""
        task = self._running.get(team)
        if task is not None:
            await asyncio.shield(task)

    async def close(self) -> None:
        """Cancel running computations (the channel is stopping)."""
        for task in self._running.values():
            task.cancel()
        for task in self._running.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._running.clear()
