"""Transcripts and overviews never cross teams."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes import MemorySessionStore

from core.errors import AccessDenied, NotFound
from core.models import AnswerRecord, InterviewState, Status
from core.team_views import frequent_words, team_overview, team_transcript

WHEN = datetime(2026, 5, 1, tzinfo=UTC)


def _answer(team: str, interview: str, turn: int, text: str, section: str = "frustration") -> AnswerRecord:
    return AnswerRecord(
        id=f"{interview}-{turn}",
        interview_id=interview,
        team=team,
        customer="c",
        pseudonym="P",
        channel="slack",
        question_id="q",
        question="Q?",
        section=section,
        text=text,
        turn=turn,
        created_at=WHEN,
    )


async def test_a_transcript_is_refused_to_another_team() -> None:
    store = MemorySessionStore()
    await store.create(
        InterviewState(interview_id="i1", team="TA", customer="c", channel="slack", script_id="s")
    )
    await store.add_answers([_answer("TA", "i1", 2, "second"), _answer("TA", "i1", 1, "first")])
    await store.add_answers([_answer("TB", "imported", 1, "B's words")])
    state, answers = await team_transcript(store, "TA", "i1")
    assert state is not None and [a.text for a in answers] == ["first", "second"]
    with pytest.raises(AccessDenied):
        await team_transcript(store, "TB", "i1")
    with pytest.raises(AccessDenied):  # imported: no interview state, the answers' team decides
        await team_transcript(store, "TA", "imported")
    with pytest.raises(NotFound):
        await team_transcript(store, "TA", "nope")


async def test_the_overview_counts_one_team_and_its_frustration_words() -> None:
    store = MemorySessionStore()
    for n, (team, status) in enumerate(
        [("TA", Status.ACTIVE), ("TA", Status.PAUSED), ("TA", Status.FINISHED), ("TB", Status.ACTIVE)]
    ):
        await store.create(
            InterviewState(
                interview_id=f"i{n}",
                team=team,
                customer=f"c{n}",
                channel="slack",
                script_id="s",
                status=status,
                updated_at=WHEN,
            )
        )
    await store.add_answers(
        [
            _answer("TA", "i0", 1, "Exports are slow and the exports fail"),
            _answer("TA", "i1", 1, "Slow exports again"),
            _answer("TA", "i1", 2, "I use a spreadsheet", "workaround"),
            _answer("TB", "i3", 1, "Secret competitor words"),
        ]
    )
    overview = await team_overview(store, "TA", ["and", "the", "again", "are"])
    assert (overview.open, overview.finished, overview.paused) == (1, 1, 1)
    assert {state.team for state in overview.latest} == {"TA"}
    assert overview.frustration_words[:2] == (("exports", 2), ("slow", 2))
    assert "spreadsheet" not in dict(overview.frustration_words) and "secret" not in dict(
        overview.frustration_words
    )
    assert frequent_words(["Hi hi <!channel>"], []) == [("channel", 1)]
