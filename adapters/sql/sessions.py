"""The system of record on SQL: interviews, answers, the indexing outbox, delivery keys,
invites and Telegram's held message parts, on SQLite or PostgreSQL (:mod:`adapters.sql.database`).

A turn, its answer, its outbox entry and its delivery key commit in one transaction; a
delivery key commits once however many workers race on it; erasure removes every row of the
customer; claiming an invite is atomic.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Table, and_, exists, literal, or_, select, true, union
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.database import Database, Upsert
from adapters.sql.schema import (
    answer_parts,
    answers,
    deliveries,
    held_parts,
    interviews,
    invites,
    next_held,
    next_touch,
    outbox,
)
from core.invites import ERASED_CLAIMANT, Invite
from core.models import AnswerRecord, InterviewState, MessagePart, Status


class SqlSessionStore:
    """:class:`core.ports.SessionStore`, :class:`core.invites.InviteStore` and the Telegram
    channel's :class:`adapters.telegram.held.HeldParts` on one SQL database."""

    def __init__(self, database: Database) -> None:
        self.database = database

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

    # --- interviews ----------------------------------------------------------------------

    async def get(self, interview_id: str) -> InterviewState | None:
        query = select(interviews.c.state).where(interviews.c.interview_id == interview_id)
        async with self.database.transaction(writes=False) as conn:
            state = await conn.scalar(query)
        return InterviewState.model_validate_json(state) if state is not None else None

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        query = (
            select(interviews.c.state)
            .where(interviews.c.channel == channel, interviews.c.customer == customer)
            .order_by(interviews.c.updated_at.desc(), interviews.c.touched.desc())
            .limit(1)
        )
        async with self.database.transaction(writes=False) as conn:
            state = await conn.scalar(query)
        return InterviewState.model_validate_json(state) if state is not None else None

    async def create(self, state: InterviewState) -> None:
        async with self.database.transaction() as conn:
            await conn.execute(self.database.insert(interviews).values(self._row(state)))

    @staticmethod
    def _row(state: InterviewState) -> dict[str, object]:
        return {
            "interview_id": state.interview_id,
            "team": state.team,
            "customer": state.customer,
            "pseudonym": state.pseudonym,
            "channel": state.channel,
            "status": state.status.value,
            "updated_at": state.updated_at or datetime.now(UTC),
            "touched": next_touch(),
            "state": state.model_dump_json(),
        }

    async def _save_state(self, conn: AsyncConnection, state: InterviewState) -> None:
        """Insert or update: the first turn of an interview creates it."""
        insert = self.database.insert(interviews).values(self._row(state))
        changed = {name: insert.excluded[name] for name in self._row(state) if name != "interview_id"}
        await conn.execute(insert.on_conflict_do_update(index_elements=["interview_id"], set_=changed))

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        async with self.database.transaction() as conn:
            # A racing worker with the same key waits on the unique index until this
            # transaction ends, then inserts nothing: the key is committed exactly once.
            if delivery_key is not None and not await self._deliver(conn, [delivery_key]):
                return False  # seen before: nothing was written
            await self._save_state(conn, state)
            if answer is not None:
                await self._insert_answer(conn, answer)
            if parts:
                await self._settle_parts(conn, state, answer, parts)
            return True

    async def _deliver(self, conn: AsyncConnection, keys: Sequence[str]) -> int:
        """Record delivery keys; how many were new."""
        now = datetime.now(UTC)
        insert = self.database.insert(deliveries).values([{"key": key, "seen_at": now} for key in keys])
        return await _added(conn, insert.on_conflict_do_nothing())

    async def _settle_parts(
        self,
        conn: AsyncConnection,
        state: InterviewState,
        answer: AnswerRecord | None,
        parts: Sequence[MessagePart],
    ) -> None:
        """The parts' deliveries are handled and no longer held; the answer remembers them."""
        keys = [part.delivery_key for part in parts]
        await self._deliver(conn, keys)
        await conn.execute(held_parts.delete().where(held_parts.c.key.in_(keys)))
        if answer is not None:
            linked = [(part.key, part.text) for part in parts]
            await self._link(conn, state.channel, state.customer, answer.id, linked)

    async def _link(
        self,
        conn: AsyncConnection,
        channel: str,
        customer: str,
        answer_id: str,
        parts: Sequence[tuple[str, str]],
    ) -> None:
        rows = [
            {"channel": channel, "key": key, "customer": customer, "answer_id": answer_id}
            | {"position": position, "text": text}
            for position, (key, text) in enumerate(parts)
        ]
        insert = self.database.insert(answer_parts).values(rows)
        changed = {name: insert.excluded[name] for name in ("customer", "answer_id", "position", "text")}
        await conn.execute(insert.on_conflict_do_update(index_elements=["channel", "key"], set_=changed))

    async def _insert_answer(self, conn: AsyncConnection, answer: AnswerRecord) -> bool:
        row = {
            "id": answer.id,
            "interview_id": answer.interview_id,
            "team": answer.team,
            "customer": answer.customer,
            "pseudonym": answer.pseudonym,
            "turn": answer.turn,
            "created_at": answer.created_at,
            "record": answer.model_dump_json(),
        }
        new = await _added(conn, self.database.insert(answers).values(row).on_conflict_do_nothing())
        if new:
            await self._enqueue(conn, answer.id)
        return bool(new)

    async def _enqueue(self, conn: AsyncConnection, answer_id: str) -> None:
        await conn.execute(self.database.insert(outbox).values(answer_id=answer_id).on_conflict_do_nothing())

    async def add_answers(self, records: Sequence[AnswerRecord]) -> int:
        async with self.database.transaction() as conn:
            return sum([await self._insert_answer(conn, record) for record in records])

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
        async with self.database.transaction(writes=False) as conn:
            records = (await conn.scalars(query)).all()
        return [AnswerRecord.model_validate_json(record) for record in records]

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
        async with self.database.transaction(writes=False) as conn:
            states = (await conn.scalars(query)).all()
        return [InterviewState.model_validate_json(state) for state in states]

    # --- the outbox ----------------------------------------------------------------------

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        query = (
            select(answers.c.record)
            .join(outbox, outbox.c.answer_id == answers.c.id)
            .order_by(outbox.c.seq)
            .limit(limit)
        )
        async with self.database.transaction(writes=False) as conn:
            records = (await conn.scalars(query)).all()
        return [AnswerRecord.model_validate_json(record) for record in records]

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        # One transaction for the batch: on SQLite each commit is an fsync (synchronous=FULL).
        async with self.database.transaction() as conn:
            await conn.execute(outbox.delete().where(outbox.c.answer_id.in_(list(answer_ids))))

    async def requeue_all(self, team: str | None = None) -> int:
        # A WHERE even without a team: SQLite cannot otherwise tell ON CONFLICT from a join's ON.
        stored = (
            select(answers.c.id)
            .where(answers.c.team == team if team is not None else true())
            .order_by(answers.c.created_at)
        )
        insert = self.database.insert(outbox).from_select(["answer_id"], stored)
        async with self.database.transaction() as conn:
            return await _added(conn, insert.on_conflict_do_nothing())

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        query = (
            select(answers.c.record)
            .where(answers.c.id == answer_id, answers.c.customer == customer)
            .with_for_update()
        )
        async with self.database.transaction() as conn:
            stored = await conn.scalar(query)
            record = AnswerRecord.model_validate_json(stored) if stored is not None else None
            if record is None or record.channel != channel:
                return None
            amended = record.model_copy(update={"text": text})
            await conn.execute(
                answers.update().where(answers.c.id == answer_id).values(record=amended.model_dump_json())
            )
            await self._enqueue(conn, answer_id)
            return amended

    # --- held message parts and delivery keys outside turns ---------------------------------

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        # Not a part whose delivery was handled already (Telegram redelivers updates).
        part = select(literal(key), literal(channel), literal(customer), literal(payload), next_held()).where(
            ~exists().where(deliveries.c.key == key)
        )
        columns = ["key", "channel", "customer", "payload", "seq"]
        insert = self.database.insert(held_parts).from_select(columns, part).on_conflict_do_nothing()
        async with self.database.transaction() as conn:
            return bool(await _added(conn, insert))

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        query = (
            select(held_parts.c.key, held_parts.c.customer, held_parts.c.payload)
            .where(held_parts.c.channel == channel)
            .order_by(held_parts.c.seq)
        )
        async with self.database.transaction(writes=False) as conn:
            rows = (await conn.execute(query)).all()
        return [(str(key), str(customer), str(payload)) for key, customer, payload in rows]

    async def release_parts(self, keys: Sequence[str]) -> None:
        async with self.database.transaction() as conn:
            await conn.execute(held_parts.delete().where(held_parts.c.key.in_(list(keys))))

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        async with self.database.transaction() as conn:
            await self._link(conn, channel, customer, answer_id, parts)

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
        async with self.database.transaction(writes=False) as conn:
            rows = (await conn.execute(query)).all()
        if not rows:
            return None
        return str(rows[0][0]), [(str(part), str(text)) for _, part, text in rows]

    async def claim_delivery(self, key: str) -> bool:
        """:class:`core.ports.DeliveryLog`: record ``key``; ``False`` if it was already there."""
        async with self.database.transaction() as conn:
            return bool(await self._deliver(conn, [key]))

    # --- erasure -------------------------------------------------------------------------

    async def erase_customer(self, customer: str, team: str | None = None) -> list[tuple[str, str]]:
        async with self.database.transaction() as conn:
            pairs = await self._pairs_of(conn, customer, team)
            # The raw id given, and the raw ids behind the pseudonyms being erased.
            customers = {customer}
            for pair_team, pseudonym in pairs:
                raw = select(interviews.c.customer).where(
                    interviews.c.team == pair_team, interviews.c.pseudonym == pseudonym
                )
                customers.update(str(name) for name in (await conn.scalars(raw)).all())
            for table in (held_parts, answer_parts):
                await conn.execute(table.delete().where(table.c.customer.in_(sorted(customers))))
            await self._unclaim_invites(conn, customers)
            for pair_team, pseudonym in pairs:
                theirs = select(answers.c.id).where(
                    answers.c.team == pair_team, answers.c.pseudonym == pseudonym
                )
                await conn.execute(answer_parts.delete().where(answer_parts.c.answer_id.in_(theirs)))
                await conn.execute(outbox.delete().where(outbox.c.answer_id.in_(theirs)))
                for table in (answers, interviews):
                    await conn.execute(
                        table.delete().where(table.c.team == pair_team, table.c.pseudonym == pseudonym)
                    )
        await self.database.forget_deleted()
        return pairs

    @staticmethod
    async def _pairs_of(conn: AsyncConnection, customer: str, team: str | None) -> list[tuple[str, str]]:
        """The (team, pseudonym) pairs of a customer given by raw id or pseudonym."""

        def of(table: Table) -> ColumnElement[bool]:
            return and_(
                or_(table.c.customer == customer, table.c.pseudonym == customer),
                table.c.team == team if team is not None else true(),
            )

        both = union(
            select(interviews.c.team, interviews.c.pseudonym).where(of(interviews)),
            select(answers.c.team, answers.c.pseudonym).where(of(answers)),
        )
        return sorted((str(a), str(b)) for a, b in (await conn.execute(both)).all())

    @staticmethod
    async def _unclaim_invites(conn: AsyncConnection, customers: set[str]) -> None:
        """Invites claimed by these customers (``channel:customer``) keep no trace of who did."""
        claimed = select(invites.c.token, invites.c.claimed_by, invites.c.invite).where(
            invites.c.claimed_by.is_not(None)
        )
        for token, claimant, stored in (await conn.execute(claimed)).all():
            if str(claimant).split(":", 1)[-1] not in customers:
                continue
            erased = Invite.model_validate_json(stored).model_copy(update={"claimed_by": ERASED_CLAIMANT})
            await conn.execute(
                invites.update()
                .where(invites.c.token == token)
                .values(claimed_by=ERASED_CLAIMANT, invite=erased.model_dump_json())
            )

    # --- invites -------------------------------------------------------------------------

    async def add_invite(self, invite: Invite) -> None:
        row = {
            "token": invite.token,
            "team": invite.team,
            "claimed_by": invite.claimed_by,
            "invite": invite.model_dump_json(),
        }
        async with self.database.transaction() as conn:
            await conn.execute(invites.insert().values(row))

    async def get_invite(self, token: str) -> Invite | None:
        async with self.database.transaction(writes=False) as conn:
            stored = await conn.scalar(select(invites.c.invite).where(invites.c.token == token))
        return Invite.model_validate_json(stored) if stored is not None else None

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        # FOR UPDATE (PostgreSQL): two workers claiming at once are ordered; the second sees the
        # first's claim. SQLite's write transaction orders them already.
        query = select(invites.c.invite).where(invites.c.token == token).with_for_update()
        async with self.database.transaction() as conn:
            stored = await conn.scalar(query)
            if stored is None:
                return None
            invite = Invite.model_validate_json(stored)
            if invite.claimed_by not in (None, claimant):
                return None
            if invite.claimed_by is None:
                invite = invite.model_copy(update={"claimed_by": claimant, "claimed_at": now})
                await conn.execute(
                    invites.update()
                    .where(invites.c.token == token)
                    .values(claimed_by=claimant, invite=invite.model_dump_json())
                )
            return invite


async def _added(conn: AsyncConnection, insert: Upsert) -> int:
    """How many rows an ``INSERT ... ON CONFLICT DO NOTHING`` added (counted by RETURNING: a
    driver's rowcount is not to be relied on for it)."""
    key = next(iter(insert.table.primary_key))
    return len((await conn.execute(insert.returning(key))).all())
