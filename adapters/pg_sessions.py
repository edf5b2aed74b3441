"""The PostgreSQL system of record, for several workers sharing one database.

Same semantics as the SQLite store (:mod:`adapters.sql_sessions`): a turn, its answer, its
outbox entry and its delivery key commit in one transaction, a delivery key commits once
however many workers race on it, erasure removes every row of the customer, and claiming an
invite is atomic. On top of that, :meth:`PgSessionStore.conversation_lock` takes a
PostgreSQL advisory lock per (channel, customer), so one conversation is processed one
message at a time across every worker.

The schema is migrated on open under an advisory lock, so any number of workers can start
at once; ``schema_version`` records what is applied. A database that cannot be reached
raises :class:`core.errors.StoreUnavailable`, which the service turns into "try again".
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from core.errors import StoreUnavailable
from core.invites import ERASED_CLAIMANT, Invite
from core.models import AnswerRecord, InterviewState, MessagePart, Status
from core.ports import ErasedInterview, ErasedRecord, PostedMessage
from core.pseudonyms import Pseudonymizer

# Every version is applied once, in order, in one transaction with its schema_version row.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE SEQUENCE interviews_touched;
    CREATE TABLE interviews (
        interview_id TEXT PRIMARY KEY, team TEXT NOT NULL, customer TEXT NOT NULL,
        pseudonym TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL, touched BIGINT NOT NULL, state TEXT NOT NULL
    );
    CREATE INDEX interviews_by_customer ON interviews (channel, customer, updated_at);
    CREATE INDEX interviews_by_team ON interviews (team, updated_at);
    CREATE TABLE answers (
        id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, team TEXT NOT NULL, customer TEXT NOT NULL,
        pseudonym TEXT NOT NULL, turn INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX answers_by_interview ON answers (interview_id, turn);
    CREATE INDEX answers_by_team ON answers (team, created_at);
    CREATE INDEX answers_by_customer ON answers (customer);
    CREATE INDEX answers_by_pseudonym ON answers (pseudonym);
    CREATE TABLE outbox (seq BIGSERIAL PRIMARY KEY, answer_id TEXT NOT NULL UNIQUE);
    CREATE TABLE invites (token TEXT PRIMARY KEY, team TEXT NOT NULL, claimed_by TEXT, invite TEXT NOT NULL);
    CREATE TABLE deliveries (key TEXT PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL);
    """,
    """
    CREATE TABLE held_parts (
        key TEXT PRIMARY KEY, channel TEXT NOT NULL, customer TEXT NOT NULL, payload TEXT NOT NULL,
        seq BIGSERIAL NOT NULL
    );
    CREATE INDEX held_parts_by_channel ON held_parts (channel, seq);
    """,
    """
    CREATE TABLE answer_parts (
        channel TEXT NOT NULL, key TEXT NOT NULL, customer TEXT NOT NULL, answer_id TEXT NOT NULL,
        position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (channel, key)
    );
    CREATE INDEX answer_parts_by_answer ON answer_parts (answer_id, position);
    """,
    # Slack's multi-workspace mode (adapters/slack/pg_installations.py).
    """
    CREATE TABLE slack_installations (
        enterprise_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
        installed_at DOUBLE PRECISION NOT NULL, installation TEXT NOT NULL,
        PRIMARY KEY (enterprise_id, team_id, user_id)
    );
    CREATE TABLE slack_oauth_states (state TEXT PRIMARY KEY, expire_at TIMESTAMPTZ NOT NULL);
    """,
    # Messages posted with a customer's words, taken back when the interview is erased.
    """
    CREATE TABLE posts (
        interview_id TEXT NOT NULL, platform TEXT NOT NULL, team TEXT NOT NULL,
        conversation TEXT NOT NULL, message_id TEXT NOT NULL,
        PRIMARY KEY (platform, conversation, message_id)
    );
    CREATE INDEX posts_by_interview ON posts (interview_id);
    """,
)
_LINK_PART = (
    "INSERT INTO answer_parts (channel, key, customer, answer_id, position, text)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (channel, key) DO UPDATE SET"
    " customer = EXCLUDED.customer, answer_id = EXCLUDED.answer_id,"
    " position = EXCLUDED.position, text = EXCLUDED.text"
)
# Any fixed number works; it only has to differ from other advisory locks on the database.
MIGRATION_LOCK = 0x6561726675_6C  # "earful"


