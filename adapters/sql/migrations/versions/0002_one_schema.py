"""One schema for both databases: SQLite gets what only PostgreSQL had.

Interviews get ``touched`` (which interview updated at the same moment was saved last; the
rows there are numbered in the order SQLite kept them), held parts their index by channel,
and Slack's OAuth states a table (they were in slack_sdk's own table until now, and live
ten minutes). PostgreSQL's schema already had all three.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.add_column("interviews", sa.Column("touched", sa.BigInteger, nullable=False, server_default="0"))
    op.execute("UPDATE interviews SET touched = rowid")
    op.create_index("held_parts_by_channel", "held_parts", ["channel", "seq"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.Text, primary_key=True),
        sa.Column("expire_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_table("slack_oauth_states")
    op.drop_index("held_parts_by_channel", "held_parts")
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("touched")
