"""The application: one entry point, :meth:`InterviewService.handle`, for every channel.

An inbound event is applied to the customer's interview in five steps: load the state, read
the answer (an :class:`~core.reading.AnswerReader`), ask the follow-up policy for a probe
candidate, let the pure engine decide, and commit the new state and answer (with its reading)
to the system of record *before* returning the replies to send.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from core.catalog import Catalog
from core.engine import AnswerDraft, Transition
from core.eraser import Eraser, ErasureReceipt
from core.errors import EarfulError, InviteError, StoreUnavailable
from core.invites import Invites
from core.limits import ANSWER_CHARS
from core.locks import KeyedLocks
from core.models import (
    OPEN_STATUSES,
    Answer,
    AnswerRecord,
    Event,
    InterviewState,
    MessagePart,
    Reply,
    ReplyKind,
    Start,
    Status,
    Voice,
)
from core.ports import AudioArchive, InterviewListener, PostEraser, SessionStore, StoryStore
from core.probing import FollowUpPolicy
from core.pseudonyms import Pseudonymizer
from core.reading import AnswerReader, Reading
from core.text import storable

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Inbound:
    """An event from a customer on a channel.

    ``customer`` is the customer's id on that channel; ``delivery_key`` (e.g. a Telegram
    ``update_id``) makes redelivered events harmless; ``team``/``script_id``/``language``/
    ``origin`` are used when a new interview has to be created; a Start with
    ``invite_token`` redeems that invite (and raises :class:`InviteError` if it cannot).
    """

    channel: str
    customer: str
    event: Event
    team: str = "local"
    script_id: str | None = None
    language: str | None = None
    delivery_key: str | None = None
    interview_id: str | None = None
    invite_token: str | None = None
    origin: dict[str, str] = field(default_factory=dict)
    # An answer typed as several messages: each message, committed with the turn.
    parts: tuple[MessagePart, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What :meth:`InterviewService.handle` returns: the replies to send and what happened."""

    state: InterviewState | None
    replies: list[Reply] = field(default_factory=list)
    finished: bool = False
    duplicate: bool = False
    erased: bool = False
    answer_id: str | None = None  # the answer this event stored, if any (e.g. to amend on edit)
    unavailable: bool = False  # a store was down: nothing was saved, the customer is asked to retry
    committed: bool = False  # the turn (and its parts) is in the system of record


def _now() -> datetime:
    return datetime.now(UTC)


def _is_open_for(state: InterviewState | None, team: str) -> bool:
    return state is not None and state.status in OPEN_STATUSES and state.team == team


