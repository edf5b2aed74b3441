"""Load: simulated customers through N workers on PostgreSQL; prints reply latency p50/p99.

    .venv/bin/python bench/load.py [--customers 200] [--answers 5] [--workers 2] [--url URL]

Each worker is an InterviewService with its own connection pool on a fresh schema of the
database (default: the test database on 127.0.0.1). Messages go through the harness's
Front, so an HTTP webhook front can replace the direct calls. Not a test: nothing is asserted
about time; lost or crossed answers are counted and printed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "reliability")]

import psycopg  # noqa: E402
from harness import ServiceFront, conversation, run_load, summary  # noqa: E402

from adapters.sql.database import PostgresDatabase  # noqa: E402
from adapters.sql.sessions import SqlSessionStore  # noqa: E402
from core.probing import RuleBasedFollowUp  # noqa: E402
from core.pseudonyms import Pseudonymizer  # noqa: E402
from core.service import InterviewService  # noqa: E402
from prompts import default_catalog  # noqa: E402


async def main(url: str, customers: int, answers: int, workers: int) -> None:
    schema = f"earful_bench_{uuid.uuid4().hex[:8]}"
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    scoped = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    catalog = default_catalog()
    stores = [await SqlSessionStore.open(PostgresDatabase(scoped, max_size=8)) for _ in range(workers)]
    try:
        names = Pseudonymizer.throwaway()
        services = [
            InterviewService(s, catalog, RuleBasedFollowUp(catalog.messages_for), pseudonyms=names)
            for s in stores
        ]
        started = time.perf_counter()
        result = await run_load(ServiceFront(services), customers, answers, workers)
        elapsed = time.perf_counter() - started
        stored = await stores[0].answers()
        crossed = sum(not a.text.startswith(f"[{a.customer}#") for a in stored)
        expected = {
            (c, m.text) for i in range(customers) for c in [f"cust{i:04d}"] for m in conversation(c, answers)
        }
        lost = len({m for m in expected if m[1]} - {(a.customer, a.text) for a in stored})
        print(f"customers={customers} answers={answers} workers={workers} elapsed={elapsed:.1f}s")
        print(f"stored={len(stored)} lost={lost} crossed={crossed} {summary(result)}")
    finally:
        for store in stores:
            await store.close()
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.customers, args.answers, args.workers))
