"""The benchmark's stories: 100,000 texts recombined deterministically from the dev data, with
their vectors, cached under bench/.cache/.

Each story joins two banking77 messages. Embedding 100,000 such texts takes 5 minutes on a quiet
2-core machine and over an hour on a busy one, so the story vectors are recombined too: the
model embeds each of the 3,925 messages once (cached), and a story's vector is the
token-count-weighted mean of its two messages' vectors, renormalised. That is what MiniLM's mean
pooling gives when the context across the join is ignored: close to the real embedding, and the
same distribution for the index to work on. Queries are always embedded by the real model.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / ".cache"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
STORIES = 100_000


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


def interview_answers() -> list[str]:
    """What participants answered in the real interviews of ``anthropic_interviews/dev.jsonl``
    (every participant turn after their first, which answers the greeting)."""
    path = data_dir() / "anthropic_interviews" / "dev.jsonl"
    if not path.is_file():
        sys.exit(f"bench needs {path}")
    answers: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                turns = json.loads(line)["turns"]
                answers += [t["text"] for t in turns if t["role"] == "participant"][1:]
    return answers


def _pairs(count: int, n: int) -> list[tuple[int, int]]:
    rng = random.Random(77)
    return [(rng.randrange(n), rng.randrange(n)) for _ in range(count)]


def stories(count: int = STORIES) -> list[str]:
    """``count`` stories: each joins two banking77 messages picked by a seeded generator, so
    every run (and every machine) gets the same texts."""
    short = dev_texts("banking77")
    return [f"{short[a]} {short[b]}" for a, b in _pairs(count, len(short))]


def vectors(count: int, encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Unit vectors of :func:`stories` (see the module's docstring), from the cache when there."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"story-vectors-{count}.npy"
    if path.is_file():
        return np.load(path)
    short = dev_texts("banking77")
    messages_path = CACHE / f"banking77-{len(short)}.npy"
    if messages_path.is_file():
        messages = np.load(messages_path)
    else:
        began = time.perf_counter()
        messages = encode(short)
        np.save(messages_path, messages)
        print(
            f"  embedded {len(short)} messages in {time.perf_counter() - began:.0f} s, cached",
            file=sys.stderr,
        )
    words = np.array([len(text.split()) for text in short], dtype=np.float32)
    pairs = np.array(_pairs(count, len(short)))
    a, b = pairs[:, 0], pairs[:, 1]
    mixed = messages[a] * words[a, None] + messages[b] * words[b, None]
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    result = mixed.astype(np.float32)
    np.save(path, result)
    return result


if __name__ == "__main__":
    from adapters.embeddings import MiniLMEmbedder

    print(vectors(STORIES, MiniLMEmbedder().encode).shape)
