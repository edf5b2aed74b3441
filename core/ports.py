"""The core's ports: small Protocols that adapters implement and tests fake in memory."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.models import AnswerRecord, InterviewState, MessagePart, Status, Story
from core.pseudonyms import Pseudonymizer


@dataclass(frozen=True)
class PostedMessage:
    """A message Earful posted with a customer's words in it (a Slack summary or transcript
    line), remembered with its interview so that erasing the interview can take it back."""

    platform: str  # "slack"
    team: str  # the workspace it was posted in
    conversation: str  # the channel id
    message_id: str  # the message's ts


@dataclass(frozen=True)
class ErasedInterview:
    """What erasing one interview of a customer removed from the system of record."""

    team: str
    interview_id: str
    pseudonym: str
    answers: int
    posts: tuple[PostedMessage, ...] = ()


@dataclass(frozen=True)
class ErasedRecord:
    """What erasing a customer removed from the system of record."""

    interviews: tuple[ErasedInterview, ...] = ()
    invite_notes: int = 0  # notes kept with invites the customer claimed ("Ana Lopez, ops")


class SessionStore(Protocol):
    """The system of record: interview states, every answer, the indexing outbox and the
    delivery keys already handled. A turn is durable once :meth:`commit_turn` returns."""

    async def get(self, interview_id: str) -> InterviewState | None:
        """The interview with this id, or ``None``."""
        ...

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        """The most recently updated interview of this customer on this channel."""
        ...

    async def create(self, state: InterviewState) -> None:
        """Store a new interview (its id must be new)."""
        ...

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        """Atomically save ``state`` (inserting it if new), the answer (and its outbox entry)
        and the delivery key; with ``parts`` (the messages the answer was typed as), also each
        part's delivery key, no longer held (see the channel's held parts), and which messages
        make up the answer (a part linked again is replaced).

        Returns ``False`` and changes nothing when ``delivery_key`` was already committed.
        """
        ...

    async def add_answers(self, answers: Sequence[AnswerRecord]) -> int:
        """Store answers that did not come through an interview (imports); skip known ids.
        Returns how many were new."""
        ...

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]:
        """Stored answers in interview order, filtered by any of the arguments."""
        ...

    async def interviews(
        self, *, team: str | None = None, status: Status | None = None, limit: int = 100
    ) -> list[InterviewState]:
        """Interviews, most recently updated first."""
        ...

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        """Answers in the outbox, oldest first: stored but not yet indexed."""
        ...

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        """Remove these answers from the outbox."""
        ...

    async def requeue_all(self, team: str | None = None) -> int:
        """Put every stored answer (of ``team``) back into the outbox; returns how many."""
        ...

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        """Replace the text of an answer of this customer on this channel and put it back in
        the outbox; returns the amended answer, or ``None`` if there is no such answer."""
        ...

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord:
        """Delete every interview, answer, outbox entry, held or linked message part and
        remembered post of the customer with this raw id (on ``channel`` when given, else on
        every channel; in ``team`` only when given), and the note and claimant of every invite
        they claimed. A pseudonym selects
        nothing here. Returns one entry per interview erased (answers without an interview row,
        e.g. imported ones, count under their interview id), ordered by team and interview id,
        and how many invite notes were blanked."""
        ...

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        """The (channel, raw customer id) pairs, sorted, whose interviews or answers carry
        ``pseudonym``: how ``earful erase --customer Customer-...`` finds whom to erase."""
        ...

    async def record_post(self, interview_id: str, post: PostedMessage) -> None:
        """Remember that ``post`` carries words of this interview (erased with it)."""
        ...

    async def rekey(self, pseudonyms: Pseudonymizer, *, dry_run: bool = False) -> list[str]:
        """Give every interview and answer the pseudonym ``pseudonyms`` names it by (data
        written under an older scheme or another secret). Returns the teams (sorted) that had
        another pseudonym; with ``dry_run`` nothing is changed."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

    def conversation_lock(self, channel: str, customer: str) -> AbstractAsyncContextManager[None]:
        """Hold this while handling one message of the (channel, customer) conversation, so its
        messages are processed one at a time by every worker process sharing the store (a
        database lock on PostgreSQL). An embedded store belongs to one process, where the
        service's own lock (:class:`core.locks.KeyedLocks`) already orders the conversation, so
        theirs holds nothing."""
        ...


