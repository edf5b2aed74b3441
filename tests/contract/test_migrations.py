"""The SQL schema's migrations: a database of the release before Alembic (a SQLite data directory,
PostgreSQL with its hand-written ``schema_version``) is upgraded in place with every row kept;
workers starting together migrate once; the migrations build the schema the queries use."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fakes import pseudonym
from records import answer_in
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import Connection, text

from adapters.slack.installations import plain_json
from adapters.sql.database import Database, PostgresDatabase, SqliteDatabase
from adapters.sql.schema import metadata
from adapters.sql.sessions import SqlSessionStore
from adapters.sql.slack_installs import SqlSlackInstalls
from core.invites import Invite
from core.models import AnswerRecord, InterviewState
from core.ports import ErasedInterview

LEGACY = Path(__file__).parent / "legacy"
HEAD = "0004"
T0 = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)


def interview(customer: str, n: int, updated_at: datetime) -> InterviewState:
    return InterviewState(
        interview_id=f"T1-{customer}-{n}",
        team="T1",
        customer=customer,
        channel="telegram",
        pseudonym=pseudonym("T1", "telegram", customer),
        script_id="discovery",
        turn=1,
        updated_at=updated_at,
    )


def answer(state: InterviewState, turn: int, text: str) -> AnswerRecord:
    return answer_in(state, turn, text, T0)


# What the release before wrote: two interviews of ann saved at the same moment (the later row
# is the latest), bob's, answers (one still waiting for the index), an invite claimed by bob, a
# delivery key, a held part, an answer's linked parts and a Slack installation.
ANN_OLD, ANN_NEW, BOB = interview("ann", 0, T0), interview("ann", 1, T0), interview("bob", 0, T0)
ANSWERS = [answer(ANN_NEW, 1, "it broke"), answer(BOB, 1, "twice a week")]
INVITE = Invite(
    token="tok", team="T1", created_at=T0, expires_at=T0 + timedelta(days=1), claimed_by="telegram:bob"
)
INSTALL = Installation(app_id="A1", team_id="TABC", user_id="U1", bot_token="xoxb-abc", bot_id="B1")


def legacy_rows(moment: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows as the release before wrote them (``moment`` turns a datetime into what
    that database's columns held: text on SQLite, the datetime on PostgreSQL)."""
    states = [ANN_OLD, ANN_NEW, BOB]
    return {
        "interviews": [
            (
                *(s.interview_id, s.team, s.customer, s.pseudonym, s.channel, s.status.value),
                *(moment(s.updated_at), s.model_dump_json()),
            )
            for s in states
        ],
        "answers": [
            (
                *(a.id, a.interview_id, a.team, a.customer, a.pseudonym, a.turn),
                *(moment(a.created_at), a.model_dump_json()),
            )
            for a in ANSWERS
        ],
        "outbox": [(ANSWERS[1].id,)],
        "invites": [(INVITE.token, INVITE.team, INVITE.claimed_by, INVITE.model_dump_json())],
        "deliveries": [("telegram:100", moment(T0))],
        "held_parts": [("telegram:101", "telegram", "carl", '{"text": "half"}')],
        "answer_parts": [
            ("telegram", "7:1", "ann", ANSWERS[0].id, 0, "it"),
            ("telegram", "7:2", "ann", ANSWERS[0].id, 1, "broke"),
        ],
        "slack_installations": [
            (
                "",
                "TABC",
                user,
                INSTALL.installed_at,
                json.dumps(INSTALL.to_dict_for_copying(), default=plain_json),
            )
            for user in ("", "U1")
        ],
    }


COLUMNS = {
    "interviews": "interview_id, team, customer, pseudonym, channel, status, updated_at, state",
    "outbox": "answer_id",
    "held_parts": "key, channel, customer, payload",
}


def insert_sql(table: str, row: Sequence[Any], mark: str) -> str:
    columns = f" ({COLUMNS[table]})" if table in COLUMNS else ""
    return f"INSERT INTO {table}{columns} VALUES ({', '.join([mark] * len(row))})"


