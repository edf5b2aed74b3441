"""Answers as interviews store them, for tests that only care about their text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes import pseudonym

from core.models import AnswerRecord, InterviewState


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


def answer_in(state: InterviewState, turn: int, text: str, started: datetime) -> AnswerRecord:
    """The answer of ``turn`` in ``state``'s interview, given ``turn`` seconds after ``started``,
    with the id the service gives it."""
    return AnswerRecord(
        id=f"{state.interview_id}-{turn:04d}",
        interview_id=state.interview_id,
        team=state.team,
        customer=state.customer,
        pseudonym=state.pseudonym,
        channel=state.channel,
        question_id=f"q{turn}",
        question="What was hard?",
        section="frustration",
        text=text,
        turn=turn,
        created_at=started + timedelta(seconds=turn),
    )
