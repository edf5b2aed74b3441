"""Interview summaries: what the customer said, in their own words.

The default is extractive and offline: quotes are taken verbatim from the answers of the
frustration, workaround and impact sections.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.models import AnswerRecord, InterviewState


class Quote(BaseModel):
    """A verbatim piece of an answer, with the question it answered."""

    model_config = ConfigDict(frozen=True)

    text: str
    question_id: str
    answer_id: str


class InterviewSummary(BaseModel):
    """The short version of one interview, as posted to the team."""

    model_config = ConfigDict(frozen=True)

    interview_id: str
    customer: str  # pseudonym
    gist: str
    frustrations: tuple[Quote, ...] = ()
    workarounds: tuple[Quote, ...] = ()
    costs: tuple[Quote, ...] = ()
    answers: int = 0


_SECTIONS = {
    "frustrations": ("frustration", "specifics"),
    "workarounds": ("workaround",),
    "costs": ("impact",),
}


def _quotes(answers: Sequence[AnswerRecord], sections: tuple[str, ...], limit: int) -> tuple[Quote, ...]:
    chosen = [a for a in answers if a.section in sections and a.text.strip()]
    # Longer answers usually carry the story; keep interview order among the chosen ones.
    best = sorted(chosen, key=lambda a: -len(a.text))[:limit]
    best.sort(key=lambda a: a.turn)
    return tuple(Quote(text=a.text.strip(), question_id=a.question_id, answer_id=a.id) for a in best)


def summarize(state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3) -> InterviewSummary:
    """An extractive summary of one interview's answers."""
    own = [a for a in answers if a.interview_id == state.interview_id]
    frustrations = _quotes(own, _SECTIONS["frustrations"], limit)
    gist = frustrations[0].text if frustrations else (own[0].text if own else "")
    if len(gist) > 160:
        gist = gist[:157].rstrip() + "..."
    return InterviewSummary(
        interview_id=state.interview_id,
        customer=state.pseudonym,
        gist=gist,
        frustrations=frustrations,
        workarounds=_quotes(own, _SECTIONS["workarounds"], limit),
        costs=_quotes(own, _SECTIONS["costs"], limit),
        answers=len(own),
    )
