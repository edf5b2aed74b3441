"""The session store's statements on the hot path (a turn, a held part, the indexer's outbox),
built once per database and run with parameters: building an upsert anew for every call cost
SQLAlchemy about eight times the statement's own execution. A turn's own statements are also
compiled once (:class:`TurnStatements`, :mod:`adapters.sql.prepared`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Delete, Insert, Select, Text, bindparam, exists, select
from sqlalchemy.sql.elements import ClauseElement

from adapters.sql.database import Database
from adapters.sql.prepared import Prepared, prepare
from adapters.sql.schema import (
    answer_parts,
    answers,
    deliveries,
    held_parts,
    interviews,
    next_held,
    next_touch,
    outbox,
    posts,
)

STATE_BY_ID: Select[str] = select(interviews.c.state).where(
    interviews.c.interview_id == bindparam("interview_id")
)
LATEST_STATE: Select[str] = (
    select(interviews.c.state)
    .where(interviews.c.channel == bindparam("channel"), interviews.c.customer == bindparam("customer"))
    .order_by(interviews.c.updated_at.desc(), interviews.c.touched.desc())
    .limit(1)
)
PENDING: Select[str] = (
    select(answers.c.record)
    .join(outbox, outbox.c.answer_id == answers.c.id)
    .order_by(outbox.c.seq)
    .limit(bindparam("limit"))
)
INDEXED: Delete = outbox.delete().where(outbox.c.answer_id.in_(bindparam("ids", expanding=True)))
RELEASED: Delete = held_parts.delete().where(held_parts.c.key.in_(bindparam("keys", expanding=True)))
HELD: Select[str, str, str] = (
    select(held_parts.c.key, held_parts.c.customer, held_parts.c.payload)
    .where(held_parts.c.channel == bindparam("channel"))
    .order_by(held_parts.c.seq)
)
CREATE_INTERVIEW: Insert = interviews.insert().values(touched=next_touch())


@dataclass(frozen=True)
class Upserts:
    """The statements that say ON CONFLICT, in the database's dialect."""

    save_state: Insert  # an interview, inserted or replaced (parameters: its columns but touched)
    deliver: Insert  # a delivery key if new, RETURNING it (key, seen_at)
    delivered: Insert  # delivery keys, many at once, those already there left as they are
    add_answer: Insert  # an answer if new, RETURNING its id (its columns)
    enqueue: Insert  # an answer's outbox entry if not there (answer_id)
    link: Insert  # a message part of an answer, replacing the key's earlier link
    hold: Insert  # a held part unless held or delivered, RETURNING its key
    remember_post: Insert  # a post with an interview's words, once (interview_id and the post's fields)


def upserts_for(database: Database) -> Upserts:
    state = database.insert(interviews).values(touched=next_touch())
    replaced = [c.name for c in interviews.columns if c.name != "interview_id"]
    link = database.insert(answer_parts)
    named = ("key", "channel", "customer", "payload")
    key, channel, customer, payload = (bindparam(name, type_=Text()) for name in named)
    part = select(key, channel, customer, payload, next_held()).where(
        ~exists().where(deliveries.c.key == key)
    )
    hold = database.insert(held_parts).from_select([*named, "seq"], part)
    return Upserts(
        save_state=state.on_conflict_do_update(
            index_elements=["interview_id"], set_={name: state.excluded[name] for name in replaced}
        ),
        deliver=database.insert(deliveries).on_conflict_do_nothing().returning(deliveries.c.key),
        delivered=database.insert(deliveries).on_conflict_do_nothing(),
        add_answer=database.insert(answers).on_conflict_do_nothing().returning(answers.c.id),
        enqueue=database.insert(outbox).on_conflict_do_nothing(),
        link=link.on_conflict_do_update(
            index_elements=["channel", "key"],
            set_={name: link.excluded[name] for name in ("customer", "answer_id", "position", "text")},
        ),
        hold=hold.on_conflict_do_nothing().returning(held_parts.c.key),
        remember_post=database.insert(posts).on_conflict_do_nothing(),
    )


@dataclass(frozen=True)
class TurnStatements:
    """What every turn runs, compiled for the database: read the conversation's state, then in
    one transaction its delivery key, its state, its answer and the answer's outbox entry."""

    latest_state: Prepared  # (channel, customer) -> [(state,)]
    deliver: Prepared  # (key, seen_at) -> [(key,)] if new
    save_state: Prepared  # an interview's columns but touched
    add_answer: Prepared  # an answer's columns -> [(id,)] if new
    enqueue: Prepared  # (answer_id)


def turn_statements(database: Database, upserts: Upserts) -> TurnStatements:
    def prepared(statement: ClauseElement, columns: Sequence[str] = ()) -> Prepared:
        return prepare(statement, database.sql_dialect, columns)

    return TurnStatements(
        latest_state=prepared(LATEST_STATE),
        deliver=prepared(upserts.deliver, ["key", "seen_at"]),
        save_state=prepared(upserts.save_state, [c.name for c in interviews.columns if c.name != "touched"]),
        add_answer=prepared(upserts.add_answer, [c.name for c in answers.columns]),
        enqueue=prepared(upserts.enqueue, ["answer_id"]),
    )
