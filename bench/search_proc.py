"""One pipeline's story search over the 100,000 cached stories, in a process of its own so its
resident memory is its own: ``python -m bench.search_proc earful|langchain`` prints JSON."""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import time
from datetime import UTC, datetime

import numpy as np

from bench.corpus import CACHE, dev_texts, stories, vectors

TEAM = "bench"
QUERIES = 200
_ADD = 4000


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _queries() -> list[str]:
    # Other people's wording than the stories': every 19th dev message of the CFPB file's first
    # sentences would be long; banking77 messages on their own are the realistic query length.
    texts = dev_texts("banking77")
    return [texts[(i * 37) % len(texts)] for i in range(QUERIES)]


async def earful(texts: list[str], matrix: np.ndarray, encode_model: object) -> list[float]:
    """Earful's real search path, as ``bot.wiring`` builds it by default: the question's language
    detected, the team found English-only, then MiniLM query, the team's Chroma collection and
    the expansion ranker."""
    from adapters.chroma_store import ChromaStoryStore, open_persistent_client
    from adapters.langid_detector import LangidDetector
    from adapters.multilingual import E5Embedder
    from adapters.multilingual_index import MultilingualStories
    from adapters.ranking import NumpyExpansionRanker
    from bot.wiring import MULTILINGUAL_PREFIX
    from core.crosslingual import CrossLingualSearch
    from core.models import Story
    from core.stories import StorySearch

    store = ChromaStoryStore(open_persistent_client(CACHE / f"earful-{len(texts)}"))
    if await store.count(TEAM) != len(texts):
        await store.reset(TEAM)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for start in range(0, len(texts), _ADD):
            batch = [
                Story(
                    id=f"s{i}",
                    team=TEAM,
                    interview_id=f"i{i}",
                    customer=f"c{i}",
                    question_id="q",
                    question="What was the hardest part?",
                    section="frustration",
                    language="en",
                    channel="bench",
                    created_at=now,
                    text=texts[i],
                )
                for i in range(start, min(start + _ADD, len(texts)))
            ]
            await store.add(batch, matrix[start : start + len(batch)].tolist())
    detector = LangidDetector()
    detector.warm_up()  # a running service loaded it at its first story
    multilingual = MultilingualStories(store, E5Embedder(), store.sibling(MULTILINGUAL_PREFIX), detector)
    english = StorySearch(encode_model, store, ranker=NumpyExpansionRanker())  # type: ignore[arg-type]
    search = CrossLingualSearch(english, encode_model, store, multilingual, detector)  # type: ignore[arg-type]
    latencies = []
    for query in _queries():
        began = time.perf_counter()
        hits = await search.search(TEAM, query, 5)
        latencies.append((time.perf_counter() - began) * 1000)
        assert hits, "search found nothing"
    return latencies


def langchain(texts: list[str], matrix: np.ndarray, encode_model: object) -> list[float]:
    """The plain LangChain pipeline: ``Chroma.similarity_search`` with the same model."""
    from adapters.langchain_retriever import LangChainChromaBaseline

    # While the collection is built, stories come from the cache (they were embedded once); then
    # the lookup is emptied so it does not count in the pipeline's memory. Queries use the model.
    known = {text: n for n, text in enumerate(texts)}
    held = {"matrix": matrix}

    def encode(batch: list[str]) -> list[list[float]]:
        if known and all(text in known for text in batch):
            rows: list[list[float]] = held["matrix"][[known[text] for text in batch]].tolist()
            return rows
        rows = encode_model.encode(batch).tolist()  # type: ignore[attr-defined]
        return rows

    baseline = LangChainChromaBaseline(encode, CACHE / f"langchain-{len(texts)}")
    if baseline.store._collection.count() != len(texts):
        baseline.store.reset_collection()
        baseline.add([f"s{i}" for i in range(len(texts))], texts, batch=_ADD)
    known.clear()
    held.clear()
    latencies = []
    for query in _queries():
        began = time.perf_counter()
        found = baseline.search(query, 5)
        latencies.append((time.perf_counter() - began) * 1000)
        assert found, "search found nothing"
    return latencies


def resident_mib() -> float:
    """Resident memory now (the peak where there is no /proc)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the peak


def main() -> None:
    from adapters.embeddings import MiniLMEmbedder

    which = sys.argv[1]
    texts = stories()
    model = MiniLMEmbedder()
    matrix = vectors(len(texts), model.encode)
    model.warm_up()
    latencies = (
        asyncio.run(earful(texts, matrix, model)) if which == "earful" else langchain(texts, matrix, model)
    )
    # The cache and the texts are the benchmark's input, not part of a running service: drop them
    # and read the resident memory now (not the peak, which the one-off cache loading sets).
    del matrix, texts
    gc.collect()
    rss_mib = resident_mib()
    print(
        json.dumps(
            {
                "p50_ms": _percentile(latencies, 0.5),
                "p99_ms": _percentile(latencies, 0.99),
                "rss_mib": rss_mib,
            }
        )
    )


if __name__ == "__main__":
    main()