async def finds_every_row(database: Database) -> None:
    """Open the legacy database with today's code and find what the release before wrote."""
    store = await SqlSessionStore.open(database)
    try:
        assert await store.database.revision() == HEAD
        assert await store.get(ANN_OLD.interview_id) == ANN_OLD
        assert await store.latest_for("telegram", "ann") == ANN_NEW
        assert await store.answers() == ANSWERS
        assert await store.pending_index(10) == [ANSWERS[1]]
        assert await store.get_invite("tok") == INVITE
        assert await store.claim_delivery("telegram:100") is False
        assert await store.held_parts("telegram") == [("telegram:101", "carl", '{"text": "half"}')]
        assert await store.linked_parts("telegram", "7:2") == (
            ANSWERS[0].id,
            [("7:1", "it"), ("7:2", "broke")],
        )
        # Rows written now sort after the release's, and what it held is still refused twice.
        later = ANN_OLD.model_copy(update={"turn": 2})
        assert await store.commit_turn(later, None, "telegram:102")
        assert await store.latest_for("telegram", "ann") == later
        assert not await store.hold_part("telegram", "carl", "telegram:101", "again")
        assert await store.hold_part("telegram", "carl", "telegram:103", "more")
        assert [key for key, _, _ in await store.held_parts("telegram")] == ["telegram:101", "telegram:103"]
        # Each answer's channel came out of its record (migration 0003): erasure goes by it.
        assert await store.customers_known_as(BOB.pseudonym) == [("telegram", "bob")]
        assert (await store.erase_customer("bob", channel="console")).interviews == ()
        erased_bob = await store.erase_customer("bob", channel="telegram")
        assert erased_bob.interviews == (ErasedInterview("T1", BOB.interview_id, BOB.pseudonym, 1),)
        assert erased_bob.invite_notes == 0 and await store.answers() == ANSWERS[:1]
        erased = await store.get_invite("tok")
        assert erased is not None and erased.claimed_by != "telegram:bob"
    finally:
        await store.close()


async def test_a_sqlite_data_directory_of_the_release_before_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "data" / "earful.sqlite3"
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.executescript((LEGACY / "sqlite.sql").read_text())
        for table, rows in legacy_rows(lambda moment: moment.isoformat()).items():
            for seq, row in enumerate(rows, start=1):
                # held_parts' seq was computed by the release's store.
                values = (*row, seq) if table == "held_parts" else row
                db.execute(insert_sql(table, values, "?").replace("payload)", "payload, seq)"), values)
    await finds_every_row(SqliteDatabase(path))
    installs = SqlSlackInstalls(SqliteDatabase(path))
    try:
        bot = await installs.async_find_bot(enterprise_id=None, team_id="TABC")
        assert bot is not None and bot.bot_token == "xoxb-abc"
    finally:
        await installs.close()


async def test_a_postgres_database_of_the_release_before_upgrades_in_place(pg_url: str) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(pg_url, autocommit=True) as conn:
        await conn.execute((LEGACY / "postgres.sql").read_text())
        for table, rows in legacy_rows(lambda moment: moment).items():
            for row in rows:
                sql = insert_sql(table, row, "%s")
                if table == "interviews":  # the release numbered every save from a sequence
                    sql = sql.replace("state)", "state, touched)").replace(
                        "%s)", "%s, nextval('interviews_touched'))"
                    )
                await conn.execute(sql, row)
    await finds_every_row(PostgresDatabase(pg_url, max_size=2))
    installs = SqlSlackInstalls(PostgresDatabase(pg_url, max_size=2))
    try:
        bot = await installs.async_find_bot(enterprise_id=None, team_id="TABC")
        assert bot is not None and bot.bot_token == "xoxb-abc"
        assert await installs.async_consume(await installs.async_issue())
    finally:
        await installs.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """Makes a Database on one (empty) database: another worker at each call."""
    if request.param == "sqlite":
        return lambda: SqliteDatabase(tmp_path / "earful.sqlite3")
    url = request.getfixturevalue("pg_url")
    return lambda: PostgresDatabase(url, max_size=2)


async def test_workers_starting_together_migrate_once(database: Any) -> None:
    stores = await asyncio.wait_for(asyncio.gather(*(SqlSessionStore.open(database()) for _ in range(5))), 60)
    try:
        versions = await stores[0].database.run(
            lambda conn: conn.execute(text("SELECT version_num FROM alembic_version")).all()
        )
        assert [tuple(row) for row in versions] == [(HEAD,)]
        assert await stores[1].database.migrate() == HEAD  # again: nothing to do
    finally:
        for store in stores:
            await store.close()


async def test_the_migrations_build_the_schema_the_queries_use(database: Any) -> None:
    opened: Database = database()
    await opened.migrate()

    def differences(conn: Connection) -> list[Any]:
        found = compare_metadata(MigrationContext.configure(conn), metadata)
        # Column changes are SQLite's dialect, not drift: its legacy tables say REAL and INTEGER
        # where the schema says DOUBLE and BIGINT (the same storage there), and a TEXT PRIMARY KEY
        # there is nullable. Only a missing or extra table, column or index counts.
        return [diff for diff in found if not isinstance(diff, list)]

    try:
        assert await opened.run(differences, writes=False) == []
    finally:
        await opened.close()
