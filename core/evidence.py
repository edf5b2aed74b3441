"""Evidence: the customer's sentences that carry each facet, taken from the answers' readings.

Summaries, personas, themes and the quality score are built from what an answer *says* (its
:class:`core.reading.Reading`), not from the section it was given in: a workaround told while
answering "what's the hardest part?" is a workaround, and "Is this a sales call?" asked in the
impact section is no cost. Answers whose act carries no evidence (a question, an off-topic
line or injection, a refusal, a "yes") give none, whatever facets a reader tagged on them.

Problems, occurrences, workarounds, costs, frequency and people are quoted only from answers
told as experience (a story, or how it usually is), never from what the customer imagines or
thinks of an idea; roles, referrals and commitments from any answer that carries evidence.

Within a facet, sentences are ranked: those telling a specific past event first (the
sentence also carries ``occurrence``, or the answer is a story), then those with a figure
(a number, money, a duration), each weighed against how sure the reader is that the sentence
carries the facet; then fuller sentences; ties keep interview order. A role is best quoted
from the warm-up answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from core.models import AnswerRecord
from core.reading import SURE, Act, AnswerReader, Facet, Reading

# Acts whose sentences are never quoted as evidence of anything.
NO_EVIDENCE = frozenset({Act.QUESTION, Act.OFF_TOPIC, Act.DECLINE, Act.MINIMAL})
# Acts that tell what the customer lives (a real time, or how it usually is): the only ones
# whose problems, workarounds and costs a summary quotes as theirs. What they imagine or think
# of an idea is no evidence of what frustrates them or what it costs them today.
EXPERIENCE = frozenset({Act.STORY, Act.GENERAL})
# Facets told only from experience count; the others (role, referral, commitment...) from any
# answer that carries evidence ("sign me up" is an opinion of the idea, and a commitment).
EXPERIENCE_FACETS = frozenset(
    {Facet.PROBLEM, Facet.OCCURRENCE, Facet.WORKAROUND, Facet.COST, Facet.FREQUENCY, Facet.PEOPLE}
)
# A sentence is quoted as evidence when the reader is sure of it (twice as likely as not).
QUOTE_STRENGTH = SURE
SPECIFIC_WORTH = 0.15  # what a past event or a figure adds to a sentence's rank (see Evidence.rank)
MAX_QUOTE = 280  # characters; longer sentences are cut at a word (still a verbatim substring)

# A figure: digits, a currency sign, or a number or unit written out (en/es/fr).
_FIGURE = re.compile(
    r"\d|[$€£¥]|\b(half|dozen|hundred|thousand|grand|hours?|days?|weeks?|months?|minutes?"
    r"|euros?|dollars?|pounds?|horas?|d[ií]as?|semanas?|mes(es)?|heures?|jours?|semaines?|mois)\b",
    re.IGNORECASE,
)


class Evidence(BaseModel):
    """One sentence of one answer that carries ``facet``."""

    model_config = ConfigDict(frozen=True)

    text: str
    facet: Facet
    act: Act
    answer_id: str
    question_id: str
    turn: int
    past_event: bool  # the sentence (or its answer) tells a specific past occurrence
    figure: bool  # it holds a number, an amount or a duration
    strength: float = 1.0  # how sure the reader is that it carries the facet (0-1)
    warmup: bool = False  # told answering the warm-up ("tell me about your role")

    @property
    def rank(self) -> tuple[float, ...]:
        """Sort key, best first. Who they are is best told where they were asked it, in their
        plainest words. Anything else: what the reader is surest of, where a specific past
        event or a figure adds 0.15 of certainty each (a founder wants the real time
        and the number, but not from a sentence that may not be about it at all); then the
        fuller sentence, then interview order."""
        if self.facet is Facet.ROLE:
            return (-int(self.warmup), -self.strength, self.turn)
        worth = self.strength + SPECIFIC_WORTH * (int(self.past_event) + int(self.figure))
        return (-worth, -min(len(self.text.split()), 25), self.turn)


def clip(sentence: str) -> str:
    """``sentence`` cut at a word to at most :data:`MAX_QUOTE` characters (verbatim)."""
    sentence = sentence.strip()
    if len(sentence) <= MAX_QUOTE:
        return sentence
    cut = sentence[:MAX_QUOTE]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def carries_evidence(reading: Reading | None) -> bool:
    """Whether an answer so read may be quoted as evidence."""
    return reading is not None and reading.act not in NO_EVIDENCE


def evidence_of(answer: AnswerRecord, facet: Facet) -> list[Evidence]:
    """The sentences of ``answer`` carrying ``facet`` (none for an answer without evidence)."""
    reading = answer.reading
    if reading is None or not carries_evidence(reading) or not reading.has(facet):
        return []
    if facet in EXPERIENCE_FACETS and reading.act not in EXPERIENCE:
        return []
    occurrences = set(reading.sentences(Facet.OCCURRENCE))
    found: list[Evidence] = []
    for sentence, strength in zip(reading.sentences(facet), reading.strengths(facet), strict=True):
        text = clip(sentence)
        if not text or text not in answer.text:
            continue  # a reader's sentence must be the customer's own words
        found.append(
            Evidence(
                text=text,
                facet=facet,
                act=reading.act,
                answer_id=answer.id,
                question_id=answer.question_id,
                turn=answer.turn,
                past_event=sentence in occurrences or reading.act == Act.STORY,
                figure=bool(_FIGURE.search(sentence)),
                strength=strength,
                warmup=answer.section == "warmup",
            )
        )
    return found


def ranked(answers: Iterable[AnswerRecord], facet: Facet, limit: int | None = None) -> list[Evidence]:
    """The best sentences carrying ``facet`` across ``answers`` (several per answer when there),
    each sentence once, the reader sure enough of each (:data:`QUOTE_STRENGTH`)."""
    seen: set[str] = set()
    found: list[Evidence] = []
    sure = (e for a in answers for e in evidence_of(a, facet) if e.strength >= QUOTE_STRENGTH)
    for item in sorted(sure, key=lambda e: e.rank):
        key = " ".join(item.text.split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        found.append(item)
    return found if limit is None else found[:limit]


def facets_heard(answers: Iterable[AnswerRecord]) -> set[Facet]:
    """Facets carried by answers that count as evidence."""
    return {
        f for a in answers if carries_evidence(a.reading) and a.reading is not None for f in a.reading.facets
    }


async def with_readings(answers: Sequence[AnswerRecord], reader: AnswerReader | None) -> list[AnswerRecord]:
    """``answers``, each with a reading: those stored without one (older interviews, imports)
    are read now by ``reader`` (kept unread when there is no reader)."""
    if reader is None:
        return list(answers)
    read: list[AnswerRecord] = []
    for answer in answers:
        if answer.reading is None and answer.text.strip():
            reading = await reader.read(answer.text, question=answer.question, language=answer.language)
            answer = answer.model_copy(update={"reading": reading})
        read.append(answer)
    return read
