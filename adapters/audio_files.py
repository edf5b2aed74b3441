""":class:`core.ports.AudioArchive` on the local disk, for installations that keep recordings.

``<root>/<team>/<customer>/<name>``, where the team and the customer are hashed (file names hold
no one's id, and any team or customer string makes a safe name). Recordings are erased by the
customer's raw id, never by pseudonym (``earful erase --customer Customer-…`` resolves the
pseudonym to raw ids first). Several workers keep recordings only if they share the folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from core.errors import StoreUnavailable

WHO = ".who"
P = ParamSpec("P")
T = TypeVar("T")


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _name(name: str) -> str:
    """A recording's name as a single safe path component."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).lstrip(".")
    return safe[:160] or "recording"


class AudioFiles:
    """Recordings under ``root`` (``<EARFUL_DATA_DIR>/audio``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, team: str, customer: str) -> Path:
        return self.root / _hashed(team) / _hashed(customer)

    async def keep(self, team: str, customer: str, name: str, audio: bytes) -> None:
        await self._run(self._keep, team, customer, name, audio)

    async def discard(self, team: str, customer: str, name: str) -> None:
        await self._run(self._discard, team, customer, name)

    async def erase(self, customer: str, team: str | None = None) -> int:
        return await self._run(self._erase, customer, team)

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except OSError as error:
            raise StoreUnavailable(
                f"the audio folder {self.root} is unavailable: {error.strerror or error}"
            ) from None

    def _keep(self, team: str, customer: str, name: str, audio: bytes) -> None:
        folder = self.folder(team, customer)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _name(name)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(audio)
        os.replace(temporary, target)

    def _discard(self, team: str, customer: str, name: str) -> None:
        (self.folder(team, customer) / _name(name)).unlink(missing_ok=True)

    def _erase(self, customer: str, team: str | None) -> int:
        teams = [self.root / _hashed(team)] if team is not None else self._children(self.root)
        removed = 0
        for team_folder in teams:
            for folder in self._children(team_folder):
                if folder.name == _hashed(customer):
                    # A ``.who`` file of pseudonyms, kept by earlier versions, goes too (uncounted).
                    removed += sum(1 for path in folder.iterdir() if path.name != WHO)
                    shutil.rmtree(folder)
        return removed

    @staticmethod
    def _children(folder: Path) -> list[Path]:
        return [child for child in folder.iterdir() if child.is_dir()] if folder.is_dir() else []
