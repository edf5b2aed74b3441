"""Shared fixtures: the shipped catalogue, in-memory stores, and helpers to run a turn."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes import HashingEmbedder, MemorySessionStore, MemoryStoryStore  # noqa: E402

from core.catalog import Catalog  # noqa: E402
from prompts import default_catalog  # noqa: E402


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def sessions() -> MemorySessionStore:
    return MemorySessionStore()


@pytest.fixture
def story_store() -> MemoryStoryStore:
    return MemoryStoryStore()


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def voice_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per test session where the speech model is joined (that writes 145 MB)."""
    return tmp_path_factory.mktemp("whisper-base")


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir of its own, a free port for the HTTP server (every running channel serves
    ``/healthz``) and no chat tokens from the developer's environment."""
    for name in list(os.environ):
        if name.startswith(("EARFUL_", "SLACK_", "TELEGRAM_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EARFUL_DATA_DIR", str(tmp_path / "data"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        monkeypatch.setenv("EARFUL_HTTP_PORT", str(probe.getsockname()[1]))
    monkeypatch.chdir(tmp_path)
    return tmp_path
