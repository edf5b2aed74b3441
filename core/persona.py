"""A persona of ONE customer, drawn from a single interview and never averaged across people.

Customer development starts from one real person: their role and context, what they are
trying to get done, what gets in the way (in their words), what they do about it today,
what it costs them, and the words they use for it (worth reusing in any later message to
people like them). Everything here is extracted verbatim from that one interview.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.errors import NotFound
from core.models import AnswerRecord, InterviewState
from core.summary import Quote, best_quotes, summarize

_GOAL = re.compile(
    r"\b(trying to|try to|want\w*|need\w*|goal\w*|aim\w*|have to|must|get \w+ done|responsible|my job)\b",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\b(i am|i'm|i work|i run|i lead|i manage|my role|my job|as a|as an|we are|we're)\b", re.IGNORECASE
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Function words and interview filler: never "the words they use".
_STOPWORD_TEXT = """a about above after again all also am an and any are aren't as at be because
    been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further get gets got had hadn't has hasn't have haven't having he her
    here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself
    just let's like lot lots me more most much my myself no nor not now of off on once one only or
    other our ours ourselves out over own really same she should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they're this those through
    to too under until up us very was wasn't we we're were weren't what what's when where which while
    who whom why will with won't would wouldn't you you're your yours yourself yeah yes okay ok well
    thing things stuff kind sort maybe actually basically usually always never every everything
    something anything someone people time times day days make made go going went come came take
    took know think thought say said tell told way even still though back getting done want need
    trying try mean pretty quite bit little many whole"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


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
            ("Words they use", [", ".join(self.their_words)] if self.their_words else []),
        ]

    def markdown(self) -> str:
        """The persona as Markdown (the CLI prints it; reports render it)."""
        lines = [f"# Persona: {self.customer}", "", f"_From one interview ({self.interview_id})._", ""]
        *quoted, (words_title, words) = self.sections()
        for title, texts in quoted:
            lines.append(f"## {title}")
            lines.extend(f"> {text}" for text in texts) if texts else lines.append("(not said)")
            lines.append("")
        lines.append(f"## {words_title}")
        lines.append(words[0] if words else "(too little said)")
        return "\n".join(lines).rstrip() + "\n"


def their_words(answers: Sequence[AnswerRecord], limit: int = 12) -> tuple[str, ...]:
    """The customer's own recurring words and two-word phrases, most used first (a phrase only
    when it comes back; a word said once only to fill a short list)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for answer in answers:
        tokens = [t.casefold().strip("'-") for t in _TOKEN.findall(answer.text)]
        for index, token in enumerate(tokens):
            if token in STOPWORDS or len(token) < 3:
                continue
            counts[token] += 1
            first_seen.setdefault(token, len(first_seen))
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if following and following not in STOPWORDS and len(following) > 2:
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
    warmup = [a for a in own if a.section in ("warmup", "context")]
    role = best_quotes([a for a in warmup if a.section == "warmup"] or warmup[:1], 2, _ROLE)
    goals = best_quotes([a for a in own if a.section == "context"], 2, _GOAL)
    return Persona(
        interview_id=state.interview_id,
        customer=state.pseudonym,
        team=state.team,
        role=role,
        goals=goals,
        frustrations=summary.frustrations,
        workaround=summary.workaround,
        cost=summary.cost,
        their_words=their_words(own),
        answers=len(own),
    )
