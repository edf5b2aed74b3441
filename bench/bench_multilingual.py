"""What the multilingual model and language detection cost: load time, one sentence, batches,
memory, and import/query speed with and without the multilingual index.

Run from the repository root: ``.venv/bin/python -m bench.bench_multilingual [--stories 500]``.
Uses ``../shared/data/banking77/dev.jsonl`` and ``../shared/data/arbanking77/dev.jsonl`` when
present (short real messages), else a few built-in sentences repeated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.embeddings import MiniLMEmbedder
from adapters.langid_detector import LangidDetector
from adapters.multilingual import E5Embedder
from bot.settings import Settings
from bot.wiring import build_app
from core.models import AnswerRecord

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FALLBACK = {
    "en": ["My card has not arrived yet", "I was charged twice for one coffee", "The exchange rate was bad"],
    "ar": ["لم تصل بطاقتي بعد", "تم خصم المبلغ مرتين", "سعر الصرف كان سيئاً"],
}


def _texts(name: str, language: str, count: int) -> list[str]:
    path = DATA / name / "dev.jsonl"
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            lines = [json.loads(line)["text"] for _, line in zip(range(count), handle, strict=False)]
        return lines
    return [FALLBACK[language][i % 3] + f" ({i})" for i in range(count)]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _model_figures(name: str, model: MiniLMEmbedder | E5Embedder, texts: list[str]) -> None:
    started = time.perf_counter()
    model.warm_up()
    load = time.perf_counter() - started
    singles = []
    for text in texts[:50]:
        started = time.perf_counter()
        model.encode([text])
        singles.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    model.encode(texts[:256])
    rate = len(texts[:256]) / (time.perf_counter() - started)
    print(
        f"{name:<28} load {load:5.2f} s | one sentence p50 {statistics.median(singles):6.1f} ms"
        f" | batched {rate:6.0f}/s | max RSS so far {_rss_mb():6.0f} MB"
    )


def _records(texts: list[str], team: str) -> list[AnswerRecord]:
    now = datetime.now(UTC)
    return [
        AnswerRecord(
            id=f"{team}-{i}",
            interview_id=f"{team}-interview-{i}",
            team=team,
            customer=f"c{i}",
            pseudonym=f"Customer-{i}",
            channel="import",
            question_id="imported",
            question="",
            section="imported",
            text=text,
            turn=i,
            created_at=now,
        )
        for i, text in enumerate(texts)
    ]


async def _store_figures(multilingual: bool, english: list[str], arabic: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), chroma_url=None, multilingual=multilingual)
        async with build_app(settings) as app:
            await app.search.search("warm", "warm up the models", 1)
            started = time.perf_counter()
            await app.sessions.add_answers(_records(english, "en-only"))
            await app.indexer.drain()
            rate = len(english) / (time.perf_counter() - started)
            await app.sessions.add_answers(_records(english[: len(english) // 2] + arabic, "mixed"))
            await app.indexer.drain()
            figures = {}
            for label, team, questions in (
                ("en question, en stories", "en-only", english[:60]),
                ("en question, mixed", "mixed", english[-60:]),
                ("ar question, mixed", "mixed", arabic[:60]),
            ):
                times = []
                for question in questions:
                    started = time.perf_counter()
                    await app.search.search(team, question, 5)
                    times.append((time.perf_counter() - started) * 1000)
                figures[label] = statistics.median(times)
    shown = " | ".join(f"{label} p50 {ms:5.1f} ms" for label, ms in figures.items())
    print(f"multilingual={multilingual!s:<5} import {rate:5.0f} stories/s | {shown} | RSS {_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=500, help="English stories to import")
    args = parser.parse_args()
    english = _texts("banking77", "en", args.stories)
    arabic = _texts("arbanking77", "ar", max(60, args.stories // 2))
    detector = LangidDetector()
    started = time.perf_counter()
    detector.warm_up()
    load = time.perf_counter() - started
    started = time.perf_counter()
    for text in english + arabic:
        detector.detect(text)
    each = (time.perf_counter() - started) * 1000 / len(english + arabic)
    print(f"{'py3langid':<28} load {load:5.2f} s | {each:.2f} ms a message | RSS {_rss_mb():.0f} MB")
    _model_figures("all-MiniLM-L6-v2 (onnx)", MiniLMEmbedder(), english)
    _model_figures("multilingual-e5-small q4", E5Embedder(), english)
    for multilingual in (False, True):
        asyncio.run(_store_figures(multilingual, english, arabic))


if __name__ == "__main__":
    main()
