"""Memory with N stories in both indexes (the primary and the multilingual one) and every model
loaded. Vectors are random unit vectors: this measures memory, not ranking.

Run from the repository root: ``.venv/bin/python -m bench.bench_multilingual_rss [--stories 100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from adapters.chroma_store import ChromaStoryStore, open_persistent_client
from adapters.embeddings import MiniLMEmbedder
from adapters.langid_detector import LangidDetector
from adapters.multilingual import E5Embedder
from bench.search_proc import resident_mib
from core.models import Story


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(count: int) -> None:
    minilm, e5, detector = MiniLMEmbedder(), E5Embedder(), LangidDetector()
    minilm.warm_up()
    e5.warm_up()
    detector.warm_up()
    print(f"models loaded: max RSS {_rss_mb():.0f} MB, resident {resident_mib():.0f} MB")
    rng = np.random.default_rng(0)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        primary = ChromaStoryStore(open_persistent_client(Path(folder)))
        second = primary.sibling("earfulml_")
        started = time.perf_counter()
        for start in range(0, count, 4000):
            size = min(4000, count - start)
            stories = [
                Story(
                    id=f"s{start + i}",
                    team="T",
                    interview_id=f"i{start + i}",
                    customer=f"Customer-{(start + i) % 5000}",
                    question_id="q",
                    question="What was the hardest part?",
                    section="frustration",
                    language="en" if (start + i) % 10 else "ar",
                    channel="telegram",
                    created_at=now,
                    text=f"story number {start + i} about a card that never arrived and fees",
                )
                for i in range(size)
            ]
            for store in (primary, second):
                vectors = rng.standard_normal((size, 384)).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                await store.add(stories, vectors.tolist())
        print(
            f"{count} stories in both indexes in {time.perf_counter() - started:.0f} s:"
            f" max RSS {_rss_mb():.0f} MB"
        )
        times = []
        for _ in range(50):
            vector = rng.standard_normal(384)
            vector /= np.linalg.norm(vector)
            started = time.perf_counter()
            await primary.search("T", vector.tolist(), 40)
            await second.search("T", vector.tolist(), 40)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"both index queries (k=40) p50 {statistics.median(times):.1f} ms;"
            f" max RSS {_rss_mb():.0f} MB, resident {resident_mib():.0f} MB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().stories))
