"""Interview summaries: what the customer said, in their own words.

The default is extractive and offline, and built from evidence (see :mod:`core.evidence`):
the frustrations are the sentences the answer reader found carrying ``problem``, what they
do today the ``workaround`` sentences, what it costs the ``cost`` sentences — from any
answer, several per answer when they are there, specific past events and figures first, and
never from a question, an off-topic line, a refusal or a one-word answer. Referrals and
commitments get their own lines. When the customer corrected the recap at the end of the
interview, the parts their correction speaks to are theirs (it wins over the extraction).

An LLM summariser may replace this, but only when every quote it returns is found verbatim
in the transcript (see :func:`quotes_are_verbatim`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from core.evidence import MAX_QUOTE, Evidence, carries_evidence, clip, ranked
from core.models import RECAP_QUESTION, AnswerRecord, InterviewState
from core.probing import word_count
from core.quality import InterviewQuality, assess
from core.reading import Facet

__all__ = ["MAX_QUOTE", "InterviewSummary", "Quote", "Summariser", "summarize"]


class Quote(BaseModel):
    """A verbatim piece of an answer, with the question it answered."""

    model_config = ConfigDict(frozen=True)

    text: str
    question_id: str
    answer_id: str
    spoken: bool = False  # said in a voice note (the transcript, as the customer kept it)


class InterviewSummary(BaseModel):
    """The short version of one interview, as posted to the team."""

    model_config = ConfigDict(frozen=True)

    interview_id: str
    customer: str  # pseudonym
    gist: str
    frustrations: tuple[Quote, ...] = ()
    workarounds: tuple[Quote, ...] = ()
    costs: tuple[Quote, ...] = ()
    referrals: tuple[Quote, ...] = ()
    commitments: tuple[Quote, ...] = ()
    correction: Quote | None = None  # the customer's own correction of the recap
    answers: int = 0
    quality: InterviewQuality | None = None
    source: str = "extractive"  # or "llm" when a language model wrote it (quotes still verbatim)

    @property
    def workaround(self) -> Quote | None:
        """What the customer does about it today, in their words."""
        return self.workarounds[0] if self.workarounds else None

    @property
    def cost(self) -> Quote | None:
        """What it costs them, in their words."""
        return self.costs[0] if self.costs else None


# A "!" right after "<" is Slack markup typed into an answer (``<!channel>``), not a sentence end.
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=<)!)+(?:[.!?]+|$)")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each a verbatim substring of it, stripped."""
    found = [match.group(0).strip() for match in _SENTENCE.finditer(text)]
    return [sentence for sentence in found if word_count(sentence) > 0]


def quote_of(item: Evidence, spoken: bool = False) -> Quote:
    return Quote(text=item.text, question_id=item.question_id, answer_id=item.answer_id, spoken=spoken)


def quotes(answers: Sequence[AnswerRecord], facet: Facet, limit: int) -> tuple[Quote, ...]:
    """The best ``limit`` sentences carrying ``facet``, as quotes (spoken ones marked)."""
    spoken = {a.id for a in answers if a.spoken}
    return tuple(quote_of(item, item.answer_id in spoken) for item in ranked(answers, facet, limit))


def recap_correction(answers: Sequence[AnswerRecord]) -> AnswerRecord | None:
    """The customer's correction of the recap (their answer to it, when it is not a plain yes)."""
    recap = [a for a in answers if a.question_id == RECAP_QUESTION and a.text.strip()]
    if not recap:
        return None
    last = recap[-1]
    reading = last.reading
    return last if reading is None or carries_evidence(reading) else None


def _gist(frustrations: Sequence[Quote], own: Sequence[AnswerRecord]) -> str:
    evidential = [a for a in own if carries_evidence(a.reading)]
    first_sentence = next((s for a in evidential for s in sentences(a.text)), "")
    gist = frustrations[0].text if frustrations else first_sentence
    gist = " ".join(gist.split())
    return gist if len(gist) <= 160 else gist[:157].rstrip() + "..."


def summarize(state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3) -> InterviewSummary:
    """An extractive summary of one interview's (read) answers, with its quality score."""
    own = [a for a in answers if a.interview_id == state.interview_id and a.text.strip()]
    interview = [a for a in own if a.question_id != RECAP_QUESTION]
    correction = recap_correction(own)
    parts: dict[Facet, tuple[Quote, ...]] = {
        facet: quotes(interview, facet, limit)
        for facet in (Facet.PROBLEM, Facet.WORKAROUND, Facet.COST, Facet.REFERRAL, Facet.COMMITMENT)
    }
    corrected: Quote | None = None
    if correction is not None:
        corrected = Quote(
            text=clip(correction.text),
            question_id=correction.question_id,
            answer_id=correction.id,
            spoken=correction.spoken,
        )
        # The customer's word wins: each part their correction speaks to is taken from it.
        for facet in parts:
            own_words = quotes([correction], facet, limit)
            if own_words:
                parts[facet] = own_words
    return InterviewSummary(
        interview_id=state.interview_id,
        customer=state.pseudonym,
        gist=_gist(parts[Facet.PROBLEM], interview),
        frustrations=parts[Facet.PROBLEM],
        workarounds=parts[Facet.WORKAROUND],
        costs=parts[Facet.COST],
        referrals=parts[Facet.REFERRAL],
        commitments=parts[Facet.COMMITMENT],
        correction=corrected,
        answers=len(interview),
        quality=assess(state, interview),
    )


class Summariser(Protocol):
    """Writes interview summaries (the LLM adapter implements it; :func:`summarize` is the default)."""

    async def summarize(
        self, state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3
    ) -> InterviewSummary:
        """The summary of ``state``'s interview from its answers."""
        ...


def transcript_text(answers: Sequence[AnswerRecord]) -> str:
    """Every answer of an interview joined, as the reference for verbatim checks."""
    return "\n".join(a.text for a in answers)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).casefold()


def quotes_are_verbatim(summary: InterviewSummary, answers: Sequence[AnswerRecord]) -> bool:
    """Whether every quote of ``summary`` appears word for word in one of ``answers``
    (whitespace, case and curly quotes aside)."""
    texts = [_normalise(a.text) for a in answers]
    quotes = (
        *summary.frustrations,
        *summary.workarounds,
        *summary.costs,
        *summary.referrals,
        *summary.commitments,
    )
    return all(
        quote.text.strip() and any(_normalise(quote.text) in text for text in texts) for quote in quotes
    )
