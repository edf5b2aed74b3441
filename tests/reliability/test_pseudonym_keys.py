"""Erasing one customer never erases another (issue 18, finding 2): pseudonyms are a keyed HMAC
under the installation's own secret, erasure goes by raw customer id, and data written under the
first (unkeyed, 24-bit) scheme is re-keyed by ``earful rekey``, which ``earful doctor`` asks for.

``cust5776`` and ``cust7387`` of team T1 shared the first scheme's pseudonym; erasing one of
them erased both."""

from __future__ import annotations

import asyncio
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.sql.database import SqliteDatabase
from adapters.sql.sessions import SqlSessionStore
from bot.checks import check_pseudonyms
from bot.cli import app
from bot.secrets import pseudonymizer
from bot.settings import Settings
from bot.wiring import open_stories
from core.errors import InputError
from core.models import AnswerRecord
from core.pseudonyms import legacy_pseudonym

pytestmark = pytest.mark.usefixtures("isolated_env")

TEAM, CHANNEL = "T1", "import"
FIRST, SECOND = "cust5776", "cust7387"


def old_answer(customer: str, text: str) -> AnswerRecord:
    return AnswerRecord(
        id=f"a-{customer}", interview_id=f"import-{customer}", team=TEAM, customer=customer,
        pseudonym=legacy_pseudonym(TEAM, CHANNEL, customer), channel=CHANNEL, question_id="q1",
        question="What was hard?", section="frustration", text=text, turn=1,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )  # fmt: skip


async def write_old_data(settings: Settings) -> None:
    store = await SqlSessionStore.open(SqliteDatabase(settings.sqlite_path))
    try:
        await store.add_answers(
            [
                old_answer(FIRST, "Invoices from suppliers arrive as photos."),
                old_answer(SECOND, "Payroll takes two days."),
            ]
        )
    finally:
        await store.close()


async def indexed_customers(settings: Settings) -> dict[str, str]:
    """Pseudonym by interview, as the story index has them."""
    index = open_stories(settings)
    stories = await index.get(TEAM, ["a-" + FIRST, "a-" + SECOND])
    return {story.interview_id: story.customer for story in stories}


def test_old_pseudonyms_are_rekeyed_and_erasing_one_of_two_that_collided_erases_one(tmp_path: Path) -> None:
    settings = Settings()
    assert legacy_pseudonym(TEAM, CHANNEL, FIRST) == legacy_pseudonym(TEAM, CHANNEL, SECOND)
    asyncio.run(write_old_data(settings))
    runner = CliRunner()
    assert runner.invoke(app, ["reindex", "--team", TEAM]).exit_code == 0  # indexed under the old names

    doctor = asyncio.run(check_pseudonyms(settings))
    assert doctor.state == "problem" and doctor.fix == "earful rekey"
    secret = settings.pseudonym_secret_path
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_bytes()) == 32

    rekeyed = runner.invoke(app, ["rekey"])
    assert rekeyed.exit_code == 0, rekeyed.output
    assert f"re-keyed 1 teams: {TEAM}" in rekeyed.output
    assert asyncio.run(check_pseudonyms(settings)).state == "ok"
    names = pseudonymizer(settings)
    new = {c: names.name(TEAM, CHANNEL, c) for c in (FIRST, SECOND)}
    assert new[FIRST] != new[SECOND] and len(new[FIRST]) == len("Customer-") + 16
    assert asyncio.run(indexed_customers(settings)) == {f"import-{c}": new[c] for c in (FIRST, SECOND)}

    erased = runner.invoke(app, ["erase", "--customer", FIRST, "--team", TEAM])
    assert erased.exit_code == 0, erased.output
    assert f"erased {new[FIRST]} from team {TEAM}" in erased.output
    assert "1 interviews, 1 answers, 1 stories" in erased.output
    assert asyncio.run(indexed_customers(settings)) == {f"import-{SECOND}": new[SECOND]}

    async def answers_left() -> list[str]:
        store = await SqlSessionStore.open(SqliteDatabase(settings.sqlite_path))
        try:
            return [a.customer for a in await store.answers(team=TEAM)]
        finally:
            await store.close()

    assert asyncio.run(answers_left()) == [SECOND]
    # The other customer, known by pseudonym only: the raw id behind it is what is erased.
    by_name = runner.invoke(app, ["erase", "--customer", new[SECOND], "--all-teams"])
    assert by_name.exit_code == 0 and f"erased {new[SECOND]} from team {TEAM}" in by_name.output
    assert asyncio.run(answers_left()) == []


def test_a_shared_secret_names_customers_alike_on_every_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARFUL_PSEUDONYM_SECRET", "one secret for every replica")
    here, there = pseudonymizer(Settings(data_dir=Path("a"))), pseudonymizer(Settings(data_dir=Path("b")))
    assert here.name(TEAM, CHANNEL, FIRST) == there.name(TEAM, CHANNEL, FIRST)
    assert not Path("a").exists()  # nothing is kept on disk when the secret is given
    monkeypatch.setenv("EARFUL_PSEUDONYM_SECRET", "short")
    with pytest.raises(InputError, match="at least 16"):
        pseudonymizer(Settings())
