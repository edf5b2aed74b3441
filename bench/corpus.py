"""The benchmark's stories: 100,000 texts recombined deterministically from the dev data, and
their MiniLM vectors, cached under bench/.cache/ (embedding them takes minutes; later runs load
the cache in a second)."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / ".cache"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
STORIES = 100_000
_CHUNK = 5_000


def data_dir() -> Path:
    """Where the dev files are: ``EARFUL_DATA`` or ``../shared/data`` beside the repository."""
    import os

    return Path(os.environ.get("EARFUL_BENCH_DATA", str(DATA)))


def dev_texts(name: str) -> list[str]:
    """The ``text`` of every line of ``<data>/<name>/dev.jsonl``."""
    path = data_dir() / name / "dev.jsonl"
    if not path.is_file():
        sys.exit(f"bench needs {path} (set EARFUL_BENCH_DATA to the folder holding banking77/)")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def stories(count: int = STORIES) -> list[str]:
    """``count`` stories: each joins two banking77 messages picked by a seeded generator, so
    every run (and every machine) gets the same texts."""
    short = dev_texts("banking77")
    rng = random.Random(77)
    return [f"{rng.choice(short)} {rng.choice(short)}" for _ in range(count)]


def vectors(texts: list[str], encode: object) -> np.ndarray:
    """Vectors of ``texts`` from the cache, embedding (and caching) the missing chunks."""
    CACHE.mkdir(parents=True, exist_ok=True)
    parts = []
    for start in range(0, len(texts), _CHUNK):
        path = CACHE / f"vectors-{len(texts)}-{start:06d}.npy"
        if not path.is_file():
            began = time.perf_counter()
            chunk = encode(texts[start : start + _CHUNK])  # type: ignore[operator]
            np.save(path.with_suffix(".tmp.npy"), chunk)
            path.with_suffix(".tmp.npy").rename(path)
            rate = _CHUNK / (time.perf_counter() - began)
            print(f"  embedded stories {start}-{start + _CHUNK} ({rate:.0f}/s), cached", file=sys.stderr)
        parts.append(np.load(path))
    return np.vstack(parts)


if __name__ == "__main__":
    from adapters.embeddings import MiniLMEmbedder

    texts = stories()
    print(vectors(texts, MiniLMEmbedder().encode).shape)