class InterviewService:
    """Runs interviews for every channel; stateless between calls (state is in the store)."""

    def __init__(
        self,
        sessions: SessionStore,
        catalog: Catalog,
        policy: FollowUpPolicy,
        *,
        pseudonyms: Pseudonymizer,
        reader: AnswerReader | None = None,
        stories: StoryStore | None = None,
        invites: Invites | None = None,
        listeners: Sequence[InterviewListener] = (),
        on_answer: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = _now,
        audio: AudioArchive | None = None,
    ) -> None:
        """``pseudonyms``: how customers are named (the installation's secret); ``audio``: where
        kept voice recordings are, erased with their customer."""
        self._sessions = sessions
        self._pseudonyms = pseudonyms
        self._catalog = catalog
        self._policy = policy
        # Without a reader answers are not read: the engine then only follows the policy's probes.
        self._reader = reader
        self._stories = stories
        self._invites = invites
        self._listeners = list(listeners)
        self._background: set[asyncio.Task[None]] = set()
        self._on_answer = on_answer
        self._clock = clock
        self._eraser = Eraser(sessions, stories, audio)
        # One conversation at a time per customer within this process; different customers
        # run concurrently. (Across processes, the session store orders them.)
        self._conversations = KeyedLocks()

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    @property
    def invites(self) -> Invites | None:
        return self._invites

    def add_post_eraser(self, posts: PostEraser) -> None:
        """Also take back what ``posts``' platform was sent, on erasure (Slack registers itself)."""
        self._eraser.add_post_eraser(posts)

    @property
    def pseudonyms(self) -> Pseudonymizer:
        return self._pseudonyms

    def add_listener(self, listener: InterviewListener) -> None:
        """Also tell ``listener`` about finished interviews (channels register themselves)."""
        self._listeners.append(listener)

    async def wait_background(self) -> None:
        """Wait for listener notifications still running (tests and shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def conversation(self, channel: str, customer: str) -> AbstractAsyncContextManager[None]:
        """Hold the (channel, customer) conversation within this process: its events are handled
        one at a time, in the order they took it. :meth:`handle` takes it too (re-entrantly), so a
        channel may hold it from the moment an update arrives."""
        return self._conversations.hold(channel, customer)

    async def handle(self, inbound: Inbound) -> Outcome:
        """Apply one inbound event and return the replies, after the turn is durable."""
        return await self._guarded(inbound, self._handle)

    async def continue_interview(self, inbound: Inbound) -> Outcome | None:
        """Like :meth:`handle`, but only when the customer has an open interview of
        ``inbound.team`` on that channel; ``None`` (nothing done) otherwise. Decided under the
        conversation lock, so a message cannot be taken for an answer while a turn before it
        ends the interview."""

        async def if_open(inbound: Inbound) -> Outcome | None:
            latest = await self._sessions.latest_for(inbound.channel, inbound.customer)
            return await self._handle(inbound, latest) if _is_open_for(latest, inbound.team) else None

        return await self._guarded(inbound, if_open)

    async def open_interview(self, channel: str, customer: str, team: str) -> InterviewState | None:
        """The customer's interview on ``channel`` if it is open and of ``team``, else ``None``."""
        latest = await self._sessions.latest_for(channel, customer)
        return latest if _is_open_for(latest, team) else None

    async def _guarded(self, inbound: Inbound, turn: Callable[[Inbound], Awaitable[T]]) -> T | Outcome:
        """Run ``turn`` holding the conversation; a store that is down becomes "try again"."""
        channel, customer = inbound.channel, inbound.customer
        async with self.conversation(channel, customer):
            try:
                # Across workers sharing the store, the store's lock orders the conversation.
                async with self._sessions.conversation_lock(channel, customer):
                    return await turn(self._storable(inbound))
            except StoreUnavailable as error:
                # The turn commits atomically or not at all, so asking again loses nothing.
                log.warning("store unavailable for %s: %s", inbound.channel, error)
                messages = self._catalog.messages_for(inbound.language or "en")
                reply = Reply(kind=ReplyKind.INFO, text=messages.try_again_later)
                return Outcome(None, [reply], unavailable=True)

    @staticmethod
    def _storable(inbound: Inbound) -> Inbound:
        """Lone surrogates cannot be stored anywhere (see core.text); everything else stays."""
        event = inbound.event
        if isinstance(event, Answer) and storable(event.text) != event.text:
            return replace(inbound, event=event.model_copy(update={"text": storable(event.text)}))
        return inbound

    async def _handle(self, inbound: Inbound, latest: InterviewState | None = None) -> Outcome:
        state = self._named(await self._current(inbound, latest))
        if state is None:
            messages = self._catalog.messages_for(inbound.language or "en")
            return Outcome(None, [Reply(kind=ReplyKind.INFO, text=messages.not_started)])
        if isinstance(inbound.event, Answer) and len(inbound.event.text) > ANSWER_CHARS:
            # Refused whole, before any reading: nothing is stored and the interview stays put.
            text = self._catalog.messages_for(state.language).answer_too_long.format(limit=ANSWER_CHARS)
            return Outcome(state, [Reply(kind=ReplyKind.INFO, text=text)])
        engine = self._catalog.engine(state.script_id)
        probe = None
        reading = await self._read(state, inbound.event)
        if isinstance(inbound.event, Answer):
            context = engine.probe_context(state, inbound.event.text, reading)
            if context is not None:
                probe = await self._policy.propose(context)
        transition = engine.step(state, inbound.event, probe, reading)
        now = self._clock()
        new_state = transition.state.model_copy(
            update={
                "updated_at": now,
                "started_at": transition.state.started_at
                or (now if transition.state.status is Status.ACTIVE else None),
            }
        )
        if transition.erase:
            # "Everything you told us": the customer, in every team they were interviewed for.
            receipt = await self.erase_customer(state.customer, channel=state.channel)
            messages = self._catalog.messages_for(state.language)
            told = Reply(kind=ReplyKind.INFO, text=self._receipt_text(messages.forgotten_receipt, receipt))
            return Outcome(new_state, [*transition.replies, told], erased=True)
        voice = inbound.event.voice if isinstance(inbound.event, Answer) else None
        answer = self._record(new_state, transition.answer, now, voice)
        committed = await self._sessions.commit_turn(new_state, answer, inbound.delivery_key, inbound.parts)
        if not committed:
            return Outcome(state, [], duplicate=True)
        transition = replace(transition, replies=await self._with_invites(new_state, transition.replies))
        if answer is not None and self._on_answer is not None:
            self._on_answer()
        if transition.finished:
            for listener in self._listeners:
                self._spawn(self._notify(listener, new_state))
        outcome = self._outcome(new_state, transition)
        return replace(outcome, answer_id=answer.id if answer is not None else None, committed=True)

    async def _read(self, state: InterviewState, event: Event) -> Reading | None:
        """The reading of an interview answer (the language hint: the transcriber's, else the
        interview's); ``None`` for any other event, or without a reader."""
        if self._reader is None or not isinstance(event, Answer):
            return None
        question = self._catalog.engine(state.script_id).reads(state, event)
        if question is None:
            return None
        hint = (event.voice.language if event.voice else None) or state.language
        return await self._reader.read(event.text, question=question, language=hint)

    async def _with_invites(self, state: InterviewState, replies: list[Reply]) -> list[Reply]:
        """A referral's thanks carries a new invite of the team, remembering who referred it, for
        the channel to turn into a link (no invites, or none could be made: the thanks alone)."""
        if self._invites is None or not any(r.kind is ReplyKind.REFERRAL for r in replies):
            return replies
        try:
            invite = await self._invites.create(
                state.team, origin=state.origin, referred_by=state.interview_id
            )
        except EarfulError as error:
            log.warning("no referral invite for interview %s: %s", state.interview_id, error)
            return replies
        return [
            r.model_copy(update={"invite": invite.token}) if r.kind is ReplyKind.REFERRAL else r
            for r in replies
        ]

    async def amend_answer(
        self, channel: str, customer: str, answer_id: str, text: str
    ) -> AnswerRecord | None:
        """Replace the text of one of this customer's stored answers (an edited message) and
        queue it for re-indexing. Returns ``None`` when no such answer of theirs exists."""
        if not text.strip() or len(text) > ANSWER_CHARS:
            return None
        amended = await self._sessions.amend_answer(answer_id, text, channel=channel, customer=customer)
        if amended is not None and self._on_answer is not None:
            self._on_answer()
        return amended

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @staticmethod
    async def _notify(listener: InterviewListener, state: InterviewState) -> None:
        try:
            await listener.interview_finished(state)
        except Exception:
            log.exception("notifying %r about interview %s failed", listener, state.interview_id)

    async def _current(self, inbound: Inbound, latest: InterviewState | None) -> InterviewState | None:
        """The interview this event belongs to; a Start without one creates it. ``latest``: the
        customer's latest interview on the channel, when the caller has just read it."""
        if inbound.invite_token is not None and isinstance(inbound.event, Start):
            return await self._from_invite(inbound)
        if inbound.interview_id is not None:
            state = await self._sessions.get(inbound.interview_id)
        elif latest is not None:
            state = latest
        else:
            state = await self._sessions.latest_for(inbound.channel, inbound.customer)
        reusable = state is not None and state.status in OPEN_STATUSES
        if reusable or not isinstance(inbound.event, Start):
            return state if reusable or state is not None else None
        return await self._create(inbound, inbound.interview_id or uuid.uuid4().hex[:16])

    async def _from_invite(self, inbound: Inbound) -> InterviewState:
        if self._invites is None or inbound.invite_token is None:
            raise InviteError("unknown")
        invite = await self._invites.redeem(inbound.invite_token, inbound.channel, inbound.customer)
        # One interview per invite: opening the link again continues it.
        interview_id = "inv-" + hashlib.sha256(invite.token.encode()).hexdigest()[:16]
        existing = await self._sessions.get(interview_id)
        if existing is not None:
            return existing
        created = Inbound(
            channel=inbound.channel,
            customer=inbound.customer,
            event=inbound.event,
            team=invite.team,
            script_id=invite.script_id or inbound.script_id,
            language=inbound.language,
            origin={**invite.origin, **inbound.origin},
            invite_token=invite.token,
        )
        return await self._create(created, interview_id)

    async def _create(self, inbound: Inbound, interview_id: str) -> InterviewState:
        script = (
            self._catalog.script(inbound.script_id)
            if inbound.script_id
            else self._catalog.script_for_language(inbound.language)
        )
        created = InterviewState(
            interview_id=interview_id,
            team=inbound.team,
            customer=inbound.customer,
            channel=inbound.channel,
            script_id=script.id,
            language=script.language,
            invite_token=inbound.invite_token,
            origin=dict(inbound.origin),
            updated_at=self._clock(),
        )
        # Not stored yet: it is created by the commit of its first turn, so a redelivered
        # Start (a duplicate delivery key) leaves no phantom interview behind.
        return created

    def _record(
        self, state: InterviewState, draft: AnswerDraft | None, now: datetime, voice: Voice | None = None
    ) -> AnswerRecord | None:
        if draft is None:
            return None
        return AnswerRecord(
            # Derived from the interview and turn, so a retried commit can never duplicate it.
            id=f"{state.interview_id}-{draft.turn:04d}",
            interview_id=state.interview_id,
            team=state.team,
            customer=state.customer,
            pseudonym=state.pseudonym,
            channel=state.channel,
            question_id=draft.question_id,
            question=draft.question,
            section=draft.section,
            text=draft.text,
            probe=draft.probe,
            language=state.language,
            turn=draft.turn,
            created_at=now,
            reading=draft.reading,
            spoken=voice is not None,
            voice=voice,
        )

    async def current(self, channel: str, customer: str) -> InterviewState | None:
        """The customer's most recent interview on ``channel`` (open or not), if any."""
        return await self._sessions.latest_for(channel, customer)

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasureReceipt:
        """Erase the customer with raw id ``customer`` (on ``channel``, or any) from every store,
        in ``team`` (every team when ``None``); see :mod:`core.eraser`."""
        return await self._eraser.erase(customer, team, channel)

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        """The (channel, raw customer id) pairs behind ``pseudonym`` (to erase someone known only
        by it)."""
        return await self._eraser.customers_known_as(pseudonym, team)

    @staticmethod
    def _receipt_text(wording: str, receipt: ErasureReceipt) -> str:
        return wording.format(
            teams=len(receipt.teams),
            interviews=receipt.interviews,
            answers=receipt.answers,
            stories=receipt.stories,
            recordings=receipt.recordings,
            notes=receipt.invite_notes,
            posts=receipt.slack_posts,
        )

    def _named(self, state: InterviewState | None) -> InterviewState | None:
        """``state`` with the pseudonym the installation's secret gives its customer (a state
        stored before pseudonyms were keyed, or under another secret, gets it here)."""
        if state is None:
            return None
        name = self._pseudonyms.name(state.team, state.channel, state.customer)
        return state if state.pseudonym == name else state.model_copy(update={"pseudonym": name})

    @staticmethod
    def _outcome(state: InterviewState, transition: Transition) -> Outcome:
        return Outcome(state, transition.replies, finished=transition.finished)