def lock_key(channel: str, customer: str) -> int:
    """The advisory lock key of one conversation: 64 bits of a hash, as a signed bigint."""
    digest = hashlib.sha256(f"{channel}\x00{customer}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass
class _Held:
    """The connection holding a conversation lock; store calls made under it reuse it."""

    store: PgSessionStore
    conn: AsyncConnection[Any]
    active: bool = True


_HELD: contextvars.ContextVar[_Held | None] = contextvars.ContextVar("earful_pg_held", default=None)


class PgSessionStore:
    """:class:`core.ports.SessionStore` and :class:`core.invites.InviteStore` on PostgreSQL."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self._pool = pool

    @classmethod
    async def open(
        cls, url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 10.0
    ) -> PgSessionStore:
        """Connect to ``url`` (a libpq URL; ``?options=-csearch_path%3Dname`` picks a schema)
        and migrate the schema. ``timeout`` bounds the wait for a connection."""
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            open=False,
            kwargs={"autocommit": True},
            check=AsyncConnectionPool.check_connection,
        )
        try:
            await pool.open(wait=True, timeout=timeout)
        except psycopg.OperationalError as error:
            await pool.close()
            raise StoreUnavailable(f"the session database is unavailable: {error}") from error
        store = cls(pool)
        try:
            await store.migrate()
        except BaseException:
            await pool.close()
            raise
        return store

    async def migrate(self) -> int:
        """Apply the migrations not applied yet; returns the schema version now in force."""
        async with self._connection() as conn:
            await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version"
                    " (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                row = await (await conn.execute("SELECT max(version) FROM schema_version")).fetchone()
                current = int(row[0]) if row and row[0] is not None else 0
                for version, sql in enumerate(MIGRATIONS[current:], start=current + 1):
                    async with conn.transaction():
                        await conn.execute(sql)
                        await conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
                return len(MIGRATIONS)
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection[Any]]:
        held = _HELD.get()
        try:
            if held is not None and held.store is self and held.active:
                yield held.conn
            else:
                async with self._pool.connection() as conn:
                    yield conn
        except psycopg.OperationalError as error:
            raise StoreUnavailable(f"the session database is unavailable: {error}") from error

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._connection() as conn:
            return await (await conn.execute(sql, params)).fetchall()

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Hold the conversation's advisory lock: other workers wait at this point. The lock
        dies with the connection, so a killed worker never leaves a conversation stuck."""
        held = _HELD.get()
        if held is not None and held.store is self and held.active:
            yield  # already ours (re-entered in the same task)
            return
        key = lock_key(channel, customer)
        try:
            async with self._pool.connection() as conn:
                await conn.execute("SELECT pg_advisory_lock(%s)", (key,))
                holder = _Held(self, conn)
                token = _HELD.set(holder)
                try:
                    yield
                finally:
                    holder.active = False  # tasks spawned inside must not reuse the connection
                    _HELD.reset(token)
                    try:
                        await conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
                    except psycopg.Error:
                        await conn.close()  # the pool drops it, and the lock goes with the session
        except psycopg.OperationalError as error:
            raise StoreUnavailable(f"the session database is unavailable: {error}") from error

    async def close(self) -> None:
        await self._pool.close()

    # --- interviews ----------------------------------------------------------------------

    async def get(self, interview_id: str) -> InterviewState | None:
        rows = await self._rows("SELECT state FROM interviews WHERE interview_id = %s", (interview_id,))
        return InterviewState.model_validate_json(rows[0][0]) if rows else None

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        rows = await self._rows(
            "SELECT state FROM interviews WHERE channel = %s AND customer = %s"
            " ORDER BY updated_at DESC, touched DESC LIMIT 1",
            (channel, customer),
        )
        return InterviewState.model_validate_json(rows[0][0]) if rows else None

    async def create(self, state: InterviewState) -> None:
        async with self._connection() as conn:
            await self._save_state(conn, state, insert=True)

    @staticmethod
    async def _save_state(conn: AsyncConnection[Any], state: InterviewState, insert: bool = False) -> None:
        values = (
            state.team,
            state.customer,
            state.pseudonym,
            state.channel,
            state.status.value,
            state.updated_at or datetime.now(UTC),
            state.model_dump_json(),
            state.interview_id,
        )
        if insert:
            await conn.execute(
                "INSERT INTO interviews (team, customer, pseudonym, channel, status, updated_at, state,"
                " interview_id, touched)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, nextval('interviews_touched'))",
                values,
            )
        else:
            # The first turn of an interview creates it (the service no longer stores it earlier).
            await conn.execute(
                "INSERT INTO interviews (team, customer, pseudonym, channel, status, updated_at, state,"
                " interview_id, touched)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, nextval('interviews_touched'))"
                " ON CONFLICT (interview_id) DO UPDATE SET team = excluded.team,"
                " customer = excluded.customer, pseudonym = excluded.pseudonym, channel = excluded.channel,"
                " status = excluded.status,"
                " updated_at = excluded.updated_at, state = excluded.state, touched = excluded.touched",
                values,
            )

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        async with self._connection() as conn, conn.transaction():
            if delivery_key is not None:
                # A racing worker with the same key waits on the unique index until this
                # transaction ends, then inserts nothing: the key is committed exactly once.
                cursor = await conn.execute(
                    "INSERT INTO deliveries (key, seen_at) VALUES (%s, now()) ON CONFLICT DO NOTHING",
                    (delivery_key,),
                )
                if cursor.rowcount == 0:
                    raise psycopg.Rollback()
            await self._save_state(conn, state)
            if answer is not None:
                await self._insert_answer(conn, answer)
            if parts:
                await self._settle_parts(conn, state, answer, parts)
            return True
        return False  # rolled back: the delivery was already handled

    @staticmethod
    async def _settle_parts(
        conn: AsyncConnection[Any],
        state: InterviewState,
        answer: AnswerRecord | None,
        parts: Sequence[MessagePart],
    ) -> None:
        """The parts' deliveries are handled and no longer held; the answer remembers them."""
        keys = [part.delivery_key for part in parts]
        await conn.execute(
            "INSERT INTO deliveries (key, seen_at) SELECT unnest(%s::text[]), now() ON CONFLICT DO NOTHING",
            (keys,),
        )
        await conn.execute("DELETE FROM held_parts WHERE key = ANY(%s)", (keys,))
        if answer is not None:
            rows = [
                (state.channel, part.key, state.customer, answer.id, position, part.text)
                for position, part in enumerate(parts)
            ]
            async with conn.cursor() as cursor:
                await cursor.executemany(_LINK_PART, rows)

    @staticmethod
    async def _insert_answer(conn: AsyncConnection[Any], answer: AnswerRecord) -> bool:
        cursor = await conn.execute(
            "INSERT INTO answers (id, interview_id, team, customer, pseudonym, turn, created_at, record)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                answer.id,
                answer.interview_id,
                answer.team,
                answer.customer,
                answer.pseudonym,
                answer.turn,
                answer.created_at,
                answer.model_dump_json(),
            ),
        )
        if cursor.rowcount:
            await conn.execute(
                "INSERT INTO outbox (answer_id) VALUES (%s) ON CONFLICT DO NOTHING", (answer.id,)
            )
        return bool(cursor.rowcount)

    async def add_answers(self, answers: Sequence[AnswerRecord]) -> int:
        async with self._connection() as conn, conn.transaction():
            return sum([await self._insert_answer(conn, answer) for answer in answers])

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]:
        clauses, params = self._filters(team=team, interview_id=interview_id)
        if customer is not None:
            clauses.append("(customer = %s OR pseudonym = %s)")
            params.extend([customer, customer])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._rows(
            f"SELECT record FROM answers {where} ORDER BY created_at, interview_id, turn", params
        )
        return [AnswerRecord.model_validate_json(row[0]) for row in rows]

    @staticmethod
    def _filters(**values: str | None) -> tuple[list[str], list[Any]]:
        pairs = [(column, value) for column, value in values.items() if value is not None]
        return [f"{column} = %s" for column, _ in pairs], [value for _, value in pairs]

    async def interviews(
        self, *, team: str | None = None, status: Status | None = None, limit: int = 100
    ) -> list[InterviewState]:
        clauses, params = self._filters(team=team, status=status.value if status else None)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._rows(
            f"SELECT state FROM interviews {where} ORDER BY updated_at DESC, touched DESC LIMIT %s",
            [*params, limit],
        )
        return [InterviewState.model_validate_json(row[0]) for row in rows]

    # --- the outbox ----------------------------------------------------------------------

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        rows = await self._rows(
            "SELECT a.record FROM outbox o JOIN answers a ON a.id = o.answer_id ORDER BY o.seq LIMIT %s",
            (limit,),
        )
        return [AnswerRecord.model_validate_json(row[0]) for row in rows]

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        async with self._connection() as conn:
            await conn.execute("DELETE FROM outbox WHERE answer_id = ANY(%s)", (list(answer_ids),))

    async def requeue_all(self, team: str | None = None) -> int:
        where, params = ("WHERE team = %s", (team,)) if team is not None else ("", ())
        async with self._connection() as conn:
            cursor = await conn.execute(
                f"INSERT INTO outbox (answer_id) SELECT id FROM answers {where} ORDER BY created_at"
                " ON CONFLICT DO NOTHING",
                params,
            )
            return cursor.rowcount

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        async with self._connection() as conn, conn.transaction():
            cursor = await conn.execute(
                "SELECT record FROM answers WHERE id = %s AND customer = %s FOR UPDATE", (answer_id, customer)
            )
            row = await cursor.fetchone()
            record = AnswerRecord.model_validate_json(row[0]) if row else None
            if record is None or record.channel != channel:
                return None
            amended = record.model_copy(update={"text": text})
            await conn.execute(
                "UPDATE answers SET record = %s WHERE id = %s", (amended.model_dump_json(), answer_id)
            )
            await conn.execute(
                "INSERT INTO outbox (answer_id) VALUES (%s) ON CONFLICT DO NOTHING", (answer_id,)
            )
            return amended

    # --- held message parts and delivery keys outside turns ---------------------------------

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        async with self._connection() as conn:
            # Not a part whose delivery was handled already (Telegram redelivers updates).
            cursor = await conn.execute(
                "INSERT INTO held_parts (key, channel, customer, payload) SELECT %s, %s, %s, %s"
                " WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE key = %s) ON CONFLICT DO NOTHING",
                (key, channel, customer, payload, key),
            )
            return bool(cursor.rowcount)

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            "SELECT key, customer, payload FROM held_parts WHERE channel = %s ORDER BY seq", (channel,)
        )
        return [(str(k), str(c), str(p)) for k, c, p in rows]

    async def release_parts(self, keys: Sequence[str]) -> None:
        async with self._connection() as conn:
            await conn.execute("DELETE FROM held_parts WHERE key = ANY(%s)", (list(keys),))

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        rows = [(channel, key, customer, answer_id, i, text) for i, (key, text) in enumerate(parts)]
        async with self._connection() as conn, conn.transaction(), conn.cursor() as cursor:
            await cursor.executemany(_LINK_PART, rows)

    async def linked_parts(self, channel: str, key: str) -> tuple[str, list[tuple[str, str]]] | None:
        rows = await self._rows(
            "SELECT p.answer_id, p.key, p.text FROM answer_parts p JOIN answer_parts mine"
            " ON mine.channel = p.channel AND mine.answer_id = p.answer_id"
            " WHERE mine.channel = %s AND mine.key = %s ORDER BY p.position",
            (channel, key),
        )
        if not rows:
            return None
        return str(rows[0][0]), [(str(k), str(t)) for _, k, t in rows]

    async def claim_delivery(self, key: str) -> bool:
        """:class:`core.ports.DeliveryLog`: record ``key``; ``False`` if it was already there."""
        async with self._connection() as conn:
            cursor = await conn.execute(
                "INSERT INTO deliveries (key, seen_at) VALUES (%s, now()) ON CONFLICT DO NOTHING", (key,)
            )
            return bool(cursor.rowcount)

    # --- erasure -------------------------------------------------------------------------

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord:
        team_clause, team_params = ("AND team = %s", [team]) if team is not None else ("", [])
        # Answers keep their channel in the record only.
        on, on_params = ("AND channel = %s", [channel]) if channel is not None else ("", [])
        on_record = "AND (record::jsonb ->> 'channel') = %s" if channel is not None else ""
        chosen = [customer, *team_params]
        interviews_where = f"customer = %s {team_clause} {on}"
        answers_where = f"customer = %s {team_clause} {on_record}"
        of_interviews, of_answers = [*chosen, *on_params], [*chosen, *on_params]
        async with self._connection() as conn, conn.transaction():
            found: dict[tuple[str, str], tuple[str, int]] = {}
            cursor = await conn.execute(
                f"SELECT interview_id, team, pseudonym FROM interviews WHERE {interviews_where}",
                of_interviews,
            )
            for interview_id, pair_team, name in await cursor.fetchall():
                found[(str(pair_team), str(interview_id))] = (str(name), 0)
            cursor = await conn.execute(
                "SELECT interview_id, team, max(pseudonym), count(*) FROM answers"
                f" WHERE {answers_where} GROUP BY interview_id, team",
                of_answers,
            )
            for interview_id, pair_team, name, count in await cursor.fetchall():
                key = (str(pair_team), str(interview_id))
                found[key] = (found.get(key, (str(name), 0))[0], int(count))
            interviews = []
            for (pair_team, interview_id), (name, count) in sorted(found.items()):
                cursor = await conn.execute(
                    "DELETE FROM posts WHERE interview_id = %s"
                    " RETURNING platform, team, conversation, message_id",
                    (interview_id,),
                )
                posts = tuple(
                    sorted(
                        (
                            PostedMessage(str(p), str(t), str(c), str(m))
                            for p, t, c, m in await cursor.fetchall()
                        ),
                        key=lambda post: post.message_id,
                    )
                )
                interviews.append(ErasedInterview(pair_team, interview_id, name, count, posts))
            for table in ("held_parts", "answer_parts"):
                await conn.execute(f"DELETE FROM {table} WHERE customer = %s {on}", [customer, *on_params])
            for table in ("answer_parts", "outbox"):
                await conn.execute(
                    f"DELETE FROM {table} WHERE answer_id IN (SELECT id FROM answers WHERE {answers_where})",
                    of_answers,
                )
            await conn.execute(f"DELETE FROM answers WHERE {answers_where}", of_answers)
            await conn.execute(f"DELETE FROM interviews WHERE {interviews_where}", of_interviews)
            notes = 0
            # claimed_by is "<channel>:<customer id>".
            claimant, claimant_params = (
                ("claimed_by = %s", [f"{channel}:{customer}"])
                if channel is not None
                else ("substring(claimed_by from position(':' in claimed_by) + 1) = %s", [customer])
            )
            cursor = await conn.execute(
                "SELECT token, invite FROM invites WHERE claimed_by IS NOT NULL"
                f" AND {claimant} {team_clause}",
                [*claimant_params, *team_params],
            )
            for token, invite_json in await cursor.fetchall():
                invite = Invite.model_validate_json(invite_json)
                notes += bool(invite.note)
                # The invite stays used, but keeps nothing that points at the person.
                erased = invite.model_copy(update={"claimed_by": ERASED_CLAIMANT, "note": ""})
                await conn.execute(
                    "UPDATE invites SET claimed_by = %s, invite = %s WHERE token = %s",
                    (ERASED_CLAIMANT, erased.model_dump_json(), token),
                )
        return ErasedRecord(tuple(interviews), notes)

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        team_clause, team_params = ("AND team = %s", [team]) if team is not None else ("", [])
        rows = await self._rows(
            f"SELECT channel, customer FROM interviews WHERE pseudonym = %s {team_clause}"
            " UNION SELECT record::jsonb ->> 'channel', customer FROM answers"
            f" WHERE pseudonym = %s {team_clause}",
            (pseudonym, *team_params, pseudonym, *team_params),
        )
        return sorted((str(channel), str(customer)) for channel, customer in rows)

    async def record_post(self, interview_id: str, post: PostedMessage) -> None:
        async with self._connection() as conn:
            await conn.execute(
                "INSERT INTO posts (interview_id, platform, team, conversation, message_id)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (interview_id, post.platform, post.team, post.conversation, post.message_id),
            )

    async def rekey(self, pseudonyms: Pseudonymizer, *, dry_run: bool = False) -> list[str]:
        teams: set[str] = set()
        async with self._connection() as conn, conn.transaction():
            cursor = await conn.execute(
                "SELECT interview_id, team, pseudonym, state FROM interviews FOR UPDATE"
            )
            for interview_id, team, pseudonym, state_json in await cursor.fetchall():
                state = InterviewState.model_validate_json(state_json)
                name = pseudonyms.name(state.team, state.channel, state.customer)
                if name == pseudonym == state.pseudonym:
                    continue
                teams.add(str(team))
                if not dry_run:
                    await conn.execute(
                        "UPDATE interviews SET pseudonym = %s, state = %s WHERE interview_id = %s",
                        (name, state.model_copy(update={"pseudonym": name}).model_dump_json(), interview_id),
                    )
            cursor = await conn.execute("SELECT id, team, pseudonym, record FROM answers FOR UPDATE")
            for answer_id, team, pseudonym, record_json in await cursor.fetchall():
                record = AnswerRecord.model_validate_json(record_json)
                name = pseudonyms.name(record.team, record.channel, record.customer)
                if name == pseudonym == record.pseudonym:
                    continue
                teams.add(str(team))
                if not dry_run:
                    await conn.execute(
                        "UPDATE answers SET pseudonym = %s, record = %s WHERE id = %s",
                        (name, record.model_copy(update={"pseudonym": name}).model_dump_json(), answer_id),
                    )
        return sorted(teams)

    # --- invites -------------------------------------------------------------------------

    async def add_invite(self, invite: Invite) -> None:
        async with self._connection() as conn:
            await conn.execute(
                "INSERT INTO invites (token, team, claimed_by, invite) VALUES (%s, %s, %s, %s)",
                (invite.token, invite.team, invite.claimed_by, invite.model_dump_json()),
            )

    async def get_invite(self, token: str) -> Invite | None:
        rows = await self._rows("SELECT invite FROM invites WHERE token = %s", (token,))
        return Invite.model_validate_json(rows[0][0]) if rows else None

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        async with self._connection() as conn, conn.transaction():
            # FOR UPDATE: two workers claiming at once are ordered; the second sees the first's claim.
            cursor = await conn.execute("SELECT invite FROM invites WHERE token = %s FOR UPDATE", (token,))
            row = await cursor.fetchone()
            if row is None:
                return None
            invite = Invite.model_validate_json(row[0])
            if invite.claimed_by not in (None, claimant):
                return None
            if invite.claimed_by is None:
                invite = invite.model_copy(update={"claimed_by": claimant, "claimed_at": now})
                await conn.execute(
                    "UPDATE invites SET claimed_by = %s, invite = %s WHERE token = %s",
                    (claimant, invite.model_dump_json(), token),
                )
            return invite
