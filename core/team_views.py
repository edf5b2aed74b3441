"""What a team may read about its own interviews: one transcript, and an overview.

Both are scoped to one team: a transcript of another team's interview is refused with
:class:`AccessDenied`, whatever the caller knows of its id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from core.errors import AccessDenied, NotFound
from core.evidence import with_readings
from core.models import AnswerRecord, InterviewState, Status
from core.ports import SessionStore
from core.quality import assess
from core.reading import AnswerReader

_WORD = re.compile(r"[^\W\d_][\w'-]{2,}", re.UNICODE)
FRUSTRATION_SECTIONS = ("frustration", "specifics")
# Stories themes are drawn from: told frustrations, and imported stories (which carry none).
THEME_SECTIONS = (*FRUSTRATION_SECTIONS, "imported")


async def team_transcript(
    sessions: SessionStore, team: str, interview_id: str, *, reader: AnswerReader | None = None
) -> tuple[InterviewState | None, list[AnswerRecord]]:
    """The answers of one interview, in order, if it belongs to ``team`` (those stored without a
    reading read by ``reader`` when one is given).

    Imported stories have answers but no interview state, so the team is checked on both.
    Raises :class:`NotFound` when nothing is stored and :class:`AccessDenied` across teams.
    """
    state = await sessions.get(interview_id)
    if state is not None and state.team != team:
        raise AccessDenied("that interview belongs to another team")
    answers = await sessions.answers(interview_id=interview_id)
    if any(answer.team != team for answer in answers):
        raise AccessDenied("that interview belongs to another team")
    if state is None and not answers:
        raise NotFound(f"no interview '{interview_id}'")
    return state, sorted(await with_readings(answers, reader), key=lambda answer: answer.turn)


class TeamOverview(BaseModel):
    """Counts and recent activity of one team, as shown on a home screen."""

    model_config = ConfigDict(frozen=True)

    open: int
    finished: int
    paused: int
    latest: tuple[InterviewState, ...]
    frustration_words: tuple[tuple[str, int], ...]
    # What themes would be drawn from: how many interviews told a frustration, and a marker
    # that changes whenever the team's stories change (to know when cached themes are stale).
    theme_interviews: int = 0
    stories_marker: str = ""
    # The quality score (0-100) of each of ``latest``, in the same order.
    latest_scores: tuple[int, ...] = ()


def frequent_words(texts: Iterable[str], stopwords: Iterable[str], limit: int = 8) -> list[tuple[str, int]]:
    """The ``limit`` most frequent words of ``texts`` (each counted once per text), stopwords out;
    ties in alphabetical order so the result is stable."""
    stop = {word.casefold() for word in stopwords}
    counts: Counter[str] = Counter()
    for text in texts:
        words = {match.group(0).casefold().strip("'-") for match in _WORD.finditer(text)}
        counts.update(word for word in words if word and word not in stop)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


async def team_overview(
    sessions: SessionStore,
    team: str,
    stopwords: Sequence[str],
    *,
    latest: int = 5,
    scan: int = 1000,
    reader: AnswerReader | None = None,
) -> TeamOverview:
    """Open/finished/paused counts over the ``scan`` most recent interviews of ``team``, the
    ``latest`` ones with their quality scores, and the most frequent words in its frustration
    answers."""
    interviews = await sessions.interviews(team=team, limit=scan)
    statuses = Counter(state.status for state in interviews)
    still_open = sum(statuses[status] for status in (Status.INVITED, Status.CONSENT, Status.ACTIVE))
    answers = await sessions.answers(team=team)
    texts = [answer.text for answer in answers if answer.section in FRUSTRATION_SECTIONS]
    shown = interviews[:latest]
    scores = []
    for state in shown:
        own = [a for a in answers if a.interview_id == state.interview_id]
        scores.append(assess(state, await with_readings(own, reader)).score)
    return TeamOverview(
        open=still_open,
        finished=statuses[Status.FINISHED],
        paused=statuses[Status.PAUSED],
        latest=tuple(shown),
        latest_scores=tuple(scores),
        frustration_words=tuple(frequent_words(texts, stopwords)),
        theme_interviews=len({a.interview_id for a in answers if a.section in THEME_SECTIONS}),
        stories_marker=stories_marker(answers),
    )


def stories_marker(answers: Sequence[AnswerRecord]) -> str:
    """A short string that changes when answers are added or erased (count and newest answer)."""
    if not answers:
        return "0"
    newest = max(answers, key=lambda answer: (answer.created_at, answer.id))
    return f"{len(answers)}:{newest.created_at.isoformat()}:{newest.id}"
