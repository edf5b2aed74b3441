"""The session store alone, as a turn uses it: read the conversation's state, then commit the
next state with its answer. Prints the median, p90 and p99 of one such pair in microseconds.

    .venv/bin/python -m bench.store_turns [--turns 3000] [--interviews 200] [--url postgresql://...]

SQLite in a temporary folder by default; ``--url`` runs it on a fresh schema of a PostgreSQL
database (127.0.0.1 only). ``--interviews`` is how many conversations the store holds (a turn's
statements must not grow with it).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from adapters.sql.database import Database, PostgresDatabase, SqliteDatabase
from adapters.sql.sessions import SqlSessionStore
from bench.figures import percentile
from core.models import AnswerRecord, InterviewState


def _answer(state: InterviewState) -> AnswerRecord:
    return AnswerRecord(
        id=f"{state.interview_id}-{state.turn}",
        interview_id=state.interview_id,
        team=state.team,
        customer=state.customer,
        pseudonym="",
        channel=state.channel,
        question_id="story",
        question="When did that last happen?",
        section="story",
        text="Last Tuesday the bank export broke again and I matched 200 payments by hand.",
        turn=state.turn,
        created_at=datetime.now(UTC),
    )


async def _turns(store: SqlSessionStore, turns: int, interviews: int) -> list[float]:
    now = datetime.now(UTC)
    states = [
        InterviewState(
            interview_id=f"i{k}", team="T1", customer=f"c{k}", channel="bench", script_id="discovery.en",
            started_at=now, updated_at=now,
        )
        for k in range(interviews)
    ]  # fmt: skip
    for state in states:
        await store.commit_turn(state, None, None)
    micros: list[float] = []
    for n in range(turns):
        customer = states[n % interviews].customer
        began = time.perf_counter()
        found = await store.latest_for("bench", customer)
        assert found is not None, "a stored interview is found"
        following = found.model_copy(update={"turn": found.turn + 1, "updated_at": datetime.now(UTC)})
        await store.commit_turn(following, _answer(following), None)
        micros.append((time.perf_counter() - began) * 1e6)
    return micros


async def measure(turns: int, interviews: int, url: str | None) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="earful-bench-") as folder:
        database: Database
        if url:
            import psycopg

            if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
                raise SystemExit("the benchmark only uses a database on this machine")
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
                await admin.execute(f"CREATE SCHEMA {schema}")
            database = PostgresDatabase(f"{url}?options=-csearch_path%3D{schema}")
        else:
            database = SqliteDatabase(Path(folder) / "earful.sqlite3")
        store = await SqlSessionStore.open(database)
        try:
            return await _turns(store, turns, interviews)
        finally:
            await store.close()
            if url:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
                    await admin.execute(f"DROP SCHEMA {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--url", default=None, help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    micros = asyncio.run(measure(args.turns, args.interviews, args.url))
    print(
        f"store turn ({'PostgreSQL' if args.url else 'SQLite'}, {args.interviews} interviews):"
        f" median {percentile(micros, 0.5):.0f} us, p90 {percentile(micros, 0.9):.0f} us,"
        f" p99 {percentile(micros, 0.99):.0f} us"
    )


if __name__ == "__main__":
    main()
