"""Interview quality: one score from 0 to 100, and the parts it is made of.

Customer development judges an interview by the evidence it got the customer to give: specific
past events, concrete costs, workarounds tried, the people involved, referrals and commitments —
not politeness or length. So the score is read off the answers' readings (see
:mod:`core.evidence`), never off the script's order, and it has two kinds of parts:

- **evidence** parts add up to 100: each is a value from 0 to 1 times its weight. A part that
  does not apply (no probe was asked) is left out and the others are scaled up to 100;
- **faults** of the interview itself only take points off: a clean interview is what it should
  be, not extra evidence.

========================  ======  ========================================================
part                      points  value
========================  ======  ========================================================
``facets``                40      of problem, occurrence, workaround, cost and people-or-frequency,
                                  how well each is evidenced by what they live (a story or how it
                                  usually is; what they imagine or think of an idea does not count):
                                  two sentences the reader is sure of cover a facet, one covers half
``stories``               25      story answers per question that asks for past facts (the
                                  frustration, specifics, workaround and impact sections), at most 1
``referrals``             15      half for a referral, half for a commitment (time, money, data,
                                  an introduction, a pilot)
``probes``                10      probes answered with substance over probes asked ("yes", a
                                  question back or a refusal is no substance); left out when no
                                  probe was asked
``customer_words``        10      the customer's share of all words, full at 80%
``substance`` (fault)     -30     times the share of answers that were minimal, declined or off
                                  topic (an answer about something else carries no evidence either)
``leading`` (fault)       -5      per leading, yes/no or hypothetical question asked before the
                                  pitch, at most -10
``pitch`` (fault)         -10     when the pitch came before any problem was heard
========================  ======  ========================================================

``facets`` and ``stories`` count from the first answer in which a problem is heard on: a
specific story about something else (a wedding, the weather) is no evidence of a problem.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.evidence import QUOTE_STRENGTH, carries_evidence, facets_heard
from core.models import AnswerRecord, InterviewState
from core.probing import word_count
from core.reading import Act, Facet

_PITCH = ("pitch", "reaction")
# Sections whose questions ask for past facts: a story is the best answer there.
_FACT_SECTIONS = ("frustration", "specifics", "workaround", "impact")
_CORE_FACETS = (Facet.PROBLEM, Facet.OCCURRENCE, Facet.WORKAROUND, Facet.COST)
FULL_WORD_SHARE = 0.8
CORROBORATED = 2  # sure sentences that cover a facet; one passing mention covers half

# Evidence parts: points when full. Faults: points taken off at worst.
WEIGHTS: dict[str, int] = {
    "facets": 40,
    "stories": 25,
    "referrals": 15,
    "probes": 10,
    "customer_words": 10,
    "substance": -30,
    "leading": -10,
    "pitch": -10,
}
LEADING_PENALTY = 5  # points per leading question
# Acts whose facets count as evidence told from experience.
_EXPERIENCE = frozenset({Act.STORY, Act.GENERAL})
_LABELS = {
    "facets": "evidence covered",
    "stories": "answers that are stories",
    "customer_words": "customer's share of words",
    "substance": "minimal, declined or off-topic answers",
    "referrals": "referrals and commitments",
    "probes": "probes answered with substance",
    "leading": "leading questions asked",
    "pitch": "pitch before any problem was heard",
}


class QualityPart(BaseModel):
    """One part of the score: its value (0-1), weight (negative for a fault), the points it gives
    or takes and what it counted."""

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
    off_topic_answers: int = 0
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
            f"{p.label}: {p.detail} ({p.points:+.0f} of {p.weight:+d})" for p in self.parts
        ]


def _part(name: str, value: float, detail: str) -> QualityPart:
    value = max(0.0, min(1.0, value))
    return QualityPart(
        name=name, value=value, weight=WEIGHTS[name], points=value * WEIGHTS[name], detail=detail
    )


def _evidence_depth(answers: Sequence[AnswerRecord]) -> dict[Facet, float]:
    """How well answers told from experience (stories and generalities) evidence each facet:
    every sentence the reader is sure carries it (as sure as a summary's quotes) counts, and
    :data:`CORROBORATED` sentences cover the facet; a single passing mention covers half."""
    counts: dict[Facet, int] = {}
    for answer in answers:
        reading = answer.reading
        if reading is None or reading.act not in _EXPERIENCE:
            continue
        for facet in reading.facets:
            sure = sum(1 for strength in reading.strengths(facet) if strength >= QUOTE_STRENGTH)
            counts[facet] = counts.get(facet, 0) + sure
    return {facet: min(1.0, count / CORROBORATED) for facet, count in counts.items() if count}


def assess(
    state: InterviewState | None,
    answers: Sequence[AnswerRecord],
    *,
    closed_questions: frozenset[str] = frozenset(),
) -> InterviewQuality:
    """The quality of one interview from its answers (read, see :func:`core.evidence.with_readings`)
    and its state (for the probes asked). ``closed_questions`` are the question texts of this
    interview that the question classifier judged not open (scripts and probes pass the lint
    before they are asked, so for Earful's own interviews it is usually empty)."""
    own = [a for a in answers if (state is None or a.interview_id == state.interview_id) and a.text.strip()]
    customer_words = sum(word_count(a.text) for a in own)
    interviewer_words = sum(word_count(a.question) for a in own)
    total = customer_words + interviewer_words
    word_share = customer_words / total if total else 0.0
    acts = [a.reading.act if a.reading is not None else None for a in own]
    minimal, declined = acts.count(Act.MINIMAL), acts.count(Act.DECLINE)
    off_topic = acts.count(Act.OFF_TOPIC)
    heard = facets_heard(own)
    problem_turns = [
        a.turn
        for a in own
        if carries_evidence(a.reading) and a.reading is not None and a.reading.has(Facet.PROBLEM)
    ]
    # Evidence is evidence of a problem: what is told before any problem is heard (a wedding, the
    # weather) says nothing about one, however specific.
    about = [a for a in own if problem_turns and a.turn >= min(problem_turns)]
    stories = sum(1 for a in about if a.reading is not None and a.reading.act == Act.STORY)
    depth = _evidence_depth(about)
    people_or_frequency = max(depth.get(Facet.PEOPLE, 0.0), depth.get(Facet.FREQUENCY, 0.0))
    covered = sum(depth.get(f, 0.0) for f in _CORE_FACETS) + people_or_frequency
    fact_questions = sum(1 for a in own if a.section in _FACT_SECTIONS and a.probe is None) or len(own)
    first_pitch = min((a.turn for a in own if a.section in _PITCH), default=None)
    pitch_before: bool | None = None
    if first_pitch is not None:
        pitch_before = not problem_turns or min(problem_turns) > first_pitch
    leading_asked = {
        a.question
        for a in own
        if (first_pitch is None or a.turn < first_pitch) and a.question in closed_questions
    }
    probe_answers = [a for a in own if a.probe is not None]
    substantive = sum(1 for a in probe_answers if carries_evidence(a.reading))
    offered = max(state.probes_offered if state is not None else 0, len(probe_answers))
    referral, commitment = Facet.REFERRAL in heard, Facet.COMMITMENT in heard
    names = [f.value for f in _CORE_FACETS if f in depth]
    names += ["people/frequency"] if people_or_frequency else []
    evidence = [
        _part("facets", covered / 5, f"{covered:g} of 5 ({', '.join(names) or 'none'})"),
        _part(
            "stories", stories / fact_questions if fact_questions else 0.0, f"{stories} of {len(own)} answers"
        ),
        _part(
            "referrals",
            0.5 * referral + 0.5 * commitment,
            f"referral {'yes' if referral else 'no'}, commitment {'yes' if commitment else 'no'}",
        ),
    ]
    if offered:
        evidence.append(_part("probes", substantive / offered, f"{substantive} of {offered} asked"))
    evidence.append(_part("customer_words", word_share / FULL_WORD_SHARE, f"{word_share:.0%}"))
    faults = [
        _part(
            "substance",
            (minimal + declined + off_topic) / len(own) if own else 0.0,
            f"{minimal} minimal, {declined} declined, {off_topic} off topic of {len(own)}",
        ),
        _part(
            "leading",
            LEADING_PENALTY * len(leading_asked) / -WEIGHTS["leading"],
            f"{len(leading_asked)} asked",
        ),
    ]
    if pitch_before is not None:
        faults.append(_part("pitch", 1.0 if pitch_before else 0.0, "yes" if pitch_before else "no"))
    scale = 100 / sum(p.weight for p in evidence)
    raw = sum(p.points for p in evidence) * scale + sum(p.points for p in faults)
    score = max(0, min(100, round(raw))) if own else 0
    parts = tuple(
        p.model_copy(update={"points": p.points * scale, "weight": round(p.weight * scale)}) for p in evidence
    )
    return InterviewQuality(
        score=score,
        parts=(*parts, *faults),
        answers=len(own),
        customer_words=customer_words,
        interviewer_words=interviewer_words,
        customer_word_share=word_share,
        story_answers=stories,
        story_share=stories / len(own) if own else 0.0,
        facets=tuple(f for f in Facet if f in heard),
        minimal_answers=minimal,
        declined_answers=declined,
        off_topic_answers=off_topic,
        leading_questions=len(leading_asked),
        pitch_asked=first_pitch is not None,
        pitch_before_problem=pitch_before,
        probes_asked=offered,
        probes_answered=substantive,
        referral=referral,
        commitment=commitment,
    )
