"""Posts remembered with their interview, and each answer's channel in a column of its own.

``posts``: messages Earful posted with a customer's words (a Slack summary), taken back when
the interview is erased. ``answers.channel``: erasure by raw id is per channel (Telegram user
4242 is not the imported customer "4242"), and the channel was only inside the record's JSON;
existing rows get it from there.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The same DDL in both dialects; IF NOT EXISTS because a PostgreSQL database migrated by the
# hand-written migrations of the release before may have the table already (their fifth).
POSTS = (
    "CREATE TABLE IF NOT EXISTS posts (interview_id TEXT NOT NULL, platform TEXT NOT NULL,"
    " team TEXT NOT NULL, conversation TEXT NOT NULL, message_id TEXT NOT NULL,"
    " PRIMARY KEY (platform, conversation, message_id))",
    "CREATE INDEX IF NOT EXISTS posts_by_interview ON posts (interview_id)",
)
CHANNEL_OF_RECORD = {
    "sqlite": "json_extract(record, '$.channel')",
    "postgresql": "record::jsonb ->> 'channel'",
}


def upgrade() -> None:
    for statement in POSTS:
        op.execute(statement)
    op.add_column("answers", sa.Column("channel", sa.Text, nullable=False, server_default=""))
    op.execute(f"UPDATE answers SET channel = {CHANNEL_OF_RECORD[op.get_bind().dialect.name]}")


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("channel")
    op.drop_table("posts")
