"""How fast the Slack app acknowledges a slash command under concurrent load.

Runs the real Bolt app in HTTP mode through Earful's HTTP server on 127.0.0.1 (Web API calls
go to the local emulator), with the packaged MiniLM model and embedded Chroma, and fires
rounds of 20 concurrent signed ``/earful stories ...`` commands. The acknowledgement is the
HTTP response; the search and the reply run after it, competing for the same event loop.

    .venv/bin/python -m bench.slack_ack [--rounds 10] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from slack_harness import TEAM_A, SlackHarness, running_slack

from core.models import AnswerRecord
from core.pseudonyms import Pseudonymizer

NAMES = Pseudonymizer.throwaway()

SENTENCES = [
    "Reconciling invoices by hand takes two days every month",
    "Exports to the accounting system fail without telling anyone",
    "We lose customers because onboarding takes three weeks",
    "I copy numbers from PDFs into a spreadsheet every Friday",
    "Nobody knows which version of the price list is current",
]


async def _seed(slack: SlackHarness, count: int = 200) -> None:
    answers = [
        AnswerRecord(
            id=f"bench-{n}",
            interview_id=f"bench-i{n // 4}",
            team=TEAM_A,
            customer=f"c{n // 4}",
            pseudonym=NAMES.name(TEAM_A, "import", f"c{n // 4}"),
            channel="import",
            question_id="hardest",
            question="What is the hardest part?",
            section="frustration",
            text=f"{SENTENCES[n % len(SENTENCES)]} (story {n})",
            turn=n % 4 + 1,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for n in range(count)
    ]
    await slack.app.sessions.add_answers(answers)
    await slack.app.indexer.drain()


async def _timed_command(slack: SlackHarness, text: str) -> float:
    started = time.perf_counter()
    response = await slack.command(text)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"slash command answered {response.status_code}")
    return elapsed


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def _scenario(slack: SlackHarness, rounds: int, concurrency: int, story_search: bool) -> list[float]:
    before = len(slack.emulator.of("respond"))
    samples: list[float] = []
    for round_ in range(rounds):
        texts = [
            f"stories {SENTENCES[(round_ + n) % len(SENTENCES)]}" if story_search else "help"
            for n in range(concurrency)
        ]
        samples += await asyncio.gather(*(_timed_command(slack, text) for text in texts))
    # Every command must also be answered (posted to its response_url), not just acknowledged.
    expected = before + rounds * concurrency
    await slack.emulator.wait_for(lambda calls: len(slack.emulator.of("respond")) >= expected, timeout=300)
    return [sample * 1000 for sample in samples]


def _row(name: str, ms: list[float]) -> str:
    return (
        f"| {name} | {len(ms)} | {_percentile(ms, 0.5):.1f} | {_percentile(ms, 0.9):.1f}"
        f" | {_percentile(ms, 0.99):.1f} | {max(ms):.1f} |"
    )


async def main(rounds: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_slack(Path(tmp), real_embedder=True) as slack:
            await _seed(slack)
            await _timed_command(slack, "stories warm up the model")  # first call loads the model
            await slack.emulator.wait_for(lambda calls: bool(slack.emulator.of("respond")), timeout=60)
            search = await _scenario(slack, rounds, concurrency, story_search=True)
            help_ = await _scenario(slack, rounds, concurrency, story_search=False)
    print(f"Slack slash-command acknowledgement, {rounds} rounds of {concurrency} concurrent requests")
    print("(client and server in one process on 127.0.0.1; MiniLM + embedded Chroma, 200 stories)")
    print("| command | requests | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(_row("/earful stories TEXT (search after the ack)", search))
    print(_row("/earful help (no work after the ack)", help_))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.concurrency))
