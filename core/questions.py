"""What kind of question a sentence asks, and which kinds each section of a script may ask.

The Mom Test: ask about the customer's life and specific past events, never about our idea.
Before the pitch only open questions teach anything; at the pitch (and the reaction to it,
and the wrap-up after it) an ask for a concrete next step that costs the customer something
(a demo slot, an introduction, a pilot with their data) is welcome too. Everything else
(compliments, prices, ratings, feature wishes, hypotheticals, leading and yes/no questions)
invites a polite answer that means nothing. Definitions: ``shared/data/questions/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.script import SectionKind


class QuestionKind(StrEnum):
    """The kinds of question a script or a probe can ask."""

    OPEN = "open"
    LEADING = "leading"
    YES_NO = "yes_no"
    HYPOTHETICAL = "hypothetical"
    RATING = "rating"
    PRICE = "price"
    COMPLIMENT = "compliment"
    SOLUTION = "solution"
    COMMITMENT = "commitment"


@dataclass(frozen=True)
class QuestionReading:
    """A question's kind and the sentence that makes it so (the whole text when it is open)."""

    kind: QuestionKind
    sentence: str


class QuestionClassifier(Protocol):
    """Reads a whole question (a preamble, several sentences, polite forms) and says its kind."""

    async def classify(self, text: str, *, language: str | None = None) -> QuestionReading:
        """The kind of ``text``; ``language`` (ISO 639-1) when known, else the classifier guesses."""
        ...


# Sections where a commitment ask is a good question: the pitch, the reaction to it, and
# the wrap-up (asking for an introduction to someone else with the problem).
COMMITMENT_SECTIONS = frozenset({SectionKind.PITCH, SectionKind.REACTION, SectionKind.WRAPUP})
_OPEN_ONLY = frozenset({QuestionKind.OPEN})
_OPEN_OR_COMMITMENT = frozenset({QuestionKind.OPEN, QuestionKind.COMMITMENT})


def allowed_kinds(section: SectionKind | str) -> frozenset[QuestionKind]:
    """The kinds a question in a section of this kind may be (an unknown section: open only)."""
    try:
        kind = SectionKind(section)
    except ValueError:
        return _OPEN_ONLY
    return _OPEN_OR_COMMITMENT if kind in COMMITMENT_SECTIONS else _OPEN_ONLY


def is_allowed(kind: QuestionKind, section: SectionKind | str) -> bool:
    """Whether a question of ``kind`` teaches something in ``section``."""
    return kind in allowed_kinds(section)


def is_pitch_section(section: SectionKind | str) -> bool:
    """Whether ``section`` is where commitments are welcome (how the measuring file's
    ``pitch`` section maps onto a script)."""
    return allowed_kinds(section) == _OPEN_OR_COMMITMENT
