"""The SQLite system of record: interviews, answers, the indexing outbox, delivery keys.

Every call runs on one dedicated thread with one connection, so calls are serialised and
the event loop never blocks on disk. WAL mode with ``synchronous=FULL`` keeps a committed
turn through a crash of the process and of the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from core.errors import StoreUnavailable
from core.invites import ERASED_CLAIMANT, Invite
from core.models import AnswerRecord, InterviewState, MessagePart, Status
from core.ports import ErasedInterview, ErasedRecord, PostedMessage
from core.pseudonyms import Pseudonymizer

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS interviews (
    interview_id TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    customer TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interviews_by_customer ON interviews (channel, customer, updated_at);
CREATE INDEX IF NOT EXISTS interviews_by_team ON interviews (team, updated_at);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    team TEXT NOT NULL,
    customer TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    turn INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_interview ON answers (interview_id, turn);
CREATE INDEX IF NOT EXISTS answers_by_team ON answers (team, created_at);
CREATE INDEX IF NOT EXISTS answers_by_customer ON answers (customer);
CREATE INDEX IF NOT EXISTS answers_by_pseudonym ON answers (pseudonym);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS invites (
    token TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    claimed_by TEXT,
    invite TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    key TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS held_parts (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    customer TEXT NOT NULL,
    payload TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS answer_parts (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    customer TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (channel, key)
);
CREATE INDEX IF NOT EXISTS answer_parts_by_answer ON answer_parts (answer_id, position);
CREATE TABLE IF NOT EXISTS posts (
    interview_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    team TEXT NOT NULL,
    conversation TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (platform, conversation, message_id)
);
CREATE INDEX IF NOT EXISTS posts_by_interview ON posts (interview_id);
"""


