"""In-memory implementations of the core's ports, with real behaviour (no mocks)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from core.errors import AudioTooLong, TranscriptionFailed
from core.invites import ERASED_CLAIMANT, Invite, claimed_by_customer
from core.models import AnswerRecord, InterviewState, MessagePart, Status, Story
from core.ports import CosineScale, ErasedInterview, ErasedRecord, PostedMessage
from core.pseudonyms import Pseudonymizer
from core.reading import Act, Facet, Reading
from core.voice import Transcript

# The tests' installation secret: every pseudonym a test computes is named under it.
TEST_PSEUDONYMS = Pseudonymizer(b"the tests' own pseudonym secret.")


def pseudonym(team: str, channel: str, customer: str) -> str:
    """The pseudonym the tests' installation gives a customer."""
    return TEST_PSEUDONYMS.name(team, channel, customer)


class MemorySessionStore:
    """:class:`core.ports.SessionStore` in dictionaries."""

    def __init__(self) -> None:
        self.states: dict[str, InterviewState] = {}
        self.records: dict[str, AnswerRecord] = {}
        self.outbox: list[str] = []
        self.deliveries: set[str] = set()
        self.commits = 0
        self.invites: dict[str, Invite] = {}
        self.held: dict[str, tuple[str, str, str]] = {}  # key -> (channel, customer, payload)
        # (channel, key) -> (customer, answer id, position, text)
        self.linked: dict[tuple[str, str], tuple[str, str, int, str]] = {}
        self.posts: dict[str, list[PostedMessage]] = {}  # interview id -> posts with its words
        self._order: list[str] = []

    @asynccontextmanager
    async def conversation_lock(self, channel: str, customer: str) -> AsyncIterator[None]:
        yield  # one process: the service orders the conversation

    async def add_invite(self, invite: Invite) -> None:
        assert invite.token not in self.invites
        self.invites[invite.token] = invite

    async def get_invite(self, token: str) -> Invite | None:
        return self.invites.get(token)

    async def claim_invite(self, token: str, claimant: str, now: datetime) -> Invite | None:
        invite = self.invites.get(token)
        if invite is None or invite.claimed_by not in (None, claimant):
            return None
        if invite.claimed_by is None:
            invite = invite.model_copy(update={"claimed_by": claimant, "claimed_at": now})
            self.invites[token] = invite
        return invite

    async def get(self, interview_id: str) -> InterviewState | None:
        return self.states.get(interview_id)

    async def claim_delivery(self, key: str) -> bool:
        if key in self.deliveries:
            return False
        self.deliveries.add(key)
        return True

    async def latest_for(self, channel: str, customer: str) -> InterviewState | None:
        for interview_id in reversed(self._order):
            state = self.states.get(interview_id)
            if state and state.channel == channel and state.customer == customer:
                return state
        return None

    async def create(self, state: InterviewState) -> None:
        assert state.interview_id not in self.states
        self.states[state.interview_id] = state
        self._order.append(state.interview_id)

    async def commit_turn(
        self,
        state: InterviewState,
        answer: AnswerRecord | None,
        delivery_key: str | None,
        parts: Sequence[MessagePart] = (),
    ) -> bool:
        if delivery_key is not None:
            if delivery_key in self.deliveries:
                return False
            self.deliveries.add(delivery_key)
        for position, part in enumerate(parts):
            self.deliveries.add(part.delivery_key)
            self.held.pop(part.delivery_key, None)
            if answer is not None:
                self.linked[(state.channel, part.key)] = (state.customer, answer.id, position, part.text)
        self.states[state.interview_id] = state
        if state.interview_id in self._order:
            self._order.remove(state.interview_id)
        self._order.append(state.interview_id)
        if answer is not None:
            self._add(answer)
        self.commits += 1
        return True

    def _add(self, answer: AnswerRecord) -> bool:
        if answer.id in self.records:
            return False
        self.records[answer.id] = answer
        self.outbox.append(answer.id)
        return True

    async def add_answers(self, answers: Sequence[AnswerRecord]) -> int:
        return sum(self._add(answer) for answer in answers)

    async def answers(
        self,
        *,
        team: str | None = None,
        interview_id: str | None = None,
        customer: str | None = None,
    ) -> list[AnswerRecord]:
        found = [
            record
            for record in self.records.values()
            if (team is None or record.team == team)
            and (interview_id is None or record.interview_id == interview_id)
            and (customer is None or customer in (record.customer, record.pseudonym))
        ]
        return sorted(found, key=lambda r: (r.created_at, r.interview_id, r.turn))

    async def interviews(
        self, *, team: str | None = None, status: Status | None = None, limit: int = 100
    ) -> list[InterviewState]:
        found = [
            self.states[i]
            for i in reversed(self._order)
            if (team is None or self.states[i].team == team)
            and (status is None or self.states[i].status is status)
        ]
        return found[:limit]

    async def pending_index(self, limit: int) -> list[AnswerRecord]:
        return [self.records[i] for i in self.outbox[:limit]]

    async def mark_indexed(self, answer_ids: Sequence[str]) -> None:
        done = set(answer_ids)
        self.outbox = [i for i in self.outbox if i not in done]

    async def requeue_all(self, team: str | None = None) -> int:
        queued = set(self.outbox)
        added = [i for i, r in self.records.items() if (team is None or r.team == team) and i not in queued]
        self.outbox.extend(added)
        return len(added)

    async def amend_answer(
        self, answer_id: str, text: str, *, channel: str, customer: str
    ) -> AnswerRecord | None:
        record = self.records.get(answer_id)
        if record is None or (record.channel, record.customer) != (channel, customer):
            return None
        amended = record.model_copy(update={"text": text})
        self.records[answer_id] = amended
        if answer_id not in self.outbox:
            self.outbox.append(answer_id)
        return amended

    async def hold_part(self, channel: str, customer: str, key: str, payload: str) -> bool:
        if key in self.held or key in self.deliveries:
            return False
        self.held[key] = (channel, customer, payload)
        return True

    async def held_parts(self, channel: str) -> list[tuple[str, str, str]]:
        return [(key, c, p) for key, (ch, c, p) in self.held.items() if ch == channel]

    async def release_parts(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.held.pop(key, None)

    async def link_parts(
        self, channel: str, customer: str, answer_id: str, parts: Sequence[tuple[str, str]]
    ) -> None:
        for position, (key, text) in enumerate(parts):
            self.linked[(channel, key)] = (customer, answer_id, position, text)

    async def linked_parts(self, channel: str, key: str) -> tuple[str, list[tuple[str, str]]] | None:
        mine = self.linked.get((channel, key))
        if mine is None:
            return None
        parts = sorted(
            (position, k, text)
            for (ch, k), (_, answer, position, text) in self.linked.items()
            if ch == channel and answer == mine[1]
        )
        return mine[1], [(k, text) for _, k, text in parts]

    async def erase_customer(
        self, customer: str, team: str | None = None, channel: str | None = None
    ) -> ErasedRecord:
        def chosen(owner: str, owner_team: str, owner_channel: str) -> bool:
            return (
                owner == customer
                and (team is None or owner_team == team)
                and (channel is None or owner_channel == channel)
            )

        found: dict[tuple[str, str], tuple[str, int]] = {}
        for s in self.states.values():
            if chosen(s.customer, s.team, s.channel):
                found[(s.team, s.interview_id)] = (s.pseudonym, 0)
        for r in self.records.values():
            if chosen(r.customer, r.team, r.channel):
                name, count = found.get((r.team, r.interview_id), (r.pseudonym, 0))
                found[(r.team, r.interview_id)] = (name, count + 1)
        erased = tuple(
            ErasedInterview(
                t, i, name, count, tuple(sorted(self.posts.pop(i, []), key=lambda p: p.message_id))
            )
            for (t, i), (name, count) in sorted(found.items())
        )
        for key in [k for k, (ch, c, _) in self.held.items() if c == customer and channel in (None, ch)]:
            del self.held[key]
        notes = 0
        for token, invite in self.invites.items():
            theirs = (
                invite.claimed_by == f"{channel}:{customer}"
                if channel is not None
                else claimed_by_customer(invite.claimed_by, customer)
            )
            if theirs and (team is None or invite.team == team):
                notes += bool(invite.note)
                self.invites[token] = invite.model_copy(update={"claimed_by": ERASED_CLAIMANT, "note": ""})
        for link in [
            k for k, (c, _, _, _) in self.linked.items() if c == customer and channel in (None, k[0])
        ]:
            del self.linked[link]
        for i in [i for i, r in self.records.items() if chosen(r.customer, r.team, r.channel)]:
            for link in [k for k, (_, answer, _, _) in self.linked.items() if answer == i]:
                del self.linked[link]
            del self.records[i]
            if i in self.outbox:
                self.outbox.remove(i)
        for i in [i for i, s in self.states.items() if chosen(s.customer, s.team, s.channel)]:
            del self.states[i]
            self._order.remove(i)
        return ErasedRecord(erased, notes)

    async def customers_known_as(self, pseudonym: str, team: str | None = None) -> list[tuple[str, str]]:
        owners = [(s.channel, s.customer, s.team, s.pseudonym) for s in self.states.values()]
        owners += [(r.channel, r.customer, r.team, r.pseudonym) for r in self.records.values()]
        return sorted({(ch, c) for ch, c, t, p in owners if p == pseudonym and (team is None or t == team)})

    async def record_post(self, interview_id: str, post: PostedMessage) -> None:
        if post not in self.posts.setdefault(interview_id, []):
            self.posts[interview_id].append(post)

    async def rekey(self, pseudonyms: Pseudonymizer, *, dry_run: bool = False) -> list[str]:
        teams: set[str] = set()
        for i, s in list(self.states.items()):
            name = pseudonyms.name(s.team, s.channel, s.customer)
            if name != s.pseudonym:
                teams.add(s.team)
                if not dry_run:
                    self.states[i] = s.model_copy(update={"pseudonym": name})
        for i, r in list(self.records.items()):
            name = pseudonyms.name(r.team, r.channel, r.customer)
            if name != r.pseudonym:
                teams.add(r.team)
                if not dry_run:
                    self.records[i] = r.model_copy(update={"pseudonym": name})
        return sorted(teams)

    async def close(self) -> None:
        return None


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


class MemoryStoryStore:
    """:class:`core.ports.StoryStore` with exact cosine search over a dict per team."""

    def __init__(self) -> None:
        self.teams: dict[str, dict[str, tuple[Story, list[float]]]] = {}

    async def add(self, stories: Sequence[Story], vectors: Sequence[Sequence[float]]) -> None:
        for story, vector in zip(stories, vectors, strict=True):
            self.teams.setdefault(story.team, {})[story.id] = (story, list(vector))

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
        scored = [
            (story, _cosine(vector, stored))
            for story, stored in self.teams.get(team, {}).values()
            if (section is None or story.section == section)
            and (since is None or story.created_at >= since)
            and (language is None or story.language == language)
            and (act is None or story.act == act)
            and (facet is None or facet in story.facets)
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:k]

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
        found = await self.search(
            team, vector, k, section=section, since=since, language=language, act=act, facet=facet
        )
        stored = self.teams.get(team, {})
        return [(story.id, score, list(stored[story.id][1])) for story, score in found]

    async def get(self, team: str, ids: Sequence[str]) -> list[Story]:
        stored = self.teams.get(team, {})
        return [stored[i][0] for i in ids if i in stored]

    async def vectors(self, team: str, ids: Sequence[str]) -> dict[str, list[float]]:
        stored = self.teams.get(team, {})
        return {i: list(stored[i][1]) for i in ids if i in stored}

    async def has_language_other_than(self, team: str, language: str) -> bool:
        return any(story.language != language for story, _ in self.teams.get(team, {}).values())

    async def delete_interviews(self, team: str, interview_ids: Sequence[str]) -> int:
        stories = self.teams.get(team, {})
        doomed = [i for i, (story, _) in stories.items() if story.interview_id in interview_ids]
        for i in doomed:
            del stories[i]
        return len(doomed)

    async def reset(self, team: str | None = None) -> None:
        if team is None:
            self.teams.clear()
        else:
            self.teams.pop(team, None)

    async def count(self, team: str) -> int:
        return len(self.teams.get(team, {}))


HASHING_SCALE = CosineScale(mean=0.5, spread=0.1)


class HashingEmbedder:
    """A deterministic bag-of-words embedder: shared words make texts similar."""

    name = "hashing"
    dimension = 64

    def __init__(self, scale: CosineScale = HASHING_SCALE) -> None:
        self.calls = 0
        self.scale = scale

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        vectors = []
        for text in texts:
            vector = [0.0] * self.dimension
            for word in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            vectors.append([v / norm for v in vector])
        return vectors

    async def embed_as(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[float]]:
        """As a multilingual model: words are words, whatever the language."""
        return await self.embed(texts)


class FakeAnswerReader:
    """:class:`core.reading.AnswerReader` that returns the reading it was given for each text.

    An answer it was not told about reads as ``default`` (a plain generality unless set). Every
    call is kept in ``calls`` as ``(answer, question, language hint)``.
    """

    def __init__(self, readings: dict[str, Reading] | None = None, default: Reading | None = None) -> None:
        self.readings = dict(readings or {})
        self.default = default or Reading(act=Act.GENERAL)
        self.calls: list[tuple[str, str, str | None]] = []

    def learn(
        self,
        text: str,
        act: Act,
        *facets: Facet,
        language: str = "en",
        evidence: dict[Facet, str] | None = None,
    ) -> Reading:
        """Read ``text`` as ``act`` with ``facets`` from now on; each facet is carried by its
        sentence in ``evidence``, else by the whole text."""
        reading = read_as(text, act, *facets, language=language)
        if evidence:
            carried = {
                facet: (evidence[facet],) if facet in evidence else found
                for facet, found in reading.evidence.items()
            }
            reading = reading.model_copy(update={"evidence": carried})
        self.readings[text] = reading
        return reading

    async def warm_up(self) -> None:
        """Nothing to load: the readings are in memory."""

    async def read(self, answer: str, *, question: str, language: str | None = None) -> Reading:
        self.calls.append((answer, question, language))
        return self.readings.get(answer, self.default)


def read_as(text: str, act: Act, *facets: Facet, language: str = "en") -> Reading:
    """A reading of ``text``: ``act``, ``facets`` in Facet order, each carried by the whole text."""
    ordered = tuple(facet for facet in Facet if facet in facets)
    return Reading(
        act=act,
        facets=ordered,
        language=language,
        evidence={facet: (text.strip(),) for facet in ordered},
        reader="fake",
    )


class ScriptedTranscriber:
    """:class:`core.voice.Transcriber` that hears what it was told each recording says.

    A recording it does not know cannot be decoded (:class:`TranscriptionFailed`); one whose
    transcript lasts longer than allowed is :class:`AudioTooLong`. Calls are kept in ``calls``
    as ``(audio, language hint)``.
    """

    def __init__(self) -> None:
        self.heard: dict[bytes, Transcript] = {}
        self.calls: list[tuple[bytes, str | None]] = []

    def learn(self, audio: bytes, text: str, language: str = "en", seconds: float = 5.0) -> bytes:
        self.heard[audio] = Transcript(text=text, language=language, avg_logprob=-0.25, seconds=seconds)
        return audio

    async def transcribe(
        self, audio: bytes, *, max_seconds: float, language: str | None = None
    ) -> Transcript:
        self.calls.append((audio, language))
        transcript = self.heard.get(audio)
        if transcript is None:
            raise TranscriptionFailed("not a recording this transcriber knows")
        if transcript.seconds > max_seconds:
            raise AudioTooLong(transcript.seconds, max_seconds)
        return transcript


class MemoryAudioArchive:
    """:class:`core.ports.AudioArchive` in a dict: ``(team, customer) -> {name: audio}``."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], dict[str, bytes]] = {}

    async def keep(self, team: str, customer: str, name: str, audio: bytes) -> None:
        self.files.setdefault((team, customer), {})[name] = audio

    async def discard(self, team: str, customer: str, name: str) -> None:
        self.files.get((team, customer), {}).pop(name, None)

    async def erase(self, customer: str, team: str | None = None) -> int:
        removed = 0
        for key in list(self.files):
            if (team is None or key[0] == team) and key[1] == customer:
                removed += len(self.files.pop(key))
        return removed
