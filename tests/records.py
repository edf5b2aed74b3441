"""Answers as a Telegram interview stores them, for tests that only care about their text."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes import pseudonym

from core.models import AnswerRecord


def telegram_answer(number: int, text: str, *, team: str = "T", language: str = "en") -> AnswerRecord:
    """Answer ``number`` (its own interview and customer ``c<number>``) of ``team``, whose channel
    said it was in ``language``."""
    return AnswerRecord(
        id=f"a{number}",
        interview_id=f"iv{number}",
        team=team,
        customer=f"c{number}",
        pseudonym=pseudonym(team, "telegram", f"c{number}"),
        channel="telegram",
        question_id="q1",
        question="When did that last happen?",
        section="last_time",
        text=text,
        turn=1,
        language=language,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
