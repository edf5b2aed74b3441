"""Erasure and re-keying in the SQL store: units of work on a connection (see
:meth:`adapters.sql.database.Database.run`), by raw customer id only (a pseudonym selects
nothing: ``customers_known_as`` says whom one stands for)."""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Connection, Table, and_, func, select, true, union

from adapters.sql.schema import answer_parts, answers, held_parts, interviews, invites, outbox, posts
from core.invites import ERASED_CLAIMANT, Invite, claimed_by_customer
from core.models import AnswerRecord, InterviewState
from core.ports import ErasedInterview, ErasedRecord, PostedMessage
from core.pseudonyms import Pseudonymizer


def erase_customer(conn: Connection, customer: str, team: str | None, channel: str | None) -> ErasedRecord:
    """Delete every row of the customer with this raw id (on ``channel``, in ``team``, when
    given) and blank the invites they claimed; what was erased, per interview."""

    def theirs(table: Table) -> ColumnElement[bool]:
        return and_(
            table.c.customer == customer,
            table.c.team == team if team is not None else true(),
            table.c.channel == channel if channel is not None else true(),
        )

    found: dict[tuple[str, str], tuple[str, int]] = {}
    rows = select(interviews.c.team, interviews.c.interview_id, interviews.c.pseudonym).where(
        theirs(interviews)
    )
    for row_team, interview_id, name in conn.execute(rows):
        found[(str(row_team), str(interview_id))] = (str(name), 0)
    counted = (
        select(answers.c.team, answers.c.interview_id, func.max(answers.c.pseudonym), func.count())
        .where(theirs(answers))
        .group_by(answers.c.team, answers.c.interview_id)
    )
    for row_team, interview_id, name, count in conn.execute(counted):
        key = (str(row_team), str(interview_id))
        found[key] = (found.get(key, (str(name), 0))[0], int(count))
    erased = [
        ErasedInterview(row_team, interview_id, name, count, _take_posts(conn, interview_id))
        for (row_team, interview_id), (name, count) in sorted(found.items())
    ]
    for table in (held_parts, answer_parts):
        on_channel = table.c.channel == channel if channel is not None else true()
        conn.execute(table.delete().where(table.c.customer == customer, on_channel))
    doomed = select(answers.c.id).where(theirs(answers))
    for table in (answer_parts, outbox):
        conn.execute(table.delete().where(table.c.answer_id.in_(doomed)))
    conn.execute(answers.delete().where(theirs(answers)))
    conn.execute(interviews.delete().where(theirs(interviews)))
    return ErasedRecord(tuple(erased), _blank_invites(conn, customer, team, channel))


def _take_posts(conn: Connection, interview_id: str) -> tuple[PostedMessage, ...]:
    """Forget the posts remembered with an interview; they are given back to be taken down."""
    taken = conn.execute(
        posts.delete()
        .where(posts.c.interview_id == interview_id)
        .returning(posts.c.platform, posts.c.team, posts.c.conversation, posts.c.message_id)
    )
    found = (PostedMessage(str(p), str(t), str(c), str(m)) for p, t, c, m in taken)
    return tuple(sorted(found, key=lambda post: post.message_id))


def _blank_invites(conn: Connection, customer: str, team: str | None, channel: str | None) -> int:
    """Invites the customer claimed stay used but keep nothing that points at the person: no
    claimant (``channel:customer``), no note. Returns how many notes were blanked."""
    claimed = select(invites.c.token, invites.c.invite).where(
        invites.c.claimed_by.is_not(None), invites.c.team == team if team is not None else true()
    )
    notes = 0
    for token, stored in conn.execute(claimed).all():
        invite = Invite.model_validate_json(stored)
        theirs = (
            invite.claimed_by == f"{channel}:{customer}"
            if channel is not None
            else claimed_by_customer(invite.claimed_by, customer)
        )
        if not theirs:
            continue
        notes += bool(invite.note)
        blank = invite.model_copy(update={"claimed_by": ERASED_CLAIMANT, "note": ""})
        conn.execute(
            invites.update()
            .where(invites.c.token == token)
            .values(claimed_by=ERASED_CLAIMANT, invite=blank.model_dump_json())
        )
    return notes


def customers_known_as(conn: Connection, pseudonym: str, team: str | None) -> list[tuple[str, str]]:
    """The (channel, raw customer id) pairs whose interviews or answers carry ``pseudonym``."""

    def named(table: Table) -> ColumnElement[bool]:
        return and_(table.c.pseudonym == pseudonym, table.c.team == team if team is not None else true())

    both = union(
        select(interviews.c.channel, interviews.c.customer).where(named(interviews)),
        select(answers.c.channel, answers.c.customer).where(named(answers)),
    )
    return sorted((str(channel), str(customer)) for channel, customer in conn.execute(both))


def rekey(conn: Connection, pseudonyms: Pseudonymizer, dry_run: bool) -> list[str]:
    """Give every interview and answer the pseudonym ``pseudonyms`` names it by; the teams that
    had another (nothing changes with ``dry_run``)."""
    teams: set[str] = set()
    kept: tuple[tuple[Table, Column[str], Column[str], type[InterviewState] | type[AnswerRecord]], ...] = (
        (interviews, interviews.c.interview_id, interviews.c.state, InterviewState),
        (answers, answers.c.id, answers.c.record, AnswerRecord),
    )
    for table, key, document, model in kept:
        stored = select(key, table.c.pseudonym, document).with_for_update()
        for row_id, column, text in conn.execute(stored).all():
            item = model.model_validate_json(text)
            name = pseudonyms.name(item.team, item.channel, item.customer)
            if name == column == item.pseudonym:
                continue
            teams.add(item.team)
            if not dry_run:
                renamed = item.model_copy(update={"pseudonym": name}).model_dump_json()
                conn.execute(
                    table.update().where(key == row_id).values({"pseudonym": name, document.name: renamed})
                )
    return sorted(teams)
