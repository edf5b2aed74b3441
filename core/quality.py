"""Interview quality: did the customer do the talking, about real past events, before any pitch?

Customer development judges an interview by what it got the customer to say, so the figures
here come from the stored answers alone (plus the count of probes the engine asked):

- ``customer_word_share``: the customer's words over all words exchanged (questions + answers);
- ``specific_event_share``: answers that tell of one specific past event rather than habits,
  opinions or hopes;
- ``pitch_after_frustrations``: whether every pitch answer came after every frustration,
  specifics and workaround answer (``None`` when no pitch was asked);
- ``probes_asked`` vs ``probes_answered``.

The past-event test is a heuristic over English time anchors and past-tense verbs; it favours
answers such as "last Tuesday the export failed and I ..." over "it usually fails".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.models import AnswerRecord, InterviewState
from core.probing import word_count

_BEFORE_PITCH = ("frustration", "specifics", "workaround")
_PITCH = ("pitch", "reaction")

# Words that anchor an answer to one moment in the past.
_TIME_ANCHOR = re.compile(
    r"\b(yesterday|last (week|month|year|time|night|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|quarter|spring|summer|autumn|fall|winter)|(\w+ )?(days?|weeks?|months?|years?|hours?) ago"
    r"|this (morning|week|month)|earlier (today|this)|on (monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)|in (january|february|march|april|may|june|july|august|september|october"
    r"|november|december|20\d\d)|the other day|one time|that day|that time|recently)\b",
    re.IGNORECASE,
)
# Past-tense markers: irregular verbs common in stories, and "-ed" forms.
_PAST_VERB = re.compile(
    r"\b(was|were|had|did|went|got|took|made|said|told|came|lost|spent|paid|sent|called|found"
    r"|tried|asked|wanted|needed|happened|ended|missed|failed|broke|forgot|wrote|left|gave|saw"
    r"|\w{3,}ed)\b",
    re.IGNORECASE,
)
# Talk about habits, opinions or the future, which makes an answer less of a single event.
_NOT_EVENT = re.compile(
    r"\b(would|will|could|might|maybe|usually|always|never|generally|typically|often"
    r"|every (time|day|week)|i think|i guess|in the future)\b",
    re.IGNORECASE,
)


# "-ed" words that are mostly adjectives or interview talk, not something that happened.
_NOT_PAST = frozenset(
    [
        "based",
        "related",
        "involved",
        "interested",
        "used",
        "supposed",
        "limited",
        "advanced",
        "detailed",
        "tired",
        "mentioned",
        "fashioned",
        "automated",
        "dedicated",
        "experienced",
        "skilled",
        "complicated",
        "concerned",
        "excited",
        "worried",
    ]
)


def describes_past_event(text: str) -> bool:
    """Whether ``text`` reads like the story of one specific past event."""
    anchors = len(_TIME_ANCHOR.findall(text))
    past = sum(1 for verb in _PAST_VERB.findall(text) if verb.casefold() not in _NOT_PAST)
    hedges = len(_NOT_EVENT.findall(text))
    # A time anchor plus a past verb is a story; so are several past verbs, unless outweighed
    # by talk of habits, opinions or the future.
    if anchors >= 1 and past >= 1:
        return anchors + past > hedges
    return past >= 2 + hedges


class InterviewQuality(BaseModel):
    """The quality figures of one interview (shown with its summary)."""

    model_config = ConfigDict(frozen=True)

    answers: int
    customer_words: int
    interviewer_words: int
    customer_word_share: float
    event_answers: int
    specific_event_share: float
    pitch_asked: bool
    pitch_after_frustrations: bool | None
    probes_asked: int
    probes_answered: int

    def lines(self) -> list[str]:
        """The figures as short English lines (for the terminal and reports)."""
        if self.pitch_after_frustrations is None:
            pitch = "no pitch asked"
        elif self.pitch_after_frustrations:
            pitch = "pitch only after the frustration sections"
        else:
            pitch = "PITCH CAME BEFORE THE FRUSTRATION SECTIONS WERE DONE"
        return [
            f"customer's share of words: {self.customer_word_share:.0%}",
            f"answers about a specific past event: {self.event_answers}/{self.answers}"
            f" ({self.specific_event_share:.0%})",
            pitch,
            f"probes answered: {self.probes_answered} of {self.probes_asked} asked",
        ]


def assess(state: InterviewState | None, answers: Sequence[AnswerRecord]) -> InterviewQuality:
    """Quality figures of one interview from its answers (and its state, for probes asked)."""
    own = [a for a in answers if state is None or a.interview_id == state.interview_id]
    customer_words = sum(word_count(a.text) for a in own)
    interviewer_words = sum(word_count(a.question) for a in own)
    total = customer_words + interviewer_words
    events = sum(1 for a in own if describes_past_event(a.text))
    pitch_turns = [a.turn for a in own if a.section in _PITCH]
    story_turns = [a.turn for a in own if a.section in _BEFORE_PITCH]
    after: bool | None = None
    if pitch_turns:
        after = bool(story_turns) and min(pitch_turns) > max(story_turns)
    answered = sum(1 for a in own if a.probe is not None)
    offered = state.probes_offered if state is not None else 0
    return InterviewQuality(
        answers=len(own),
        customer_words=customer_words,
        interviewer_words=interviewer_words,
        customer_word_share=customer_words / total if total else 0.0,
        event_answers=events,
        specific_event_share=events / len(own) if own else 0.0,
        pitch_asked=bool(pitch_turns),
        pitch_after_frustrations=after,
        # Older interviews did not count probes; never report fewer asked than answered.
        probes_asked=max(offered, answered),
        probes_answered=answered,
    )
