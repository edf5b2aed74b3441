"""Interviews indexed for a turn's two lookups of ``touched``.

- ``interviews_by_touch``: on SQLite an interview saved is numbered one more than the largest
  ``touched`` (``schema.next_touch``); without an index that largest number was a scan of every
  interview, at every turn (8 ms a turn with 20,000 interviews). PostgreSQL numbers from a
  sequence and gets the same index, so the schema stays one.
- ``interviews_by_customer`` ends with ``touched``: a customer's latest interview is ordered by
  ``updated_at`` then ``touched``, which the index now gives whole; SQLite sorted the tie-break
  at every turn.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("interviews_by_touch", "interviews", ["touched"])
    op.drop_index("interviews_by_customer", "interviews")
    op.create_index("interviews_by_customer", "interviews", ["channel", "customer", "updated_at", "touched"])


def downgrade() -> None:
    op.drop_index("interviews_by_customer", "interviews")
    op.create_index("interviews_by_customer", "interviews", ["channel", "customer", "updated_at"])
    op.drop_index("interviews_by_touch", "interviews")
