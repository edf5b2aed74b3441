"""What themes on the App Home tab cost: the background computation, and whether Slack's
3-second acknowledgements stay fast while it runs.

Runs the real Bolt app in HTTP mode on 127.0.0.1 (Web API calls go to the local emulator)
with the packaged MiniLM model; imports N stories of banking77 dev (one customer each) into
workspace A, then opens the home tab: the tab is published at once (themes "being grouped"),
the themes are computed in the background and the tab is published again. While that runs,
rounds of 20 concurrent ``/earful help`` commands measure the acknowledgement time. A second
open with nothing new serves the cached themes.

    .venv/bin/python -m bench.slack_home [--stories 1000] [--data ../shared/data/banking77/dev.jsonl]
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "banking77" / "dev.jsonl"


def _stories(path: Path, count: int) -> list[AnswerRecord]:
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()][:count]
    return [
        AnswerRecord(
            id=f"home-{n}",
            interview_id=f"home-i{n}",
            team=TEAM_A,
            customer=f"c{n}",
            pseudonym=NAMES.name(TEAM_A, "import", f"c{n}"),
            channel="import",
            question_id="hardest",
            question="What is the hardest part?",
            section="frustration",
            text=line["text"],
            turn=1,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for n, line in enumerate(lines)
    ]


def _publishes(slack: SlackHarness) -> int:
    return len(slack.emulator.of("views.publish"))


async def _open_home(slack: SlackHarness) -> tuple[float, float]:
    """(acknowledgement, first publish) in ms for one app_home_opened event."""
    before = _publishes(slack)
    started = time.perf_counter()
    event = {"type": "app_home_opened", "user": "UFOUNDER", "channel": "DHOME", "tab": "home"}
    response = await slack.event(event)
    acked = time.perf_counter()
    if response.status_code != 200:
        raise RuntimeError(f"app_home_opened answered {response.status_code}")
    await slack.emulator.wait_for(lambda calls: _publishes(slack) > before, timeout=60)
    return (acked - started) * 1000, (time.perf_counter() - started) * 1000


async def _acks_while(slack: SlackHarness, busy: asyncio.Task[object], concurrency: int) -> list[float]:
    """Acknowledgement times (ms) of rounds of concurrent ``/earful help`` until ``busy`` is done."""
    samples: list[float] = []
    if concurrency <= 0:  # measure the computation alone
        await busy
        return [0.0]

    async def one() -> float:
        started = time.perf_counter()
        response = await slack.command("help")
        if response.status_code != 200:
            raise RuntimeError(f"slash command answered {response.status_code}")
        return (time.perf_counter() - started) * 1000

    while not busy.done() and len(samples) < 2000:  # bounded
        samples += await asyncio.gather(*(one() for _ in range(concurrency)))
    return samples


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(data: Path, count: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_slack(Path(tmp), real_embedder=True) as slack:
            await slack.app.sessions.add_answers(_stories(data, count))
            await slack.app.embedder.embed(["load the model before timing"])
            started = time.perf_counter()
            stale_ack, stale_publish = await _open_home(slack)
            ready = asyncio.create_task(
                slack.emulator.wait_for(lambda calls: _publishes(slack) >= 2, timeout=600)
            )
            acks = await _acks_while(slack, ready, concurrency)
            await ready
            computed = (time.perf_counter() - started) * 1000
            view = slack.emulator.of("views.publish")[-1].params["view"]
            themes = sum(1 for b in view["blocks"] if b["type"] == "section" and "customers:" in str(b))
            cached_ack, cached_publish = await _open_home(slack)
    print(f"App Home themes over {count} stories ({data.name}), MiniLM, 127.0.0.1")
    print("| step | ms |")
    print("|---|---|")
    print(f"| app_home_opened acknowledged (stale themes) | {stale_ack:.0f} |")
    print(f"| home tab published, themes being grouped | {stale_publish:.0f} |")
    print(f"| themes computed and tab published again | {computed:.0f} |")
    print(f"| app_home_opened acknowledged (cached themes) | {cached_ack:.0f} |")
    print(f"| home tab published with cached themes | {cached_publish:.0f} |")
    print(f"\nthemes shown: {themes}")
    if concurrency > 0:
        print(
            f"/earful help acknowledgements while themes were computed: {len(acks)} requests"
            f" ({concurrency} concurrent), p50 {_percentile(acks, 0.5):.0f} ms,"
            f" p99 {_percentile(acks, 0.99):.0f} ms, max {max(acks):.0f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.data, options.stories, options.concurrency))
