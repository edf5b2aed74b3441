"""``earful eval retrieval``: leave-one-out precision@k of similar-story search on a labelled
JSON-lines file, through the real import, index and search path on a temporary store."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.importing import BadLine, read_jsonl
from bot.settings import Settings
from bot.wiring import App, build_app
from core.models import AnswerRecord

EVAL_TEAM = "eval"


@dataclass(frozen=True)
class RetrievalReport:
    """The figures ``earful eval retrieval`` prints."""

    file: str
    k: int
    stories: int
    queries: int
    precision_at_k: float
    recall_at_k: float
    mrr: float
    latency_p50_ms: float
    latency_p99_ms: float
    import_per_second: float
    pool: str | None = None  # the stories searched, when not ``file`` itself

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values`` by the nearest-rank method."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _import(app: App, records: list[AnswerRecord], batch: int = 512) -> None:
    for start in range(0, len(records), batch):
        await app.sessions.add_answers(records[start : start + batch])
        await app.indexer.drain()


def _labelled(path: Path) -> list[AnswerRecord]:
    records = [item for item in read_jsonl(path, EVAL_TEAM) if not isinstance(item, BadLine)]
    return [record for record in records if record.label is not None]


def seeded_sample(records: list[AnswerRecord], size: int | None, seed: int = 0) -> list[AnswerRecord]:
    """``size`` of ``records`` chosen by a fixed seed (the same lines on every run), in file order."""
    if size is None or size >= len(records):
        return records
    return [records[i] for i in sorted(random.Random(seed).sample(range(len(records)), size))]


async def evaluate_retrieval(
    path: Path,
    k: int = 5,
    settings: Settings | None = None,
    *,
    pool: Path | None = None,
    sample: int | None = None,
) -> RetrievalReport:
    """Import ``path`` (or ``pool``) into a temporary store and ask every labelled line of
    ``path`` (or a seeded ``sample`` of them) for its k nearest other stories; a neighbour is
    relevant when its label equals the query's."""
    labelled = _labelled(pool if pool is not None else path)
    queries = seeded_sample(labelled if pool is None else _labelled(path), sample)
    with tempfile.TemporaryDirectory(prefix="earful-eval-") as folder:
        base = settings or Settings()
        temp = base.model_copy(update={"data_dir": Path(folder), "chroma_url": None})
        async with build_app(temp) as app:
            started = time.perf_counter()
            await _import(app, labelled)
            import_rate = len(labelled) / max(time.perf_counter() - started, 1e-9)
            label_counts: dict[str, int] = {}
            for record in labelled:
                label_counts[str(record.label)] = label_counts.get(str(record.label), 0) + 1
            precisions: list[float] = []
            recalls: list[float] = []
            reciprocal_ranks: list[float] = []
            latencies: list[float] = []
            for record in queries:
                # Leave-one-out within one file; against a pool every same-label story counts.
                others = label_counts.get(str(record.label), 0) - (pool is None)
                if others < k:
                    continue  # too few relevant stories to fill k: not a fair query
                started = time.perf_counter()
                hits = await app.search.search(EVAL_TEAM, record.text, k + 1)
                latencies.append((time.perf_counter() - started) * 1000)
                neighbours = [hit for hit in hits if hit.story.id != record.id][:k]
                relevant = [hit.story.label == record.label for hit in neighbours]
                precisions.append(sum(relevant) / k)
                recalls.append(sum(relevant) / others)
                first = next((rank for rank, ok in enumerate(relevant, start=1) if ok), None)
                reciprocal_ranks.append(1 / first if first else 0.0)
    count = len(precisions)
    return RetrievalReport(
        file=str(path),
        k=k,
        stories=len(labelled),
        queries=count,
        pool=None if pool is None else str(pool),
        precision_at_k=statistics.fmean(precisions) if count else 0.0,
        recall_at_k=statistics.fmean(recalls) if count else 0.0,
        mrr=statistics.fmean(reciprocal_ranks) if count else 0.0,
        latency_p50_ms=percentile(latencies, 0.5),
        latency_p99_ms=percentile(latencies, 0.99),
        import_per_second=import_rate,
    )
