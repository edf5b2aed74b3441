"""Interview summaries: what the customer said, in their own words.

The default is extractive and offline: quotes are sentences taken verbatim from the answers
of the frustration/specifics sections (top frustrations), the workaround section and any
"what did you do about it?" probe (what they do today), and the impact section and any
"what did it cost?" probe (what it costs). Sentences that name a pain, a concrete past
event or a figure (time, money, people) rank first. An LLM summariser may replace this, but
only when every quote it returns is found verbatim in the transcript (see
:func:`quotes_are_verbatim`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from core.models import AnswerRecord, InterviewState
from core.probing import word_count
from core.quality import InterviewQuality, assess, describes_past_event


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


_SECTIONS = {
    "frustrations": ("frustration", "specifics"),
    "workarounds": ("workaround",),
    "costs": ("impact",),
}
# Probe answers that belong to another part of the summary wherever they were asked.
_PROBES = {"workarounds": ("pain_action",), "costs": ("pain_cost",)}

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_PAIN = re.compile(
    r"\b(frustrat\w*|annoy\w*|hate|pain\w*|hard|difficult|struggl\w*|problem\w*|issue\w*|broke\w*|fail\w*"
    r"|wast\w*|slow|stuck|manual\w*|mess\w*|error\w*|lost|late|stress\w*|worst|tedious|confus\w*)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"(\d|\b(hours?|days?|weeks?|minutes?|dollars?|euros?|money|customers?|clients?|people|half)\b|[$€£])",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\b(spreadsheet|excel|script|manually|by hand|copy|paste|email\w*|called|asked|built|wrote|use|used"
    r"|using|tried|switched|workaround|hired|check\w*)\b",
    re.IGNORECASE,
)
MAX_QUOTE = 280  # characters; longer sentences are cut (the quote stays a verbatim substring)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each a verbatim substring of it, stripped."""
    found = [match.group(0).strip() for match in _SENTENCE.finditer(text)]
    return [sentence for sentence in found if word_count(sentence) > 0]


def _clip(sentence: str) -> str:
    if len(sentence) <= MAX_QUOTE:
        return sentence
    cut = sentence[:MAX_QUOTE]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _score(sentence: str, extra: re.Pattern[str] | None) -> float:
    words = word_count(sentence)
    score = 2.0 * len(_PAIN.findall(sentence)) + 1.5 * bool(describes_past_event(sentence))
    score += 1.0 * bool(_FIGURE.search(sentence))
    if extra is not None:
        score += 1.5 * len(extra.findall(sentence))
    # Very short sentences rarely carry a story; very long ones are hard to read as a quote.
    score += min(words, 25) / 25 - (0.5 if words < 4 else 0.0)
    return score


def best_quotes(
    answers: Iterable[AnswerRecord], limit: int, extra: re.Pattern[str] | None = None
) -> tuple[Quote, ...]:
    """The best sentence of each answer, best answers first (at most one quote per answer)."""
    candidates: list[tuple[float, int, Quote]] = []
    for answer in answers:
        scored = [(_score(s, extra), s) for s in sentences(answer.text)]
        if not scored:
            continue
        score, best = max(scored, key=lambda item: item[0])
        quote = Quote(text=_clip(best), question_id=answer.question_id, answer_id=answer.id)
        candidates.append((score, answer.turn, quote))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    return tuple(quote for _, _, quote in candidates[:limit])


def _gist(frustrations: Sequence[Quote], own: Sequence[AnswerRecord]) -> str:
    first_sentence = next((s for a in own for s in sentences(a.text)), "")
    gist = frustrations[0].text if frustrations else first_sentence
    gist = " ".join(gist.split())
    return gist if len(gist) <= 160 else gist[:157].rstrip() + "..."


def summarize(state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3) -> InterviewSummary:
    """An extractive summary of one interview's answers, with its quality figures."""
    own = [a for a in answers if a.interview_id == state.interview_id and a.text.strip()]

    def part(name: str) -> list[AnswerRecord]:
        return [a for a in own if a.section in _SECTIONS[name] or a.probe in _PROBES.get(name, ())]

    frustrations = best_quotes(
        [a for a in part("frustrations") if a.probe not in ("pain_action", "pain_cost")], limit
    )
    return InterviewSummary(
        interview_id=state.interview_id,
        customer=state.pseudonym,
        gist=_gist(frustrations, own),
        frustrations=frustrations,
        workarounds=best_quotes(part("workarounds"), limit, _ACTION),
        costs=best_quotes(part("costs"), limit, _FIGURE),
        answers=len(own),
        quality=assess(state, own),
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
    quotes = (*summary.frustrations, *summary.workarounds, *summary.costs)
    return all(
        quote.text.strip() and any(_normalise(quote.text) in text for text in texts) for quote in quotes
    )
