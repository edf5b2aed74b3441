"""A small interview, answered as a real customer would, for the insight tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes import pseudonym

from core.models import AnswerRecord, InterviewState, Status
from core.reading import Act, Facet, Reading

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


def reading(act: str, language: str = "en", **facets: str | list[str]) -> Reading:
    """The reading a reader would give: ``reading("story", problem="It broke.", occurrence=[...])``."""
    evidence = {Facet(name): (tuple(v) if isinstance(v, list) else (v,)) for name, v in facets.items()}
    return Reading(
        act=Act(act),
        facets=tuple(f for f in Facet if f in evidence),
        language=language,
        evidence=evidence,
        reader="test",
    )


# What a reader finds in ALICE's answers (by answer text).
ALICE_READINGS = {
    ALICE[0][4]: reading("general", role=ALICE[0][4]),
    ALICE[1][4]: reading("general"),
    ALICE[2][4]: reading(
        "general",
        problem=[
            "Matching invoices to deliveries is a nightmare.",
            "The supplier portal exports broken CSV files.",
        ],
    ),
    ALICE[3][4]: reading("story", problem=ALICE[3][4], occurrence=ALICE[3][4], cost=ALICE[3][4]),
    ALICE[4][4]: reading("general", frequency=ALICE[4][4], people=ALICE[4][4]),
    ALICE[5][4]: reading("general", workaround=ALICE[5][4]),
    ALICE[6][4]: reading("story", cost=ALICE[6][4], occurrence=ALICE[6][4]),
    ALICE[7][4]: reading("hypothetical"),
}


def answers_for(customer: str, rows: list[tuple[str, str, str, str | None, str]], team: str = "T1",
                interview_id: str = "iv-alice", readings: dict[str, Reading] | None = None,
                ) -> list[AnswerRecord]:  # fmt: skip
    """Answer records for ``rows`` in order, with the readings of ``readings`` (by text; ALICE's
    by default) attached."""
    known = ALICE_READINGS if readings is None else readings
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
            reading=known.get(text),
        )
        for turn, (section, qid, question, probe, text) in enumerate(rows, start=1)
    ]


def state_for(
    customer: str, team: str = "T1", interview_id: str = "iv-alice", probes: int = 2
) -> InterviewState:
    """A finished interview state."""
    return InterviewState(
        interview_id=interview_id, team=team, customer=customer, channel="console",
        pseudonym=pseudonym(team, "console", customer), script_id="discovery.en", status=Status.FINISHED,
        turn=len(ALICE), probes_offered=probes,
        started_at=T0,
    )  # fmt: skip
