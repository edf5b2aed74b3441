"""The system of record on SQL: interviews, answers, the indexing outbox, delivery keys,
invites and Telegram's held message parts, on SQLite or PostgreSQL (:mod:`adapters.sql.database`).

Each call is one unit of work on a connection, run by the database in one transaction: a turn,
its answer, its outbox entry and its delivery key commit together; a delivery key commits once
however many workers race on it; erasure removes every row of the customer; claiming an invite
is atomic.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    or_,
    select,
    true,
)

from adapters.sql.database import Database, Upsert
from adapters.sql.erasure import customers_known_as, erase_customer, rekey
from adapters.sql.schema import (
    answer_parts,
    answers,
    interviews,
    invites,
    outbox,
)
from adapters.sql.statements import (
    CREATE_INTERVIEW,
    HELD,
    INDEXED,
    PENDING,
    RELEASED,
    STATE_BY_ID,
    turn_statements,
    upserts_for,
)
from core.invites import Invite
from core.models import AnswerRecord, InterviewState, MessagePart, Status
from core.ports import ErasedRecord, PostedMessage
from core.pseudonyms import Pseudonymizer


class SqlSessionStore:
    """:class:`core.ports.SessionStore`, :class:`core.invites.InviteStore` and the Telegram
    channel's :class:`adapters.telegram.held.HeldParts` on one SQL database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._upserts = upserts_for(database)
        self._turn = turn_statements(database, self._upserts)

    @classmethod
    async def open(cls, database: Database) -> SqlSessionStore:
        """The store on ``database``, its schema migrated to the newest revision."""
        try:
            await database.migrate()
        except BaseException:
            await database.close()
            raise
        return cls(database)

    async def close(self) -> None:
        await self.database.close()

    def conversation_lock(self, channel: str, customer: str) -> AbstractAsyncContextManager[None]:
        """The database's lock of one conversation (PostgreSQL's is across workers)."""
        return self.database.conversation_lock(channel, customer)

    async def _texts(self, query: Select[str], parameters: dict[str, object] | None = None) -> list[str]:
        """The one text column ``query`` selects, row by row (a read: no write lock)."""
        return await self.database.run(
            lambda conn: [str(row[0]) for row in conn.execute(query, parameters).all()], writes=False
        )

    # --- interviews ----------------------------------------------------------------------

    async def get(self, interview_id: str) -> InterviewState | None:
        found = await self._texts(STATE_BY_ID, {"interview_id": interview_id})
        return InterviewState.model_validate_json(found[0]) if found else None

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        latest, parameters = self._turn.latest_state, {"channel": channel, "customer": customer}
        found = await self.database.run(lambda conn: latest.rows(conn, parameters), writes=False)
        return InterviewState.model_validate_json(found[0][0]) if found else None

    async def create(self, state: InterviewState) -> None:
        await self.database.run(lambda conn: conn.execute(CREATE_INTERVIEW, _interview_row(state)))

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        def commit(conn: Connection) -> bool:
            # A racing worker with the same key waits on the unique index until this
            # transaction ends, then inserts nothing: the key is committed exactly once.
            if delivery_key is not None and not self._deliver(conn, delivery_key):
                return False  # seen before: nothing was written
            self._save_state(conn, state)
            if answer is not None:
                self._insert_answer(conn, answer)
            if parts:
                self._settle_parts(conn, state, answer, parts)
            return True

        return await self.database.run(commit)

    def _save_state(self, conn: Connection, state: InterviewState) -> None:
        """Insert or update: the first turn of an interview creates it."""
        self._turn.save_state.rows(conn, _interview_row(state))

    def _deliver(self, conn: Connection, key: str) -> bool:
        """Record a delivery key; whether it was new."""
        return bool(self._turn.deliver.rows(conn, {"key": key, "seen_at": datetime.now(UTC)}))

    def _settle_parts(
        self,
        conn: Connection,
        state: InterviewState,
        answer: AnswerRecord | None,
        parts: Sequence[MessagePart],
    ) -> None:
        """The parts' deliveries are handled and no longer held; the answer remembers them."""
        keys = [part.delivery_key for part in parts]
        now = datetime.now(UTC)
        conn.execute(self._upserts.delivered, [{"key": key, "seen_at": now} for key in keys])
        conn.execute(RELEASED, {"keys": keys})
        if answer is not None:
            linked = [(part.key, part.text) for part in parts]
            self._link(conn, state.channel, state.customer, answer.id, linked)

    def _link(
        self, conn: Connection, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        rows = [
            {"channel": channel, "key": key, "customer": customer, "answer_id": answer_id}
            | {"position": position, "text": text}
            for position, (key, text) in enumerate(parts)
        ]
        if rows:
            conn.execute(self._upserts.link, rows)

    def _insert_answer(self, conn: Connection, answer: AnswerRecord) -> bool:
        row = {
            "id": answer.id,
            "interview_id": answer.interview_id,
            "team": answer.team,
            "customer": answer.customer,
            "pseudonym": answer.pseudonym,
            "channel": answer.channel,
            "turn": answer.turn,
            "created_at": answer.created_at,
            "record": answer.model_dump_json(),
        }
        new = bool(self._turn.add_answer.rows(conn, row))
        if new:
            self._enqueue(conn, answer.id)
        return new

    def _enqueue(self, conn: Connection, answer_id: str) -> None:
        self._turn.enqueue.rows(conn, {"answer_id": answer_id})

    async def add_answers(self, records: Sequence[AnswerRecord]) -> int:
        return await self.database.run(
            lambda conn: sum(self._insert_answer(conn, record) for record in records)
        )

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]:
        where: list[ColumnElement[bool]] = []
        if team is not None:
            where.append(answers.c.team == team)
        if interview_id is not None:
            where.append(answers.c.interview_id == interview_id)
        if customer is not None:
            where.append(or_(answers.c.customer == customer, answers.c.pseudonym == customer))
        query = (
            select(answers.c.record)
            .where(*where)
            .order_by(answers.c.created_at, answers.c.interview_id, answers.c.turn)
        )
        return [AnswerRecord.model_validate_json(record) for record in await self._texts(query)]

    async def interviews(
        self, *, team: str | None = None, status: Status | None = None, limit: int = 100
    ) -> list[InterviewState]:
        where: list[ColumnElement[bool]] = []
        if team is not None:
            where.append(interviews.c.team == team)
        if status is not None:
            where.append(interviews.c.status == status.value)
        query = (
            select(interviews.c.state)
            .where(*where)
            .order_by(interviews.c.updated_at.desc(), interviews.c.touched.desc())
            .limit(limit)
        )
        return [InterviewState.model_validate_json(state) for state in await self._texts(query)]

    # --- the outbox ----------------------------------------------------------------------

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        pending = await self._texts(PENDING, {"limit": limit})
        return [AnswerRecord.model_validate_json(record) for record in pending]

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        # One transaction for the batch: on SQLite each commit is an fsync (synchronous=FULL).
        await self.database.run(lambda conn: conn.execute(INDEXED, {"ids": list(answer_ids)}))

    async def requeue_all(self, team: str | None = None) -> int:
        # A WHERE even without a team: SQLite cannot otherwise tell ON CONFLICT from a join's ON.
        stored = (
            select(answers.c.id)
            .where(answers.c.team == team if team is not None else true())
            .order_by(answers.c.created_at)
        )
        insert = self.database.insert(outbox).from_select(["answer_id"], stored).on_conflict_do_nothing()
        return await self.database.run(lambda conn: _added(conn, insert))

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        query = (
            select(answers.c.record)
            .where(answers.c.id == answer_id, answers.c.customer == customer)
            .with_for_update()
        )

        def amend(conn: Connection) -> AnswerRecord | None:
            stored = conn.scalar(query)
            record = AnswerRecord.model_validate_json(stored) if stored is not None else None
            if record is None or record.channel != channel:
                return None
            amended = record.model_copy(update={"text": text})
            conn.execute(
                answers.update().where(answers.c.id == answer_id).values(record=amended.model_dump_json())
            )
            self._enqueue(conn, answer_id)
            return amended

        return await self.database.run(amend)

    # --- held message parts and delivery keys outside turns ---------------------------------

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        # Not a part whose delivery was handled already (Telegram redelivers updates).
        part = {"key": key, "channel": channel, "customer": customer, "payload": payload}
        return bool(await self.database.run(lambda conn: conn.execute(self._upserts.hold, part).all()))

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        def held(conn: Connection) -> list[tuple[str, str, str]]:
            return [(str(k), str(c), str(p)) for k, c, p in conn.execute(HELD, {"channel": channel})]

        return await self.database.run(held, writes=False)

    async def release_parts(self, keys: Sequence[str]) -> None:
        await self.database.run(lambda conn: conn.execute(RELEASED, {"keys": list(keys)}))

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        await self.database.run(lambda conn: self._link(conn, channel, customer, answer_id, parts))

    async def linked_parts(self, channel: str, key: str) -> tuple[str, list[tuple[str, str]]] | None:
        mine = answer_parts.alias("mine")
        query = (
            select(answer_parts.c.answer_id, answer_parts.c.key, answer_parts.c.text)
            .join(
                mine,
                and_(mine.c.channel == answer_parts.c.channel, mine.c.answer_id == answer_parts.c.answer_id),
            )
            .where(mine.c.channel == channel, mine.c.key == key)
            .order_by(answer_parts.c.position)
        )
        rows = await self.database.run(lambda conn: conn.execute(query).all(), writes=False)
        if not rows:
            return None
        return str(rows[0][0]), [(str(part), str(text)) for _, part, text in rows]

    async def claim_delivery(self, key: str) -> bool:
        """:class:`core.ports.DeliveryLog`: record ``key``; ``False`` if it was already there."""
        return await self.database.run(lambda conn: self._deliver(conn, key))

    # --- erasure -------------------------------------------------------------------------

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord:
        erased = await self.database.run(lambda conn: erase_customer(conn, customer, team, channel))
        await self.database.forget_deleted()
        return erased

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        return await self.database.run(lambda conn: customers_known_as(conn, pseudonym, team), writes=False)

    async def record_post(self, interview_id: str, post: PostedMessage) -> None:
        row = {"interview_id": interview_id} | asdict(post)
        await self.database.run(lambda conn: conn.execute(self._upserts.remember_post, row))

    async def rekey(self, pseudonyms: Pseudonymizer, *, dry_run: bool = False) -> list[str]:
        return await self.database.run(lambda conn: rekey(conn, pseudonyms, dry_run))

    # --- invites -------------------------------------------------------------------------

    async def add_invite(self, invite: Invite) -> None:
        row = {
            "token": invite.token,
            "team": invite.team,
            "claimed_by": invite.claimed_by,
            "invite": invite.model_dump_json(),
        }
        await self.database.run(lambda conn: conn.execute(invites.insert().values(row)))

    async def get_invite(self, token: str) -> Invite | None:
        found = await self._texts(select(invites.c.invite).where(invites.c.token == token))
        return Invite.model_validate_json(found[0]) if found else None

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        # FOR UPDATE (PostgreSQL): two workers claiming at once are ordered; the second sees the
        # first's claim. SQLite's write transaction orders them already.
        query = select(invites.c.invite).where(invites.c.token == token).with_for_update()

        def claim(conn: Connection) -> Invite | None:
            stored = conn.scalar(query)
            if stored is None:
                return None
            invite = Invite.model_validate_json(stored)
            if invite.claimed_by not in (None, claimant):
                return None
            if invite.claimed_by is None:
                invite = invite.model_copy(update={"claimed_by": claimant, "claimed_at": now})
                conn.execute(
                    invites.update()
                    .where(invites.c.token == token)
                    .values(claimed_by=claimant, invite=invite.model_dump_json())
                )
            return invite

        return await self.database.run(claim)


def _interview_row(state: InterviewState) -> dict[str, object]:
    return {
        "interview_id": state.interview_id,
        "team": state.team,
        "customer": state.customer,
        "pseudonym": state.pseudonym,
        "channel": state.channel,
        "status": state.status.value,
        "updated_at": state.updated_at or datetime.now(UTC),
        "state": state.model_dump_json(),
    }


def _added(conn: Connection, insert: Upsert) -> int:
    """How many rows an ``INSERT ... ON CONFLICT DO NOTHING`` added (counted by RETURNING: a
    driver's rowcount is not to be relied on for it)."""
    key = next(iter(insert.table.primary_key))
    return len(conn.execute(insert.returning(key)).all())
