"""A persona of ONE customer, drawn from a single interview and never averaged across people.

Customer development starts from one real person: their role and context, what they are
trying to get done, what gets in the way (in their words), what they do about it today,
what it costs them, and the words they use for it (worth reusing in any later message to
people like them). Everything here is extracted verbatim from that one interview, from the
evidence its answers carry (see :mod:`core.evidence`): the role from ``role`` sentences, the
frustrations, workaround and cost from the summary, referrals and commitments on lines of
their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.errors import NotFound
from core.evidence import carries_evidence, clip
from core.models import AnswerRecord, InterviewState
from core.reading import Facet
from core.summary import Quote, quotes, summarize
from core.words import content_words, words


class Persona(BaseModel):
    """One customer's persona, from one interview."""

    model_config = ConfigDict(frozen=True)

    interview_id: str
    customer: str  # pseudonym
    team: str
    role: tuple[Quote, ...] = ()
    goals: tuple[Quote, ...] = ()
    frustrations: tuple[Quote, ...] = ()
    workaround: Quote | None = None
    cost: Quote | None = None
    referrals: tuple[Quote, ...] = ()
    commitments: tuple[Quote, ...] = ()
    their_words: tuple[str, ...] = ()
    answers: int = 0

    def sections(self) -> list[tuple[str, list[str]]]:
        """(title, lines) in reading order, for any renderer (Slack blocks, HTML, text); quote
        lines are the customer's verbatim words, the last section is their words, comma-joined."""
        return [
            ("Role and context", [q.text for q in self.role]),
            ("Goals", [q.text for q in self.goals]),
            ("Frustrations", [q.text for q in self.frustrations]),
            ("What they do about it today", [self.workaround.text] if self.workaround else []),
            ("What it costs them", [self.cost.text] if self.cost else []),
            ("Who else has it", [q.text for q in self.referrals]),
            ("What they offered", [q.text for q in self.commitments]),
            ("Words they use", [", ".join(self.their_words)] if self.their_words else []),
        ]

    def markdown(self) -> str:
        """The persona as Markdown (the CLI prints it; reports render it)."""
        lines = [f"# Persona: {self.customer}", "", f"_From one interview ({self.interview_id})._", ""]
        *quoted, (words_title, words) = self.sections()
        for title, texts in quoted:
            lines.append(f"## {title}")
            lines.extend(f"> {text}" for text in texts) if texts else lines.append("(not mentioned)")
            lines.append("")
        lines.append(f"## {words_title}")
        lines.append(words[0] if words else "(too little said)")
        return "\n".join(lines).rstrip() + "\n"


def their_words(answers: Sequence[AnswerRecord], language: str = "en", limit: int = 12) -> tuple[str, ...]:
    """The customer's own recurring words and two-word phrases in ``language``, most used first
    (a phrase only when it comes back; a word said once only to fill a short list). Answers
    that carry no evidence (questions to us, off-topic lines, refusals) are left out."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for answer in answers:
        if answer.reading is not None and not carries_evidence(answer.reading):
            continue
        content = set(content_words(answer.text, language))
        tokens = words(answer.text)
        for index, token in enumerate(tokens):
            if token not in content:
                continue
            counts[token] += 1
            first_seen.setdefault(token, len(first_seen))
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if following in content:
                phrase = f"{token} {following}"
                counts[phrase] += 1
                first_seen.setdefault(phrase, len(first_seen))
    # A phrase outranks its words at equal counts: "late fee" says more than "late".
    ranked = sorted(counts, key=lambda w: (-counts[w], -w.count(" "), first_seen[w]))
    chosen: list[str] = []
    for word in ranked:
        if counts[word] < 2 and (" " in word or len(chosen) >= limit // 2):
            continue
        if any(word in longer.split() for longer in chosen if " " in longer):
            continue  # "invoice" adds nothing once "invoice export" is in
        chosen.append(word)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def build_persona(state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3) -> Persona:
    """The persona of the customer of ``state``, from that interview's answers only.

    Raises :class:`NotFound` when the interview has no answers yet.
    """
    own = [a for a in answers if a.interview_id == state.interview_id and a.text.strip()]
    if not own:
        raise NotFound(f"interview {state.interview_id} has no answers yet: nothing to draw a persona from")
    summary = summarize(state, own, limit)
    return Persona(
        interview_id=state.interview_id,
        customer=state.pseudonym,
        team=state.team,
        role=quotes(own, Facet.ROLE, 2),
        goals=_goals(own),
        frustrations=summary.frustrations,
        workaround=summary.workaround,
        cost=summary.cost,
        referrals=summary.referrals,
        commitments=summary.commitments,
        their_words=their_words(own, _language(state, own)),
        answers=len(own),
    )


def _language(state: InterviewState, answers: Sequence[AnswerRecord]) -> str:
    """The language most answers were read in (the interview's when none was read)."""
    read = Counter(a.reading.language for a in answers if a.reading is not None)
    return read.most_common(1)[0][0] if read else state.language


def _goals(answers: Sequence[AnswerRecord]) -> tuple[Quote, ...]:
    """What they are trying to get done: their answer to the context question, when it says
    something (the reader has no facet for goals)."""
    found = [a for a in answers if a.section == "context" and carries_evidence(a.reading)]
    return tuple(
        Quote(text=clip(a.text), question_id=a.question_id, answer_id=a.id, spoken=a.spoken)
        for a in found[:2]
    )
