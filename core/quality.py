"""Interview quality: one score from 0 to 100, and the parts it is made of.

Customer development judges an interview by the evidence it got the customer to give, so the
score is read off the answers' readings (see :mod:`core.evidence`), never off the script's
order. Each part is a value from 0 to 1 times a weight chosen for what it means (the weights
sum to 100; a part that does not apply, such as the pitch when none was asked, is left out and
the rest scaled up to 100):

====================  ======  ============================================================
part                  weight  value
====================  ======  ============================================================
``facets``            35      of problem, occurrence, workaround, cost and people-or-frequency,
                              the share the customer gave (the evidence a founder needs)
``stories``           15      story answers per question that asks for past facts (the
                              frustration, specifics, workaround and impact sections), at most 1
``customer_words``    10      the customer's share of all words, full at 80% (they talk, we listen)
``substance``         10      1 minus the share of answers that were minimal or declined
``referrals``         10      5 for a referral, 5 for a commitment (time, money, data, an intro)
``probes``            10      probes answered with substance over probes asked ("yes" is no
                              substance); left out when no probe was asked
``leading``           5       1 without leading, yes/no or hypothetical questions before the
                              pitch, 0.5 with one, 0 with more
``pitch``             5       1 when the pitch came after the first problem was heard; left
                              out when no pitch was asked
====================  ======  ============================================================
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.evidence import carries_evidence, facets_heard
from core.lint import question_problem
from core.models import AnswerRecord, InterviewState
from core.probing import word_count
from core.reading import Act, Facet

_PITCH = ("pitch", "reaction")
# Sections whose questions ask for past facts: a story is the best answer there.
_FACT_SECTIONS = ("frustration", "specifics", "workaround", "impact")
_CORE_FACETS = (Facet.PROBLEM, Facet.OCCURRENCE, Facet.WORKAROUND, Facet.COST)
FULL_WORD_SHARE = 0.8

WEIGHTS: dict[str, int] = {
    "facets": 35,
    "stories": 15,
    "customer_words": 10,
    "substance": 10,
    "referrals": 10,
    "probes": 10,
    "leading": 5,
    "pitch": 5,
}
_LABELS = {
    "facets": "evidence covered",
    "stories": "answers that are stories",
    "customer_words": "customer's share of words",
    "substance": "minimal or declined answers",
    "referrals": "referrals and commitments",
    "probes": "probes answered with substance",
    "leading": "leading questions asked",
    "pitch": "pitch after a problem was heard",
}


class QualityPart(BaseModel):
    """One part of the score: its value (0-1), weight, the points it gives and what it counted."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float
    weight: int
    points: float
    detail: str

    @property
    def label(self) -> str:
        return _LABELS[self.name]


class InterviewQuality(BaseModel):
    """The quality of one interview (shown with its summary)."""

    model_config = ConfigDict(frozen=True)

    score: int  # 0-100
    parts: tuple[QualityPart, ...]
    answers: int
    customer_words: int
    interviewer_words: int
    customer_word_share: float
    story_answers: int
    story_share: float
    facets: tuple[Facet, ...]
    minimal_answers: int
    declined_answers: int
    leading_questions: int
    pitch_asked: bool
    pitch_before_problem: bool | None  # None when no pitch was asked
    probes_asked: int
    probes_answered: int  # with substance
    referral: bool
    commitment: bool

    def part(self, name: str) -> QualityPart | None:
        return next((p for p in self.parts if p.name == name), None)

    def lines(self) -> list[str]:
        """The score and its parts as short English lines (for the terminal and reports)."""
        return [f"quality score: {self.score}/100"] + [
            f"{p.label}: {p.detail} ({p.points:.0f}/{p.weight})" for p in self.parts
        ]


def _part(name: str, value: float, detail: str) -> QualityPart:
    value = max(0.0, min(1.0, value))
    return QualityPart(
        name=name, value=value, weight=WEIGHTS[name], points=value * WEIGHTS[name], detail=detail
    )