class SqliteSessionStore:
    """:class:`core.ports.SessionStore` on one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="earful-sqlite")
        self._db: sqlite3.Connection | None = None

    @classmethod
    async def open(cls, path: Path) -> SqliteSessionStore:
        """Open (creating if needed) the database at ``path`` and apply the schema."""
        store = cls(path)
        await store._run(store._connect)
        return store

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.executescript(SCHEMA)
        self._db = db

    async def _run(self, fn: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn)
        except sqlite3.OperationalError as error:
            raise StoreUnavailable(f"the session database is unavailable: {error}") from error

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailable("the session store is closed")
        return self._db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front (no upgrade deadlocks)."""
        db = self._conn
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    async def close(self) -> None:
        def close() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        await self._run(close)
        self._executor.shutdown(wait=True)

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        """Nothing to hold: one SQLite file has one owning process (use PostgreSQL for many), and
        the service orders a conversation within its process."""
        yield

    # --- interviews ----------------------------------------------------------------------

    async def get(self, interview_id: str) -> InterviewState | None:
        def get() -> InterviewState | None:
            row = self._conn.execute(
                "SELECT state FROM interviews WHERE interview_id = ?", (interview_id,)
            ).fetchone()
            return InterviewState.model_validate_json(row[0]) if row else None

        return await self._run(get)

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        def latest() -> InterviewState | None:
            row = self._conn.execute(
                "SELECT state FROM interviews WHERE channel = ? AND customer = ?"
                " ORDER BY updated_at DESC, rowid DESC LIMIT 1",
                (channel, customer),
            ).fetchone()
            return InterviewState.model_validate_json(row[0]) if row else None

        return await self._run(latest)

    async def create(self, state: InterviewState) -> None:
        await self._run(lambda: self._save_state(state, insert=True))

    def _save_state(self, state: InterviewState, insert: bool = False) -> None:
        updated = (state.updated_at or datetime.now(UTC)).isoformat()
        values = (
            state.team,
            state.customer,
            state.pseudonym,
            state.channel,
            state.status.value,
            updated,
            state.model_dump_json(),
            state.interview_id,
        )
        upsert = (
            ""
            if insert
            else (
                " ON CONFLICT (interview_id) DO UPDATE SET team = excluded.team, customer ="
                " excluded.customer, pseudonym = excluded.pseudonym, channel = excluded.channel,"
                " status = excluded.status, updated_at = excluded.updated_at, state = excluded.state"
            )
        )
        self._conn.execute(
            "INSERT INTO interviews (team, customer, pseudonym, channel, status, updated_at,"
            f" state, interview_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?){upsert}",
            values,
        )

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        def commit() -> bool:
            with self._transaction() as db:
                now = datetime.now(UTC).isoformat()
                if delivery_key is not None:
                    inserted = db.execute(
                        "INSERT OR IGNORE INTO deliveries (key, seen_at) VALUES (?, ?)", (delivery_key, now)
                    ).rowcount
                    if not inserted:
                        return False  # seen before: nothing was written
                self._save_state(state)
                if answer is not None:
                    self._insert_answer(answer)
                self._settle_parts(state, answer, parts, now)
                return True

        return await self._run(commit)

    def _settle_parts(
        self, state: InterviewState, answer: AnswerRecord | None, parts: Sequence[MessagePart], now: str
    ) -> None:
        """The parts' deliveries are handled and no longer held; the answer remembers them."""
        db = self._conn
        db.executemany(
            "INSERT OR IGNORE INTO deliveries (key, seen_at) VALUES (?, ?)",
            [(part.delivery_key, now) for part in parts],
        )
        db.executemany("DELETE FROM held_parts WHERE key = ?", [(part.delivery_key,) for part in parts])
        if answer is not None:
            db.executemany(
                "INSERT OR REPLACE INTO answer_parts (channel, key, customer, answer_id, position, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (state.channel, part.key, state.customer, answer.id, position, part.text)
                    for position, part in enumerate(parts)
                ],
            )

    def _insert_answer(self, answer: AnswerRecord) -> bool:
        new = self._conn.execute(
            "INSERT OR IGNORE INTO answers (id, interview_id, team, customer, pseudonym, turn,"
            " created_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer.id,
                answer.interview_id,
                answer.team,
                answer.customer,
                answer.pseudonym,
                answer.turn,
                answer.created_at.isoformat(),
                answer.model_dump_json(),
            ),
        ).rowcount
        if new:
            self._conn.execute("INSERT OR IGNORE INTO outbox (answer_id) VALUES (?)", (answer.id,))
        return bool(new)

    async def add_answers(self, answers: Sequence[AnswerRecord]) -> int:
        def add() -> int:
            with self._transaction():
                return sum(self._insert_answer(answer) for answer in answers)

        return await self._run(add)

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]:
        clauses, params = [], []
        for column, value in (("team", team), ("interview_id", interview_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if customer is not None:
            clauses.append("(customer = ? OR pseudonym = ?)")
            params.extend([customer, customer])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""

        def fetch() -> list[AnswerRecord]:
            rows = self._conn.execute(
                f"SELECT record FROM answers {where} ORDER BY created_at, interview_id, turn",
                params,
            ).fetchall()
            return [AnswerRecord.model_validate_json(row[0]) for row in rows]

        return await self._run(fetch)

    async def interviews(
        self, *, team: str | None = None, status: Status | None = None, limit: int = 100
    ) -> list[InterviewState]:
        clauses, params = [], []
        if team is not None:
            clauses.append("team = ?")
            params.append(team)
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""

        def fetch() -> list[InterviewState]:
            rows = self._conn.execute(
                f"SELECT state FROM interviews {where} ORDER BY updated_at DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
            return [InterviewState.model_validate_json(row[0]) for row in rows]

        return await self._run(fetch)

    # --- the outbox ----------------------------------------------------------------------

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        def pending() -> list[AnswerRecord]:
            rows = self._conn.execute(
                "SELECT a.record FROM outbox o JOIN answers a ON a.id = o.answer_id ORDER BY o.seq LIMIT ?",
                (limit,),
            ).fetchall()
            return [AnswerRecord.model_validate_json(row[0]) for row in rows]

        return await self._run(pending)

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        def mark() -> None:
            # One transaction for the batch: in autocommit each row was its own fsync
            # (synchronous=FULL), which made indexing an import wait ~1.5 ms per story.
            db = self._conn
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "DELETE FROM outbox WHERE answer_id = ?", [(answer_id,) for answer_id in answer_ids]
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

        await self._run(mark)

    async def requeue_all(self, team: str | None = None) -> int:
        def requeue() -> int:
            where, params = ("WHERE team = ?", (team,)) if team is not None else ("", ())
            return self._conn.execute(
                f"INSERT OR IGNORE INTO outbox (answer_id) SELECT id FROM answers {where}"
                " ORDER BY created_at",
                params,
            ).rowcount

        return await self._run(requeue)

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        def amend() -> AnswerRecord | None:
            with self._transaction() as db:
                row = db.execute(
                    "SELECT record FROM answers WHERE id = ? AND customer = ?", (answer_id, customer)
                ).fetchone()
                record = AnswerRecord.model_validate_json(row[0]) if row else None
                if record is None or record.channel != channel:
                    return None
                amended = record.model_copy(update={"text": text})
                db.execute(
                    "UPDATE answers SET record = ? WHERE id = ?", (amended.model_dump_json(), answer_id)
                )
                db.execute("INSERT OR IGNORE INTO outbox (answer_id) VALUES (?)", (answer_id,))
                return amended

        return await self._run(amend)

    # --- held message parts ---------------------------------------------------------------

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        def hold() -> bool:
            return bool(
                self._conn.execute(
                    # Not a part whose delivery was handled already (Telegram redelivers updates).
                    "INSERT OR IGNORE INTO held_parts (key, channel, customer, payload, seq)"
                    " SELECT ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM held_parts)"
                    " WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE key = ?)",
                    (key, channel, customer, payload, key),
                ).rowcount
            )

        return await self._run(hold)

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        def held() -> list[tuple[str, str, str]]:
            rows = self._conn.execute(
                "SELECT key, customer, payload FROM held_parts WHERE channel = ? ORDER BY seq", (channel,)
            ).fetchall()
            return [(str(k), str(c), str(p)) for k, c, p in rows]

        return await self._run(held)

    async def release_parts(self, keys: Sequence[str]) -> None:
        def release() -> None:
            self._conn.executemany("DELETE FROM held_parts WHERE key = ?", [(key,) for key in keys])

        await self._run(release)

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        rows = [(channel, key, customer, answer_id, i, text) for i, (key, text) in enumerate(parts)]

        def link() -> None:
            with self._transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO answer_parts (channel, key, customer, answer_id, position, text)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )

        await self._run(link)

    async def linked_parts(self, channel: str, key: str) -> tuple[str, list[tuple[str, str]]] | None:
        def linked() -> tuple[str, list[tuple[str, str]]] | None:
            row = self._conn.execute(
                "SELECT answer_id FROM answer_parts WHERE channel = ? AND key = ?", (channel, key)
            ).fetchone()
            if row is None:
                return None
            parts = self._conn.execute(
                "SELECT key, text FROM answer_parts WHERE channel = ? AND answer_id = ? ORDER BY position",
                (channel, row[0]),
            ).fetchall()
            return str(row[0]), [(str(k), str(t)) for k, t in parts]

        return await self._run(linked)

    # --- erasure -------------------------------------------------------------------------

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord:
        def erase() -> ErasedRecord:
            team_clause, team_params = ("AND team = ?", [team]) if team is not None else ("", [])
            # Answers keep their channel in the record only.
            on, on_params = ("AND channel = ?", [channel]) if channel is not None else ("", [])
            on_record = "AND json_extract(record, '$.channel') = ?" if channel is not None else ""
            chosen = [customer, *team_params]
            interviews_where = f"customer = ? {team_clause} {on}"
            answers_where = f"customer = ? {team_clause} {on_record}"
            of_interviews, of_answers = [*chosen, *on_params], [*chosen, *on_params]
            with self._transaction() as db:
                found: dict[tuple[str, str], tuple[str, int]] = {}
                for interview_id, pair_team, name in db.execute(
                    f"SELECT interview_id, team, pseudonym FROM interviews WHERE {interviews_where}",
                    of_interviews,
                ):
                    found[(str(pair_team), str(interview_id))] = (str(name), 0)
                for interview_id, pair_team, name, count in db.execute(
                    "SELECT interview_id, team, max(pseudonym), count(*) FROM answers"
                    f" WHERE {answers_where} GROUP BY interview_id, team",
                    of_answers,
                ):
                    key = (str(pair_team), str(interview_id))
                    found[key] = (found.get(key, (str(name), 0))[0], int(count))
                interviews = []
                for (pair_team, interview_id), (name, count) in sorted(found.items()):
                    posts = tuple(
                        PostedMessage(str(p), str(t), str(c), str(m))
                        for p, t, c, m in db.execute(
                            "SELECT platform, team, conversation, message_id FROM posts"
                            " WHERE interview_id = ? ORDER BY message_id",
                            (interview_id,),
                        )
                    )
                    db.execute("DELETE FROM posts WHERE interview_id = ?", (interview_id,))
                    interviews.append(ErasedInterview(pair_team, interview_id, name, count, posts))
                for table in ("held_parts", "answer_parts"):
                    db.execute(f"DELETE FROM {table} WHERE customer = ? {on}", [customer, *on_params])
                for table in ("answer_parts", "outbox"):
                    db.execute(
                        f"DELETE FROM {table} WHERE answer_id IN"
                        f" (SELECT id FROM answers WHERE {answers_where})",
                        of_answers,
                    )
                db.execute(f"DELETE FROM answers WHERE {answers_where}", of_answers)
                db.execute(f"DELETE FROM interviews WHERE {interviews_where}", of_interviews)
                notes = 0
                # claimed_by is "<channel>:<customer id>".
                claimant, claimant_params = (
                    ("claimed_by = ?", [f"{channel}:{customer}"])
                    if channel is not None
                    else ("substr(claimed_by, instr(claimed_by, ':') + 1) = ?", [customer])
                )
                claimed = db.execute(
                    "SELECT token, invite FROM invites WHERE claimed_by IS NOT NULL"
                    f" AND {claimant} {team_clause}",
                    [*claimant_params, *team_params],
                ).fetchall()
                for token, invite_json in claimed:
                    invite = Invite.model_validate_json(invite_json)
                    notes += bool(invite.note)
                    # The invite stays used, but keeps nothing that points at the person.
                    erased = invite.model_copy(update={"claimed_by": ERASED_CLAIMANT, "note": ""})
                    db.execute(
                        "UPDATE invites SET claimed_by = ?, invite = ? WHERE token = ?",
                        (ERASED_CLAIMANT, erased.model_dump_json(), token),
                    )
            # Deleted rows linger in free pages and the WAL until they are overwritten.
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("VACUUM")
            return ErasedRecord(tuple(interviews), notes)

        return await self._run(erase)

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        def known() -> list[tuple[str, str]]:
            team_clause, team_params = ("AND team = ?", [team]) if team is not None else ("", [])
            rows = self._conn.execute(
                f"SELECT channel, customer FROM interviews WHERE pseudonym = ? {team_clause}"
                " UNION SELECT json_extract(record, '$.channel'), customer FROM answers"
                f" WHERE pseudonym = ? {team_clause}",
                [pseudonym, *team_params, pseudonym, *team_params],
            )
            return sorted((str(channel), str(customer)) for channel, customer in rows)

        return await self._run(known)

    async def record_post(self, interview_id: str, post: PostedMessage) -> None:
        def record() -> None:
            self._conn.execute(
                "INSERT OR IGNORE INTO posts (interview_id, platform, team, conversation, message_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (interview_id, post.platform, post.team, post.conversation, post.message_id),
            )

        await self._run(record)

    async def rekey(self, pseudonyms: Pseudonymizer, *, dry_run: bool = False) -> list[str]:
        def rekey() -> list[str]:
            teams: set[str] = set()
            with self._transaction() as db:
                for interview_id, team, pseudonym, state_json in db.execute(
                    "SELECT interview_id, team, pseudonym, state FROM interviews"
                ).fetchall():
                    state = InterviewState.model_validate_json(state_json)
                    name = pseudonyms.name(state.team, state.channel, state.customer)
                    if name == pseudonym == state.pseudonym:
                        continue
                    teams.add(str(team))
                    if not dry_run:
                        db.execute(
                            "UPDATE interviews SET pseudonym = ?, state = ? WHERE interview_id = ?",
                            (
                                name,
                                state.model_copy(update={"pseudonym": name}).model_dump_json(),
                                interview_id,
                            ),
                        )
                for answer_id, team, pseudonym, record_json in db.execute(
                    "SELECT id, team, pseudonym, record FROM answers"
                ).fetchall():
                    record = AnswerRecord.model_validate_json(record_json)
                    name = pseudonyms.name(record.team, record.channel, record.customer)
                    if name == pseudonym == record.pseudonym:
                        continue
                    teams.add(str(team))
                    if not dry_run:
                        db.execute(
                            "UPDATE answers SET pseudonym = ?, record = ? WHERE id = ?",
                            (
                                name,
                                record.model_copy(update={"pseudonym": name}).model_dump_json(),
                                answer_id,
                            ),
                        )
            return sorted(teams)

        return await self._run(rekey)

    # --- delivery keys outside interview turns ---------------------------------------------

    async def claim_delivery(self, key: str) -> bool:
        """:class:`core.ports.DeliveryLog`: record ``key``; ``False`` if it was already there."""

        def claim() -> bool:
            return bool(
                self._conn.execute(
                    "INSERT OR IGNORE INTO deliveries (key, seen_at) VALUES (?, ?)",
                    (key, datetime.now(UTC).isoformat()),
                ).rowcount
            )

        return await self._run(claim)

    # --- invites -------------------------------------------------------------------------

    async def add_invite(self, invite: Invite) -> None:
        def add() -> None:
            self._conn.execute(
                "INSERT INTO invites (token, team, claimed_by, invite) VALUES (?, ?, ?, ?)",
                (invite.token, invite.team, invite.claimed_by, invite.model_dump_json()),
            )

        await self._run(add)

    async def get_invite(self, token: str) -> Invite | None:
        def get() -> Invite | None:
            row = self._conn.execute("SELECT invite FROM invites WHERE token = ?", (token,)).fetchone()
            return Invite.model_validate_json(row[0]) if row else None

        return await self._run(get)

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        def claim() -> Invite | None:
            with self._transaction() as db:
                row = db.execute("SELECT invite FROM invites WHERE token = ?", (token,)).fetchone()
                if row is None:
                    return None
                invite = Invite.model_validate_json(row[0])
                if invite.claimed_by not in (None, claimant):
                    return None
                if invite.claimed_by is None:
                    invite = invite.model_copy(update={"claimed_by": claimant, "claimed_at": now})
                    db.execute(
                        "UPDATE invites SET claimed_by = ?, invite = ? WHERE token = ?",
                        (claimant, invite.model_dump_json(), token),
                    )
                return invite

        return await self._run(claim)
