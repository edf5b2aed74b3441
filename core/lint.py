"""The open-question lint: before the pitch, no leading, yes/no or hypothetical questions.

Customer discovery depends on asking about what people did, not what they might do or what
they think of our idea. A question that invites a polite "yes" teaches nothing, so scripts
(and any probe an LLM proposes) are checked against these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.script import Script, SectionKind

# Each rule: (reason, pattern). Patterns look at the start of a sentence, case-insensitive.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "hypothetical: asks about an imagined future, not a past event",
        re.compile(
            r"\bwould you\b|\bwill you\b|^if you (could|had|were)"
            r"|^imagine|^what if|^suppose|^would it|^could you see yourself|^are you going to"
            r"|^how likely|^would (this|that|it)",
            re.I,
        ),
    ),
    (
        "leading: suggests the answer it wants",
        re.compile(
            r"^(don't|doesn't|didn't|isn't|aren't|wasn't|wouldn't|won't|shouldn't|can't|couldn't)\b"
            r"|^do you (like|love|agree|want|need)\b|^(how much|how great|how amazing)"
            r"\b.*\b(like|love)\b|\b(right|isn't it|don't you think|wouldn't you agree)\?$",
            re.I,
        ),
    ),
    (
        "yes/no: can be answered with one word; ask what, how or tell me about",
        re.compile(
            r"^(do|does|did|is|are|was|were|have|has|had|should|shall|may|might|must)\b"
            r"|^(can|could) (you|it|they|we)\b(?! (tell|walk|describe|share|explain|show|say|give))",
            re.I,
        ),
    ),
)

_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True)
class LintFinding:
    """One rejected question: its id, the offending sentence and why."""

    question_id: str
    sentence: str
    reason: str

    def __str__(self) -> str:
        return f"question '{self.question_id}': {self.reason}: \"{self.sentence}\""


def question_problem(text: str) -> tuple[str, str] | None:
    """The first (sentence, reason) that makes ``text`` a closed question, or ``None`` if open."""
    for sentence in _SENTENCE_SPLIT.split(text.strip()):
        cleaned = sentence.strip().strip("\"'“”‘’ ").replace("’", "'")
        for reason, pattern in _RULES:
            if pattern.search(cleaned):
                return sentence.strip(), reason
    return None


def lint_script(script: Script) -> list[LintFinding]:
    """Every question before the first pitch section that is leading, yes/no or hypothetical."""
    findings: list[LintFinding] = []
    for section in script.sections:
        if section.kind is SectionKind.PITCH:
            break
        for question in section.questions:
            problem = question_problem(question.text)
            if problem is not None:
                findings.append(LintFinding(question.id, problem[0], problem[1]))
    return findings