def assess(state: InterviewState | None, answers: Sequence[AnswerRecord]) -> InterviewQuality:
    """The quality of one interview from its answers (read, see :func:`core.evidence.with_readings`)
    and its state (for the probes asked)."""
    own = [a for a in answers if (state is None or a.interview_id == state.interview_id) and a.text.strip()]
    customer_words = sum(word_count(a.text) for a in own)
    interviewer_words = sum(word_count(a.question) for a in own)
    total = customer_words + interviewer_words
    word_share = customer_words / total if total else 0.0
    acts = [a.reading.act if a.reading is not None else None for a in own]
    stories = acts.count(Act.STORY)
    minimal, declined = acts.count(Act.MINIMAL), acts.count(Act.DECLINE)
    heard = facets_heard(own)
    core = [f for f in _CORE_FACETS if f in heard]
    people_or_frequency = Facet.PEOPLE in heard or Facet.FREQUENCY in heard
    covered = len(core) + people_or_frequency
    fact_questions = sum(1 for a in own if a.section in _FACT_SECTIONS and a.probe is None) or len(own)
    first_pitch = min((a.turn for a in own if a.section in _PITCH), default=None)
    problem_turns = [
        a.turn
        for a in own
        if carries_evidence(a.reading) and a.reading is not None and a.reading.has(Facet.PROBLEM)
    ]
    pitch_before: bool | None = None
    if first_pitch is not None:
        pitch_before = not problem_turns or min(problem_turns) > first_pitch
    leading_asked = {
        a.question
        for a in own
        if (first_pitch is None or a.turn < first_pitch) and question_problem(a.question)
    }
    probe_answers = [a for a in own if a.probe is not None]
    substantive = sum(1 for a in probe_answers if carries_evidence(a.reading))
    offered = max(state.probes_offered if state is not None else 0, len(probe_answers))
    referral, commitment = Facet.REFERRAL in heard, Facet.COMMITMENT in heard
    names = [f.value for f in _CORE_FACETS if f in heard] + (
        ["people/frequency"] if people_or_frequency else []
    )
    parts = [
        _part("facets", covered / 5, f"{covered} of 5 ({', '.join(names) or 'none'})"),
        _part(
            "stories", stories / fact_questions if fact_questions else 0.0, f"{stories} of {len(own)} answers"
        ),
        _part("customer_words", word_share / FULL_WORD_SHARE, f"{word_share:.0%}"),
        _part(
            "substance",
            1 - (minimal + declined) / len(own) if own else 0.0,
            f"{minimal} minimal, {declined} declined",
        ),
        _part(
            "referrals",
            0.5 * referral + 0.5 * commitment,
            f"referral {'yes' if referral else 'no'}, commitment {'yes' if commitment else 'no'}",
        ),
    ]
    if offered:
        parts.append(_part("probes", substantive / offered, f"{substantive} of {offered} asked"))
    parts.append(_part("leading", 1 - 0.5 * len(leading_asked), f"{len(leading_asked)} asked"))
    if pitch_before is not None:
        parts.append(
            _part(
                "pitch",
                0.0 if pitch_before else 1.0,
                "before any problem" if pitch_before else "after a problem",
            )
        )
    weight = sum(p.weight for p in parts)
    score = round(100 * sum(p.points for p in parts) / weight) if own else 0
    return InterviewQuality(
        score=score,
        parts=tuple(parts),
        answers=len(own),
        customer_words=customer_words,
        interviewer_words=interviewer_words,
        customer_word_share=word_share,
        story_answers=stories,
        story_share=stories / len(own) if own else 0.0,
        facets=tuple(f for f in Facet if f in heard),
        minimal_answers=minimal,
        declined_answers=declined,
        leading_questions=len(leading_asked),
        pitch_asked=first_pitch is not None,
        pitch_before_problem=pitch_before,
        probes_asked=offered,
        probes_answered=substantive,
        referral=referral,
        commitment=commitment,
    )
