"""What an answer says: its act, its facets and the sentences that carry them.

The interviewer listens: before the engine decides what to ask next, an :class:`AnswerReader`
reads the customer's answer into a :class:`Reading`. The definitions of the acts and facets
are the contract of ``shared/data/answers/README.md``; in short:

- one **act**, the answer's dominant mode (what matters for the next move);
- a set of **facets**, what the answer tells us whatever the question was;
- for each facet the customer's own sentences that carry it (for quotes, and for
  reflecting the customer's words back in a follow-up).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

# How sure a reader must be that a sentence carries a facet for the interview to act on it and
# for a summary to quote it: twice as likely as not. A founder reads quotes as facts, and a
# customer hears a follow-up quoting words they did not mean as not being listened to.
SURE = 2 / 3


class Act(StrEnum):
    """The answer's dominant mode."""

    STORY = "story"  # a specific past occurrence
    GENERAL = "general"  # how things usually are
    HYPOTHETICAL = "hypothetical"  # what they would or might do, want or expect
    OPINION = "opinion"  # judgments of an idea, product or tool, without facts
    MINIMAL = "minimal"  # too short to carry content
    QUESTION = "question"  # asks the interviewer something, or did not understand
    OFF_TOPIC = "off_topic"  # unrelated, including instructions aimed at the bot
    DECLINE = "decline"  # refuses this question, or wants to skip or stop


class Facet(StrEnum):
    """What an answer tells us."""

    ROLE = "role"
    PROBLEM = "problem"
    OCCURRENCE = "occurrence"
    FREQUENCY = "frequency"
    PEOPLE = "people"
    WORKAROUND = "workaround"
    COST = "cost"
    REFERRAL = "referral"
    COMMITMENT = "commitment"


class Reading(BaseModel):
    """One answer as read: stored with the answer in the system of record."""

    model_config = ConfigDict(frozen=True)

    act: Act
    facets: tuple[Facet, ...] = ()  # in Facet order, no repeats
    language: str = "en"  # ISO 639-1
    # The customer's sentences that carry each facet, verbatim, the plainest first (as the reader
    # judges; a reader with no such judgment keeps answer order).
    evidence: dict[Facet, tuple[str, ...]] = Field(default_factory=dict)
    # How sure the reader is that each of those sentences carries the facet (0-1), in the same
    # order; empty when the reader does not say (every sentence then counts as plain).
    strength: dict[Facet, tuple[float, ...]] = Field(default_factory=dict)
    reader: str = ""  # which reader produced it ("offline", "llm", ...), for evaluation

    def has(self, facet: Facet) -> bool:
        return facet in self.facets

    def sentences(self, facet: Facet) -> tuple[str, ...]:
        """The sentences carrying ``facet`` (empty when the answer does not carry it)."""
        return self.evidence.get(facet, ())

    def sure(self, facet: Facet) -> tuple[str, ...]:
        """The sentences carrying ``facet`` that the reader is sure of (:data:`SURE`)."""
        return tuple(
            s for s, p in zip(self.sentences(facet), self.strengths(facet), strict=True) if p >= SURE
        )

    @property
    def sure_facets(self) -> tuple[Facet, ...]:
        """The facets some sentence carries for sure: what the interview acts on (skips a
        question, quotes the customer, hands out an invite)."""
        return tuple(facet for facet in self.facets if self.sure(facet))

    def strengths(self, facet: Facet) -> tuple[float, ...]:
        """How sure the reader is of each of :meth:`sentences` (1.0 each when it does not say)."""
        given = self.strength.get(facet, ())
        sentences = self.sentences(facet)
        return given if len(given) == len(sentences) else tuple(1.0 for _ in sentences)


class AnswerReader(Protocol):
    """Reads one answer given the question it answers."""

    async def read(self, answer: str, *, question: str, language: str | None = None) -> Reading:
        """The reading of ``answer``; ``language`` is the interview's language, a hint only."""
        ...

    async def warm_up(self) -> None:
        """Load what reading needs (a model, a language detector) now, so that the first answer
        after a start does not wait for it."""
        ...
