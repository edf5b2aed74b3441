-- The SQLite schema of the release before Alembic (adapters/sql_sessions.py and
-- adapters/slack/installations.py as they were), for tests/contract/test_migrations.py.
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
