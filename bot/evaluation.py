"""``earful eval retrieval``: leave-one-out precision@k of similar-story search on a labelled
JSON-lines file, through the real import, index and search path on a temporary store."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.importing import BadLine, read_jsonl
from bot.settings import Settings
from bot.wiring import App, build_app
from core.errors import InputError
from core.models import AnswerRecord
from core.pseudonyms import Pseudonymizer

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
    pipeline: str = "earful"
    pool: str | None = None  # the stories searched, when not ``file`` itself

    def as_dict(self) -> dict[str, float | int | str | None]:
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


Neighbours = Callable[[AnswerRecord, int], Awaitable[list[str]]]


async def _leave_one_out(
    name: str,
    path: Path,
    k: int,
    labelled: list[AnswerRecord],
    queries: list[AnswerRecord],
    neighbours: Neighbours,
    import_rate: float,
    pool: Path | None = None,
) -> RetrievalReport:
    """Ask every query for its ``k`` nearest other stories among ``labelled`` (the stories
    searched); a neighbour is relevant when its label equals the query's. ``neighbours(record,
    n)`` returns story ids, best first. Without a ``pool`` the queries are ``labelled`` itself."""
    label_of = {record.id: record.label for record in labelled}
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
        found = await neighbours(record, k + 1)
        latencies.append((time.perf_counter() - started) * 1000)
        relevant = [label_of.get(i) == record.label for i in found if i != record.id][:k]
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
        precision_at_k=statistics.fmean(precisions) if count else 0.0,
        recall_at_k=statistics.fmean(recalls) if count else 0.0,
        mrr=statistics.fmean(reciprocal_ranks) if count else 0.0,
        latency_p50_ms=percentile(latencies, 0.5),
        latency_p99_ms=percentile(latencies, 0.99),
        import_per_second=import_rate,
        pipeline=name,
        pool=None if pool is None else str(pool),
    )


def _labelled(path: Path) -> list[AnswerRecord]:
    records = [
        item
        for item in read_jsonl(path, EVAL_TEAM, Pseudonymizer.throwaway())
        if not isinstance(item, BadLine)
    ]
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
    """Import ``path`` (or ``pool``) into a temporary store through the real path (record,
    outbox, embedder, index) and ask every labelled line of ``path`` (or a seeded ``sample`` of
    them) for its k nearest other stories, with the configured ranker."""
    reports = await compare_retrieval(path, k, settings, baseline=False, pool=pool, sample=sample)
    return reports[0]


async def compare_retrieval(
    path: Path,
    k: int = 5,
    settings: Settings | None = None,
    *,
    baseline: bool = True,
    pool: Path | None = None,
    sample: int | None = None,
) -> list[RetrievalReport]:
    """Earful's report on ``path`` and, with ``baseline``, the plain LangChain + Chroma pipeline's
    on the same stories and queries with the same model in the same run (a store of its own)."""
    labelled = _labelled(pool if pool is not None else path)
    queries = seeded_sample(labelled if pool is None else _labelled(path), sample)
    reports: list[RetrievalReport] = []
    with tempfile.TemporaryDirectory(prefix="earful-eval-") as folder:
        base = settings or Settings()
        temp = base.model_copy(update={"data_dir": Path(folder), "chroma_url": None})
        async with build_app(temp) as app:
            # Load the model first: the import rate is about importing, and the baseline below
            # reuses the loaded model.
            await app.indexer.warm_up()
            started = time.perf_counter()
            await _import(app, labelled)
            import_rate = len(labelled) / max(time.perf_counter() - started, 1e-9)
            if app.multilingual is not None and any(q.language != "en" for q in queries):
                # What a team asked in another language gets once its stories are copied into
                # the multilingual index (the first such question starts the copy).
                await app.multilingual.ready(EVAL_TEAM)

            async def earful(record: AnswerRecord, n: int) -> list[str]:
                return [hit.story.id for hit in await app.search.search(EVAL_TEAM, record.text, n)]

            name = f"earful ({temp.search_ranker})"
            reports.append(await _leave_one_out(name, path, k, labelled, queries, earful, import_rate, pool))
            if baseline:
                reports.append(
                    await _baseline(path, k, labelled, queries, app, Path(folder) / "baseline", pool)
                )
    return reports


async def _baseline(
    path: Path,
    k: int,
    labelled: list[AnswerRecord],
    queries: list[AnswerRecord],
    app: App,
    folder: Path,
    pool: Path | None = None,
) -> RetrievalReport:
    from adapters.embeddings import MiniLMEmbedder

    try:
        from adapters.langchain_retriever import LangChainChromaBaseline
    except ImportError:
        raise InputError(
            "--compare baseline needs langchain-chroma: pip install 'earful[langchain]'"
        ) from None

    model = app.embedder if isinstance(app.embedder, MiniLMEmbedder) else MiniLMEmbedder()

    def encode(texts: list[str]) -> list[list[float]]:
        rows: list[list[float]] = model.encode(texts).tolist()
        return rows

    chain = LangChainChromaBaseline(encode, folder)
    started = time.perf_counter()
    await asyncio.to_thread(chain.add, [r.id for r in labelled], [r.text for r in labelled])
    import_rate = len(labelled) / max(time.perf_counter() - started, 1e-9)

    async def neighbours(record: AnswerRecord, n: int) -> list[str]:
        return chain.search(record.text, n)

    return await _leave_one_out(
        "langchain Chroma.similarity_search", path, k, labelled, queries, neighbours, import_rate, pool
    )


def format_reports(reports: list[RetrievalReport]) -> list[str]:
    """Reports side by side, one row per pipeline, with the first row's ratio to the others."""
    first = reports[0]
    k = first.k
    lines = [
        f"file      {first.file}",
        *([f"pool      {first.pool}"] if first.pool else []),
        f"stories   {first.stories}   queries {first.queries}   k {k}",
        f"{'pipeline':<36} {f'precision@{k}':>12} {f'recall@{k}':>9} {'MRR':>6}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'import/s':>9}",
    ]
    for report in reports:
        lines.append(
            f"{report.pipeline:<36} {report.precision_at_k:>12.3f} {report.recall_at_k:>9.3f}"
            f" {report.mrr:>6.3f} {report.latency_p50_ms:>7.1f} {report.latency_p99_ms:>7.1f}"
            f" {report.import_per_second:>9.0f}"
        )
    for other in reports[1:]:
        gain = first.precision_at_k - other.precision_at_k
        lines.append(f"precision@{k}: {first.pipeline} {gain:+.3f} against {other.pipeline}")
    return lines
