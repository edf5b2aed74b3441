-- The PostgreSQL schema of the release before Alembic: adapters/pg_sessions.py's hand-written
-- migrations 1 to 4 and their schema_version table, for tests/contract/test_migrations.py.
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
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
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE held_parts (
    key TEXT PRIMARY KEY, channel TEXT NOT NULL, customer TEXT NOT NULL, payload TEXT NOT NULL,
    seq BIGSERIAL NOT NULL
);
CREATE INDEX held_parts_by_channel ON held_parts (channel, seq);
INSERT INTO schema_version (version) VALUES (2);
CREATE TABLE answer_parts (
    channel TEXT NOT NULL, key TEXT NOT NULL, customer TEXT NOT NULL, answer_id TEXT NOT NULL,
    position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (channel, key)
);
CREATE INDEX answer_parts_by_answer ON answer_parts (answer_id, position);
INSERT INTO schema_version (version) VALUES (3);
CREATE TABLE slack_installations (
    enterprise_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
    installed_at DOUBLE PRECISION NOT NULL, installation TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, team_id, user_id)
);
CREATE TABLE slack_oauth_states (state TEXT PRIMARY KEY, expire_at TIMESTAMPTZ NOT NULL);
INSERT INTO schema_version (version) VALUES (4);
