"""Erasure, in one place: a customer's interviews, answers, stories, recordings, invite notes
and the Slack posts that quoted them, by raw customer id, in one team or in every team.

A pseudonym never selects what to erase (two customers may share one under the first scheme);
``earful erase --customer Customer-...`` resolves it to the raw ids behind it first
(:meth:`Eraser.customers_known_as`). The index goes first: if it is down
(:class:`core.errors.StoreUnavailable`) nothing is erased yet and the customer can ask again,
rather than the record going while their stories stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.models import AnswerRecord
from core.ports import AudioArchive, ErasedRecord, PostEraser, StoryStore


class ErasableRecord(Protocol):
    """What erasure needs of the system of record (:class:`core.ports.SessionStore` has it)."""

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]: ...

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord: ...

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class ErasureReceipt:
    """What was erased, as counted for the customer's receipt and the operator's command."""

    teams: tuple[str, ...] = ()
    interviews: int = 0
    answers: int = 0
    stories: int = 0
    recordings: int = 0
    invite_notes: int = 0
    slack_posts: int = 0
    pseudonyms: tuple[tuple[str, str], ...] = ()  # (team, pseudonym) of what was erased

    @property
    def found(self) -> bool:
        return bool(self.interviews or self.answers or self.stories or self.recordings)


class Eraser:
    """Erases customers from every store it is given."""

    def __init__(
        self,
        record: ErasableRecord,
        stories: StoryStore | None = None,
        audio: AudioArchive | None = None,
        posts: Sequence[PostEraser] = (),
    ) -> None:
        self._record = record
        self._stories = stories
        self._audio = audio
        self._posts = list(posts)

    def add_post_eraser(self, posts: PostEraser) -> None:
        """Also take back what ``posts``' platform was sent (a channel registers itself)."""
        self._posts.append(posts)

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        """The (channel, raw id) pairs behind ``pseudonym``, for an operator who only knows it."""
        return await self._record.customers_known_as(pseudonym, team)

    async def erase(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasureReceipt:
        """Erase the customer with raw id ``customer`` on ``channel`` (the id is theirs there:
        ``/forget`` gives it; every channel when ``None``) in ``team`` (every team when ``None``).
        Kept recordings are filed by raw id alone, so they go on every channel."""
        stories = 0
        if self._stories is not None:
            known: dict[str, set[str]] = {}
            for answer in await self._record.answers(customer=customer):
                if answer.customer != customer or channel not in (None, answer.channel):
                    continue
                if team is None or answer.team == team:
                    known.setdefault(answer.team, set()).add(answer.interview_id)
            for story_team, answered in sorted(known.items()):
                stories += await self._stories.delete_interviews(story_team, sorted(answered))
        erased = await self._record.erase_customer(customer, team=team, channel=channel)
        if self._stories is not None:
            # Again, for a story an indexer may have added in between.
            by_team: dict[str, list[str]] = {}
            for interview in erased.interviews:
                by_team.setdefault(interview.team, []).append(interview.interview_id)
            for story_team, interview_ids in sorted(by_team.items()):
                stories += await self._stories.delete_interviews(story_team, interview_ids)
        recordings = await self._audio.erase(customer, team=team) if self._audio is not None else 0
        posted = [post for interview in erased.interviews for post in interview.posts]
        taken_back = 0
        for eraser in self._posts:
            taken_back += await eraser.erase_posts(posted)
        return ErasureReceipt(
            teams=tuple(sorted({i.team for i in erased.interviews})),
            interviews=len(erased.interviews),
            answers=sum(i.answers for i in erased.interviews),
            stories=stories,
            recordings=recordings,
            invite_notes=erased.invite_notes,
            slack_posts=taken_back,
            pseudonyms=tuple(sorted({(i.team, i.pseudonym) for i in erased.interviews})),
        )