class StoryStore(Protocol):
    """The similar-story index. Vectors are computed by the core's :class:`Embedder`; every
    call is scoped to one team, and a search never crosses teams."""

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        """Insert or replace stories by id."""
        ...

    async def search(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[Story, float]]:
        """The ``k`` nearest stories of ``team`` with their cosine similarity, best first
        (only stories in ``language``, an ISO 639-1 code, when it is given; only stories read
        as ``act`` or carrying ``facet`` when those are given)."""
        ...

    async def search_vectors(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[str, float, Sequence[float]]]:
        """Like :meth:`search`, but only each story's id, cosine similarity and stored vector (for
        re-ranking), nearest first: cheaper than loading every candidate's text."""
        ...

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        """The stories of ``team`` with these ids, in the order given; unknown ids are skipped."""
        ...

    async def vectors(self, team: str, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these stories of ``team`` (those that exist), by id."""
        ...

    async def has_language_other_than(self, team: str, language: str) -> bool:
        """Whether any story of ``team`` is in a language other than ``language``."""
        ...

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        """Remove every story of these interviews of ``team``, leaving no copy of their text or
        vectors in the index's files; returns how many stories were removed."""
        ...

    async def reset(self, team: str | None = None) -> None:
        """Drop the index of ``team`` (or of every team) so it can be rebuilt from the record."""
        ...

    async def count(self, team: str) -> int:
        """Stories indexed for ``team``."""
        ...


@dataclass(frozen=True)
class CosineScale:
    """Where a model's cosine similarities lie for related texts: the mean and spread of each
    text's 40 nearest neighbours on one reference corpus (banking77 dev). Two models' scores can
    be compared once put on one scale (:func:`core.crosslingual.on_scale`)."""

    mean: float
    spread: float


class Embedder(Protocol):
    """Turns texts into unit-length vectors, offline."""

    name: str
    dimension: int
    scale: CosineScale

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...


class MultilingualEmbedder(Embedder, Protocol):
    """A multilingual model that takes each text's language into account."""

    async def embed_as(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[float]]:
        """One vector per text, ``languages[i]`` being the language (ISO 639-1) of ``texts[i]``."""
        ...


class MultilingualIndex(Protocol):
    """Every story once more, with a multilingual model's vectors, so that a question in any
    language finds stories in any other (implemented in ``adapters/``)."""

    @property
    def scale(self) -> CosineScale:
        """The multilingual model's :class:`CosineScale`."""
        ...

    async def embed_query(self, text: str, language: str) -> list[float]:
        """The multilingual vector of a question in ``language``."""
        ...

    async def search(
        self,
        team: str,
        vector: Sequence[float],
        k: int,
        *,
        section: str | None = None,
        since: datetime | None = None,
        language: str | None = None,
        act: str | None = None,
        facet: str | None = None,
    ) -> list[tuple[Story, float]]:
        """The ``k`` nearest stories of ``team`` in the multilingual index, as
        :meth:`StoryStore.search`."""
        ...

    async def has_other_languages(self, team: str) -> bool:
        """Whether ``team`` has stories in a language other than English (``True`` when it
        cannot tell: the search then looks everywhere)."""
        ...

    async def ready(self, team: str, wait: float | None = None) -> bool:
        """Bring ``team`` into the index if it is not yet, and wait up to ``wait`` seconds for its
        earlier stories to be copied in. ``True`` when they all are."""
        ...


class InterviewListener(Protocol):
    """Told about interviews that finished (e.g. to post a summary to the team's channel)."""

    async def interview_finished(self, state: InterviewState) -> None:
        """Called once, after the last answer of ``state`` is durable."""
        ...


class DeliveryLog(Protocol):
    """Delivery keys already handled, for platform events that are not interview turns (a
    Slack event retried, say). The session store's database keeps them."""

    async def claim_delivery(self, key: str) -> bool:
        """Record ``key`` as handled; ``False`` when it already was (a duplicate delivery)."""
        ...


class AudioArchive(Protocol):
    """Where voice recordings are kept when an installation keeps audio (``EARFUL_KEEP_AUDIO``),
    per team and customer; erased with their customer."""

    async def keep(self, team: str, customer: str, name: str, audio: bytes) -> None:
        """Store ``audio`` as ``name`` among the recordings of ``customer`` (raw id) in ``team``."""
        ...

    async def discard(self, team: str, customer: str, name: str) -> None:
        """Delete one recording (nothing happens when there is none)."""
        ...

    async def erase(self, customer: str, team: str | None = None) -> int:
        """Delete every recording of the customer with this raw id in ``team`` (every team when
        ``None``); returns how many. A pseudonym selects nothing (see core/eraser.py)."""
        ...


class PostEraser(Protocol):
    """Takes back messages Earful posted with an erased customer's words (a channel adapter:
    Slack deletes them, or blanks them when it may not delete)."""

    async def erase_posts(self, posts: Sequence[PostedMessage]) -> int:
        """Delete or redact the posts this eraser's platform knows; returns how many."""
        ...
