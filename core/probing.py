"""Follow-up probes: what to ask next about an answer, from what the answer says (its reading).

The default :class:`RuleBasedFollowUp` works offline from the reading and the wording in
``prompts/``: a generality or a hypothetical gets one ask for a specific time, a story gets
asked what it leaves out (what they did, what it cost), a minimal answer one "say more", an
opinion the facts behind it. Any other policy (an LLM through langchain, say) implements
:class:`FollowUpPolicy`; the engine still enforces the rules whatever a policy proposes: the
per-question limit, never the same kind twice in a row, never the same text twice in an
interview, never two specific-time asks in a row or one after a story, never a probe for
facets the interview already holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from core.messages import Messages
from core.reading import Act, Facet, Reading

# Probe kinds that ask for one specific time (the last time, a real time).
SPECIFIC_KINDS = frozenset({"generality", "hypothetical"})
# Sections about the customer's problem, where a generality is worth one ask for a specific
# time (what they are trying to get done, or their wishes at the pitch, are general by nature).
STORY_SECTIONS = frozenset({"frustration", "specifics", "workaround", "impact"})
# What each kind of probe is after: it is not asked once the interview holds all of it.
PROBE_SEEKS: dict[str, tuple[Facet, ...]] = {
    "generality": (Facet.OCCURRENCE,),
    "hypothetical": (Facet.OCCURRENCE,),
    "pain_action": (Facet.WORKAROUND,),
    "pain_cost": (Facet.COST,),
}


@dataclass(frozen=True)
class Probe:
    """A follow-up question: ``kind`` names the rule (or ``llm-…``), ``text`` is what is asked;
    ``specific`` when it asks for one specific time, ``seeks`` the facets it is after."""

    kind: str
    text: str
    specific: bool = False
    seeks: tuple[Facet, ...] = ()


@dataclass(frozen=True)
class ProbeContext:
    """What a policy may look at: the question, the answer and its reading, what the interview
    already holds, and the probes asked before."""

    question: str
    section: str
    answer: str
    language: str
    probes_asked: int
    limit: int
    previous_kinds: tuple[str, ...] = field(default_factory=tuple)
    reading: Reading | None = None
    covered: frozenset[Facet] = frozenset()  # facets the interview holds, this answer's included
    asked: tuple[str, ...] = ()  # every probe text asked in this interview
    may_ask_specific: bool = True  # False after a story, after a specific ask, or once asked here

    @property
    def last_kind(self) -> str | None:
        return self.previous_kinds[-1] if self.previous_kinds else None


class FollowUpPolicy(Protocol):
    """Decides whether an answer deserves a follow-up probe, and which."""

    async def propose(self, context: ProbeContext) -> Probe | None:
        """A probe to ask next, or ``None`` to move on to the next question."""
        ...


_WORD = re.compile(r"\w+", re.UNICODE)


def word_count(text: str) -> int:
    """Words in ``text``; emoji and punctuation are not words."""
    return len(_WORD.findall(text))


class RuleBasedFollowUp:
    """The offline default: rules over the answer's reading, wording from ``prompts/``."""

    def __init__(self, messages_for: Callable[[str], Messages]) -> None:
        self._messages_for = messages_for

    @staticmethod
    def candidates(context: ProbeContext) -> list[str]:
        """The probe kinds this reading calls for, most important first."""
        reading = context.reading
        if reading is None:
            return []
        covered = context.covered
        kinds: list[str] = []
        if reading.act in (Act.GENERAL, Act.HYPOTHETICAL):
            if context.may_ask_specific and context.section in STORY_SECTIONS:
                kinds.append("generality" if reading.act is Act.GENERAL else "hypothetical")
        elif reading.act is Act.STORY:
            # What the story leaves out, when it is about a problem.
            if Facet.PROBLEM in covered:
                kinds.extend(
                    kind for kind in ("pain_action", "pain_cost") if not covered.issuperset(PROBE_SEEKS[kind])
                )
        elif reading.act is Act.MINIMAL:
            kinds.append("short")
        elif reading.act is Act.OPINION:
            kinds.append("facts")
        # Each kind once per question: one "say more", then move on.
        return [kind for kind in kinds if kind not in context.previous_kinds]

    async def propose(self, context: ProbeContext) -> Probe | None:
        if context.probes_asked >= context.limit:
            return None
        wording = self._messages_for(context.language).probes
        for kind in self.candidates(context):
            phrasings: tuple[str, ...] = getattr(wording, kind)
            fresh = [text for text in phrasings if text not in context.asked]
            if fresh:
                return Probe(
                    kind=kind, text=fresh[0], specific=kind in SPECIFIC_KINDS, seeks=PROBE_SEEKS.get(kind, ())
                )
        return None
