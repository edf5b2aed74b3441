"""Follow-up probes: when an answer is vague, hypothetical or short, ask for the real story.

The default :class:`RuleBasedFollowUp` works offline from word lists in ``prompts/``.
Any other policy (an LLM through langchain, say) implements :class:`FollowUpPolicy`; the
engine still enforces the per-question limit and never repeats the same kind of probe twice
in a row, whatever a policy proposes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from core.messages import Messages


@dataclass(frozen=True)
class Probe:
    """A follow-up question: ``kind`` names the rule (or ``llm``), ``text`` is what is asked."""

    kind: str
    text: str


@dataclass(frozen=True)
class ProbeContext:
    """What a policy may look at: the question, the answer just given and earlier probes."""

    question: str
    section: str
    answer: str
    language: str
    probes_asked: int
    limit: int
    previous_kinds: tuple[str, ...] = field(default_factory=tuple)

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
    """The offline default: hypothetical -> last time; generality -> one specific time;
    pain words -> what did you do / what did it cost; very short -> can you say more."""

    def __init__(self, messages_for: Callable[[str], Messages]) -> None:
        self._messages_for = messages_for
        self._patterns: dict[str, dict[str, re.Pattern[str]]] = {}

    def _compiled(self, messages: Messages) -> dict[str, re.Pattern[str]]:
        cached = self._patterns.get(messages.language)
        if cached is None:
            vocabulary = messages.vocabulary
            cached = {
                name: re.compile(r"(?<!\w)(" + "|".join(words) + r")", re.IGNORECASE)
                for name, words in (
                    ("hypothetical", vocabulary.hypothetical),
                    ("generality", vocabulary.generality),
                    ("pain", vocabulary.pain),
                    ("action", vocabulary.action),
                    ("cost", vocabulary.cost),
                )
            }
            self._patterns[messages.language] = cached
        return cached

    def candidates(self, context: ProbeContext) -> list[str]:
        """Every rule that fires for this answer, most important first."""
        messages = self._messages_for(context.language)
        patterns = self._compiled(messages)
        answer = context.answer
        kinds: list[str] = []
        if patterns["hypothetical"].search(answer):
            kinds.append("hypothetical")
        if patterns["generality"].search(answer):
            kinds.append("generality")
        if patterns["pain"].search(answer):
            if not patterns["action"].search(answer) and "pain_action" not in context.previous_kinds:
                kinds.append("pain_action")
            if not patterns["cost"].search(answer) and "pain_cost" not in context.previous_kinds:
                kinds.append("pain_cost")
        if word_count(answer) < messages.vocabulary.short_answer_words:
            kinds.append("short")
        return kinds

    async def propose(self, context: ProbeContext) -> Probe | None:
        if context.probes_asked >= context.limit:
            return None
        for kind in self.candidates(context):
            if kind == context.last_kind:
                continue
            wording: tuple[str, ...] = getattr(self._messages_for(context.language).probes, kind)
            used = context.previous_kinds.count(kind)
            return Probe(kind=kind, text=wording[used % len(wording)])
        return None
