"""A small interview, answered as a real customer would, for the insight tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.models import AnswerRecord, InterviewState, Status, pseudonym

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# (section, question_id, question, probe kind, answer)
ALICE = [
    (
        "warmup",
        "role",
        "To start, tell me a little about your role.",
        None,
        "I'm the operations lead at a small bakery chain with four shops.",
    ),
    (
        "context",
        "context",
        "What are the main things you're trying to get done?",
        None,
        "I need to get supplier invoices paid on time and keep stock counts right.",
    ),
    (
        "frustration",
        "hardest",
        "What's the hardest part about getting that done?",
        None,
        "Matching invoices to deliveries is a nightmare. The supplier portal exports broken CSV files.",
    ),
    (
        "frustration",
        "hardest",
        "Tell me about one specific time.",
        "generality",
        "Last Tuesday the export failed again and I spent three hours retyping forty invoices by hand.",
    ),
    (
        "specifics",
        "how_often",
        "How often does this come up?",
        None,
        "Every week, and our accountant gets pulled in when totals don't match.",
    ),
    (
        "workaround",
        "workaround",
        "What did you do about it?",
        None,
        "I built a spreadsheet with lookup formulas and I check each delivery note against it.",
    ),
    (
        "impact",
        "cost",
        "What does this problem cost you?",
        None,
        "About 6 hours a week, and last month we paid a 200 euro late fee.",
    ),
    (
        "pitch",
        "pitch",
        "What would have to be true for a new tool to be worth trying?",
        None,
        "It would have to read the supplier CSV without me fixing it first.",
    ),
]


def answers_for(customer: str, rows: list[tuple[str, str, str, str | None, str]], team: str = "T1",
                interview_id: str = "iv-alice") -> list[AnswerRecord]:  # fmt: skip
    """Answer records for ``rows`` in order."""
    return [
        AnswerRecord(
            id=f"{interview_id}-{turn}",
            interview_id=interview_id,
            team=team,
            customer=customer,
            pseudonym=pseudonym(team, "console", customer),
            channel="console",
            question_id=qid,
            question=question,
            section=section,
            text=text,
            probe=probe,
            turn=turn,
            created_at=T0 + timedelta(minutes=turn),
        )
        for turn, (section, qid, question, probe, text) in enumerate(rows, start=1)
    ]


def state_for(
    customer: str, team: str = "T1", interview_id: str = "iv-alice", probes: int = 2
) -> InterviewState:
    """A finished interview state."""
    return InterviewState(
        interview_id=interview_id, team=team, customer=customer, channel="console",
        script_id="discovery.en", status=Status.FINISHED, turn=len(ALICE), probes_offered=probes,
        started_at=T0,
    )  # fmt: skip
