"""Crash: a worker is killed with SIGKILL at a random point of interviews, 30 times. After
each restart the interview continues at the right question, and no committed answer is missing
or duplicated (the same messages are redelivered, as a platform does after a failed delivery)."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fakes import TEST_PSEUDONYMS, MemorySessionStore
from harness import CHANNEL, Message, conversation

from adapters.sql.database import Database, PostgresDatabase, SqliteDatabase
from adapters.sql.sessions import SqlSessionStore
from core.models import AnswerRecord
from core.probing import RuleBasedFollowUp
from core.service import InterviewService

WORKER = Path(__file__).with_name("worker.py")
KILLS = {"postgres": 30, "sqlite": 10}  # the scale-out store gets the full 30
ANSWERS = 14  # more than the script has questions: the tail is ignored once it finishes


def read_line(lines: queue.Queue[str], timeout: float = 20) -> dict[str, Any] | None:
    """The worker's next JSON line, or None when it died (EOF); bounded by ``timeout``."""
    line = lines.get(timeout=timeout)
    return json.loads(line) if line else None


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.process.stdout is not None and self.process.stdin is not None
        self.stdin = self.process.stdin
        self.stdout: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()
        assert read_line(self.stdout) == {"ready": True}

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self.stdout.put(line)
        self.stdout.put("")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


async def reference(catalog: Any, messages: list[Message]) -> list[tuple[str, str | None, str]]:
    """What an uninterrupted worker stores for these messages: (question, probe, text) in order
    (it reads the answers with the same offline reader as the worker)."""
    from adapters.answer_reader import OfflineAnswerReader

    store = MemorySessionStore()
    service = InterviewService(
        store,
        catalog,
        RuleBasedFollowUp(catalog.messages_for),
        reader=OfflineAnswerReader(),
        pseudonyms=TEST_PSEUDONYMS,
    )
    for message in messages:
        await service.handle(message.inbound())
    return [(a.question_id, a.probe, a.text) for a in await store.answers()]


def stored(answers: list[AnswerRecord]) -> list[tuple[str, str | None, str]]:
    return [(a.question_id, a.probe, a.text) for a in sorted(answers, key=lambda a: a.turn)]


@pytest.fixture(params=["postgres", "sqlite"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], Any, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EARFUL_", "SLACK_", "TELEGRAM_"))}
    env["EARFUL_DATA_DIR"] = str(tmp_path / "data")
    if request.param == "postgres":
        env["EARFUL_DATABASE_URL"] = request.getfixturevalue("pg_url")
        database: Database = PostgresDatabase(env["EARFUL_DATABASE_URL"], max_size=2)
        return env, SqlSessionStore.open(database), KILLS["postgres"]
    database = SqliteDatabase(tmp_path / "data" / "earful.sqlite3")
    return env, SqlSessionStore.open(database), KILLS["sqlite"]


async def test_sigkill_at_random_points_loses_and_duplicates_nothing(backend: Any, catalog: Any) -> None:
    env, opening, kills = backend
    rng = random.Random(int(os.environ.get("EARFUL_CRASH_SEED", "4")))
    customers = [f"crash{n}" for n in range(4)]
    plans = {c: conversation(c, ANSWERS) for c in customers}
    expected = {c: await reference(catalog, plans[c]) for c in customers}
    acked: dict[str, int] = dict.fromkeys(customers, 0)  # messages the worker confirmed, per customer
    checks = unconfirmed = 0
    started = time.monotonic()
    for _ in range(kills):
        pending = [c for c in customers if acked[c] < len(plans[c])]
        customer = pending[0] if pending else customers[0]
        worker = Worker(env)
        # Redeliver everything not confirmed yet, then kill after a random number of replies,
        # plus a random fraction of a turn so the kill also lands in the middle of one.
        batch = plans[customer][acked[customer] :]
        worker.stdin.write("".join(m.to_json() + "\n" for m in batch))
        worker.stdin.flush()
        for _ in range(min(rng.randrange(0, 4), len(batch))):
            reply = read_line(worker.stdout)
            assert reply is not None and not reply["unavailable"]
            acked[customer] += 1
        time.sleep(rng.random() * 0.004)
        worker.kill()

        store = await opening if checks == 0 else store  # noqa: F821 - opened once, on first use
        answers = stored(await store.answers(customer=customer))
        state = await store.latest_for(CHANNEL, customer)
        # Nothing missing or duplicated: what is stored is exactly a prefix of the reference,
        # and it covers at least every answer the worker confirmed.
        assert answers == expected[customer][: len(answers)]
        confirmed = sum(1 for m in plans[customer][: acked[customer]] if m.kind == "answer")
        assert len(answers) >= min(confirmed, len(expected[customer]))
        unconfirmed += len(answers) > min(confirmed, len(expected[customer]))
        # Continues at the right question: the state is exactly as far as its answers.
        assert state is None or state.turn == len(answers)
        checks += 1
    # Finally a worker that is left alone finishes every interview.
    worker = Worker(env)
    for customer in customers:
        for message in plans[customer][acked[customer] :]:
            worker.stdin.write(message.to_json() + "\n")
            worker.stdin.flush()
            assert read_line(worker.stdout) is not None
    worker.stdin.close()
    worker.process.wait(20)
    for customer in customers:
        assert stored(await store.answers(customer=customer)) == expected[customer]
    await store.close()
    print(
        f"\ncrash: {checks} SIGKILLs ({unconfirmed} after a commit the worker had not confirmed),"
        f" 0 lost, 0 duplicated, {time.monotonic() - started:.1f} s"
    )
