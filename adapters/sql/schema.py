"""The system of record's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

The tables are created and changed only by the migrations beside this module
(:mod:`adapters.sql.migrations`); these definitions are what the queries are written against,
and a test holds the two together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Double,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class UtcTime(TypeDecorator[datetime]):
    """A moment: ``TIMESTAMPTZ`` on PostgreSQL; on SQLite the ISO 8601 text the release before
    stored (``2026-01-01T09:30:00+00:00``), kept in UTC so that it sorts as text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(Text() if dialect.name == "sqlite" else DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(str(value))


metadata = MetaData()

interviews = Table(
    "interviews",
    metadata,
    Column("interview_id", Text, primary_key=True),
    Column("team", Text, nullable=False),
    Column("customer", Text, nullable=False),
    Column("pseudonym", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
    # Orders interviews updated at the same moment: the last one saved comes first.
    Column("touched", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Index("interviews_by_customer", "channel", "customer", "updated_at", "touched"),
    Index("interviews_by_team", "team", "updated_at"),
    Index("interviews_by_touch", "touched"),  # SQLite's next number is the largest plus one
)

answers = Table(
    "answers",
    metadata,
    Column("id", Text, primary_key=True),
    Column("interview_id", Text, nullable=False),
    Column("team", Text, nullable=False),
    Column("customer", Text, nullable=False),
    Column("pseudonym", Text, nullable=False),
    # The record's channel, in a column for erasure by (channel, raw id); migration 0003.
    Column("channel", Text, nullable=False),
    Column("turn", Integer, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("record", Text, nullable=False),
    Index("answers_by_interview", "interview_id", "turn"),
    Index("answers_by_team", "team", "created_at"),
    Index("answers_by_customer", "customer"),
    Index("answers_by_pseudonym", "pseudonym"),
)

# Answers stored but not yet in the story index, in the order they were stored.
outbox = Table(
    "outbox",
    metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("answer_id", Text, nullable=False, unique=True),
    sqlite_autoincrement=True,
)

invites = Table(
    "invites",
    metadata,
    Column("token", Text, primary_key=True),
    Column("team", Text, nullable=False),
    Column("claimed_by", Text),
    Column("invite", Text, nullable=False),
)

# Platform deliveries already handled (a retried event or update is recognised by its key).
deliveries = Table(
    "deliveries",
    metadata,
    Column("key", Text, primary_key=True),
    Column("seen_at", UtcTime, nullable=False),
)

# Parts of an answer typed as several messages, held until the answer's turn is committed.
held_parts = Table(
    "held_parts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("channel", Text, nullable=False),
    Column("customer", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Index("held_parts_by_channel", "channel", "seq"),
)

# Which messages make up an answer, so that an edit of one can amend the answer.
answer_parts = Table(
    "answer_parts",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("customer", Text, nullable=False),
    Column("answer_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("answer_parts_by_answer", "answer_id", "position"),
)

# Messages Earful posted with a customer's words (a Slack summary), taken back with the interview.
posts = Table(
    "posts",
    metadata,
    Column("interview_id", Text, nullable=False),
    Column("platform", Text, primary_key=True),
    Column("team", Text, nullable=False),
    Column("conversation", Text, primary_key=True),
    Column("message_id", Text, primary_key=True),
    Index("posts_by_interview", "interview_id"),
)

# Slack's multi-workspace mode (adapters/slack/installations.py): one row per (enterprise,
# workspace, installing user), the row with an empty user being the workspace's latest install.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("enterprise_id", Text, primary_key=True),
    Column("team_id", Text, primary_key=True),
    Column("user_id", Text, primary_key=True),
    Column("installed_at", Double, nullable=False),
    Column("installation", Text, nullable=False),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("state", Text, primary_key=True),
    Column("expire_at", UtcTime, nullable=False),
)


class next_number(FunctionElement[int]):  # lower case: it stands for an SQL function
    """The next value of a counting column: its sequence on PostgreSQL, which orders rows across
    workers; one more than the largest on SQLite, where one writer at a time holds the file."""

    inherit_cache = True  # each subclass is one counter: the class alone is the cache key
    type = BigInteger()
    column: ClassVar[Column[int]]
    sequence: ClassVar[str]


class next_touch(next_number):
    """The ``touched`` value of an interview saved now."""

    inherit_cache = True
    column = interviews.c.touched
    sequence = "interviews_touched"


class next_held(next_number):
    """The ``seq`` of a part held now."""

    inherit_cache = True
    column = held_parts.c.seq
    sequence = "held_parts_seq_seq"


@compiles(next_number, "postgresql")
def _next_in_sequence(element: next_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"nextval('{element.sequence}')"


@compiles(next_number, "sqlite")
def _one_more_than_largest(element: next_number, compiler: SQLCompiler, **kw: Any) -> str:
    largest = select(func.coalesce(func.max(element.column), 0) + 1).scalar_subquery()
    return str(compiler.process(largest, **kw))
