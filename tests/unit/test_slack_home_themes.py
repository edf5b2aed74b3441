"""The App Home theme cache: one computation per workspace at a time, recomputed only when the
stories changed, old themes kept when a computation fails; and the Slack adapter's imports."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Sequence
from pathlib import Path

from adapters.slack.home_themes import HomeThemes
from core.themes import Theme


class CountingThemes:
    """Computes one theme per call, named after the call; can be held back or made to fail."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = asyncio.Event()
        self.release.set()
        self.fail = False

    async def __call__(self, team: str) -> Sequence[Theme]:
        self.calls.append(team)
        await self.release.wait()
        if self.fail:
            raise RuntimeError("embedding failed")
        return [Theme(label=f"{team} #{len(self.calls)}", customers=2, stories=2)]


async def settle(cache: HomeThemes, team: str) -> None:
    await asyncio.wait_for(cache.wait(team), 5)


async def test_themes_are_computed_once_per_marker_and_once_at_a_time() -> None:
    compute = CountingThemes()
    compute.release.clear()
    cache = HomeThemes(compute)
    ready: list[str] = []

    async def note() -> None:
        ready.append("published")

    assert cache.refresh("T1", "m1", note) and cache.refresh("T1", "m1", note)  # stale, one computation
    await asyncio.sleep(0)  # one turn of the loop: the computation starts, then waits for release
    assert compute.calls == ["T1"] and cache.cached("T1") is None and cache.computing("T1")
    compute.release.set()
    await settle(cache, "T1")
    cached = cache.cached("T1")
    assert cached is not None and cached.marker == "m1" and cached.themes[0].label == "T1 #1"
    assert ready == ["published", "published"]  # everyone who waited is told
    assert not cache.refresh("T1", "m1")  # current: nothing to do
    assert cache.refresh("T1", "m2")  # new stories: recompute
    await settle(cache, "T1")
    assert compute.calls == ["T1", "T1"] and cache.cached("T1").themes[0].label == "T1 #2"  # type: ignore[union-attr]
    await cache.close()


async def test_a_failed_computation_keeps_the_old_themes_and_tells_nobody() -> None:
    compute = CountingThemes()
    cache = HomeThemes(compute)
    cache.refresh("T1", "m1")
    await settle(cache, "T1")
    compute.fail = True
    told: list[int] = []

    async def note() -> None:
        told.append(1)

    cache.refresh("T1", "m2", note)
    await settle(cache, "T1")
    cached = cache.cached("T1")
    assert cached is not None and cached.marker == "m1" and not told
    assert cache.refresh("T1", "m2")  # still stale: the next open tries again
    await cache.close()


def test_the_slack_adapter_imports_no_bot_code_and_no_other_adapter() -> None:
    root = Path(__file__).resolve().parents[2] / "adapters" / "slack"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith("bot"), f"{path.name} imports {name}"
                if name.startswith("adapters"):
                    assert name.startswith("adapters.slack"), f"{path.name} imports {name}"
