"""The figures measured in the benchmark's own process: a core turn, an import, and the time
`earful chat` takes to ask its first question."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import dev_texts, interview_answers, stories
from bot.importing import record_from_line
from bot.settings import Settings
from bot.wiring import build_app, default_answer_reader
from core.models import Answer, Consent, Start, Status
from core.pseudonyms import Pseudonymizer
from core.service import Inbound


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def core_turns(turns: int = 400, *, interviews: bool = False) -> list[float]:
    """Milliseconds from an answer in to the next question out, the answer read and committed to
    SQLite (the real session store; the indexer is only notified, as in production).

    ``interviews``: real interview answers, the offline reader's model loaded before the first
    turn ("core turn with reading"); else banking77 queries, the reader loading on first use."""
    answers = interview_answers() if interviews else dev_texts("banking77")
    latencies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        settings = Settings(data_dir=Path(folder), chroma_url=None)
        reader = default_answer_reader(settings, warm=True) if interviews else None
        async with build_app(settings, reader=reader) as app:
            customer = 0
            status: Status | None = None
            while len(latencies) < turns:
                if status not in (Status.ACTIVE,):
                    customer += 1
                    who = f"bench-{customer}"
                    await app.service.handle(Inbound(channel="bench", customer=who, event=Start()))
                    outcome = await app.service.handle(
                        Inbound(channel="bench", customer=who, event=Consent(given=True))
                    )
                    status = outcome.state.status if outcome.state else None
                    continue
                text = answers[len(latencies) % len(answers)]
                began = time.perf_counter()
                outcome = await app.service.handle(
                    Inbound(channel="bench", customer=who, event=Answer(text=text))
                )
                latencies.append((time.perf_counter() - began) * 1000)
                assert outcome.replies, "a turn without a reply"
                status = outcome.state.status if outcome.state else None
    return latencies


async def earful_import(count: int = 1000) -> float:
    """Stories per second through ``earful import``'s path: record, outbox, embedder, index."""
    from datetime import UTC, datetime

    texts = stories(count)
    now = datetime.now(UTC)
    names = Pseudonymizer.throwaway()
    records = [
        record_from_line({"id": f"b{i}", "text": t}, "bench", i, now, names) for i, t in enumerate(texts)
    ]
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        settings = Settings(data_dir=Path(folder), chroma_url=None)
        async with build_app(settings) as app:
            # Fixed start-up costs stay out of a throughput figure, as for the baseline, whose
            # store is open before its clock starts: load the models, open the index.
            await app.indexer.warm_up()
            await app.stories.count("bench")
            began = time.perf_counter()
            for start in range(0, len(records), 512):
                await app.sessions.add_answers(records[start : start + 512])
                await app.indexer.drain()
            return count / (time.perf_counter() - began)


def langchain_import(count: int = 1000) -> float:
    """Stories per second through the plain LangChain pipeline (``add_texts``), same model."""
    from adapters.embeddings import MiniLMEmbedder
    from adapters.langchain_retriever import LangChainChromaBaseline

    texts = stories(count)
    model = MiniLMEmbedder()
    model.warm_up()
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        baseline = LangChainChromaBaseline(lambda batch: model.encode(batch).tolist(), Path(folder))
        began = time.perf_counter()
        baseline.add([f"b{i}" for i in range(count)], texts)
        return count / (time.perf_counter() - began)


def chat_first_question(timeout: float = 60.0) -> float:
    """Seconds from starting ``earful chat`` to its first question line (consent answered "yes"
    as soon as it is asked), in a fresh data directory."""
    earful = Path(sys.executable).with_name("earful")
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EARFUL_", "SLACK_", "TELEGRAM_"))}
        env["EARFUL_DATA_DIR"] = folder
        began = time.perf_counter()
        process = subprocess.Popen(
            [str(earful), "chat", "--customer", "bench"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=folder,
        )
        assert process.stdin is not None and process.stdout is not None
        # Consent is given up front; the chat reads it when it asks. Greeting and consent come as
        # consecutive "earful>" lines; a question is printed after a blank line or a "you>" prompt.
        process.stdin.write("yes\n")
        process.stdin.flush()
        try:
            previous: str | None = None
            while time.perf_counter() - began < timeout:
                line = process.stdout.readline()
                if not line:
                    break
                if line.startswith("earful>") and previous is not None and not previous.startswith("earful>"):
                    return time.perf_counter() - began
                previous = line
            raise RuntimeError("earful chat asked no question")
        finally:
            process.kill()
            process.wait(timeout=10)
