"""The schema of the release before Alembic, created where it is not there yet.

A database of that release is completed, not recreated: a SQLite data directory (which kept
no revision), or PostgreSQL with its hand-written ``schema_version`` table (left in place) at
any of its versions. Each dialect gets the DDL that release gave it, word for word.

Revision ID: 0001
Revises: (none)
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE = """
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
CREATE TABLE IF NOT EXISTS slack_installations (
    enterprise_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    installed_at REAL NOT NULL,
    installation TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, team_id, user_id)
);
"""

POSTGRESQL = """
CREATE SEQUENCE IF NOT EXISTS interviews_touched;
CREATE TABLE IF NOT EXISTS interviews (
    interview_id TEXT PRIMARY KEY, team TEXT NOT NULL, customer TEXT NOT NULL,
    pseudonym TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL, touched BIGINT NOT NULL, state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interviews_by_customer ON interviews (channel, customer, updated_at);
CREATE INDEX IF NOT EXISTS interviews_by_team ON interviews (team, updated_at);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, team TEXT NOT NULL, customer TEXT NOT NULL,
    pseudonym TEXT NOT NULL, turn INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_interview ON answers (interview_id, turn);
CREATE INDEX IF NOT EXISTS answers_by_team ON answers (team, created_at);
CREATE INDEX IF NOT EXISTS answers_by_customer ON answers (customer);
CREATE INDEX IF NOT EXISTS answers_by_pseudonym ON answers (pseudonym);
CREATE TABLE IF NOT EXISTS outbox (seq BIGSERIAL PRIMARY KEY, answer_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS invites (
    token TEXT PRIMARY KEY, team TEXT NOT NULL, claimed_by TEXT, invite TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS held_parts (
    key TEXT PRIMARY KEY, channel TEXT NOT NULL, customer TEXT NOT NULL, payload TEXT NOT NULL,
    seq BIGSERIAL NOT NULL
);
CREATE INDEX IF NOT EXISTS held_parts_by_channel ON held_parts (channel, seq);
CREATE TABLE IF NOT EXISTS answer_parts (
    channel TEXT NOT NULL, key TEXT NOT NULL, customer TEXT NOT NULL, answer_id TEXT NOT NULL,
    position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (channel, key)
);
CREATE INDEX IF NOT EXISTS answer_parts_by_answer ON answer_parts (answer_id, position);
CREATE TABLE IF NOT EXISTS slack_installations (
    enterprise_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
    installed_at DOUBLE PRECISION NOT NULL, installation TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, team_id, user_id)
);
CREATE TABLE IF NOT EXISTS slack_oauth_states (state TEXT PRIMARY KEY, expire_at TIMESTAMPTZ NOT NULL);
"""


def upgrade() -> None:
    ddl = SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL
    for statement in ddl.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the release before Alembic is not gone back to")
