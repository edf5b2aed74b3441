"""The values that flow through the core: interview state, events, replies, answers, stories."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.reading import Facet, Reading


class Status(StrEnum):
    """Where an interview stands."""

    INVITED = "invited"  # created, not started
    CONSENT = "consent"  # greeted, waiting for yes/no
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    DECLINED = "declined"
    ERASED = "erased"


# The question id under which the customer's answer to the end-of-interview recap is stored.
RECAP_QUESTION = "recap"
OPEN_STATUSES = frozenset({Status.INVITED, Status.CONSENT, Status.ACTIVE, Status.PAUSED})


class InterviewState(BaseModel):
    """Everything the engine needs to continue an interview; stored by the SessionStore."""

    model_config = ConfigDict(frozen=True)

    interview_id: str
    team: str
    customer: str  # the customer's id on its channel (or the name typed in the terminal)
    channel: str
    # How the customer is shown: set by the service under the installation's secret
    # (core.pseudonyms); never used to select what to erase.
    pseudonym: str = ""
    script_id: str
    language: str = "en"
    status: Status = Status.INVITED
    position: int = 0  # index of the current question in script order
    probe_kinds: tuple[str, ...] = ()  # kinds of the probes asked for the current question
    # "recap": the customer is asked whether the recap is right; "correction": what was wrong.
    awaiting: Literal["question", "probe", "recap", "correction"] = "question"
    pending_probe_text: str | None = None
    forget_requested: bool = False
    invite_token: str | None = None
    origin: dict[str, str] = Field(default_factory=dict)  # where to report back, e.g. a Slack channel
    turn: int = 0  # increases with every stored answer; orders answers within an interview
    probes_offered: int = 0  # probes asked over the whole interview (for the quality figures)
    started_at: datetime | None = None
    updated_at: datetime | None = None
    # What the interview already holds, from the readings of the answers so far.
    facets: tuple[Facet, ...] = ()  # every facet some answer carried, in Facet order
    quotes: dict[Facet, str] = Field(default_factory=dict)  # the first sentence carrying each
    quoted: tuple[str, ...] = ()  # sentences already quoted back in a followup, never twice
    # The wording the current question was asked in, when not its text (a followup, a rephrase).
    question_text: str | None = None
    asides: tuple[str, ...] = ()  # answers, rephrases, redirects given for the current question
    last_ask_specific: bool = False  # the last thing asked wanted one specific time
    probe_texts: tuple[str, ...] = ()  # every probe asked in this interview, never asked twice
    commitments: tuple[str, ...] = ()  # the customer's offers of time, money, data or introductions
    referrals: int = 0  # referral invites handed out during the interview
    # Answers in a language other than the interview's, in a row, and offers made of it.
    foreign_language: str | None = None
    foreign_answers: int = 0
    language_offer: str | None = None  # the language offered, while waiting for the choice
    languages_offered: tuple[str, ...] = ()

    def holds(self, facet: Facet) -> bool:
        return facet in self.facets

    @property
    def probes_asked(self) -> int:
        return len(self.probe_kinds)

    @property
    def last_probe(self) -> str | None:
        return self.probe_kinds[-1] if self.probe_kinds else None


# --- events ---------------------------------------------------------------------------


class Start(BaseModel):
    """The customer opened the interview (invite link, ``earful chat``, a Slack DM)."""

    kind: Literal["start"] = "start"


class Consent(BaseModel):
    """The customer's answer to the consent question."""

    kind: Literal["consent"] = "consent"
    given: bool


class Voice(BaseModel):
    """How a spoken answer was transcribed (absent for typed answers)."""

    model_config = ConfigDict(frozen=True)

    language: str | None = None  # the language the transcriber detected, ISO 639-1
    avg_logprob: float | None = None  # the transcription's mean token log-probability
    seconds: float | None = None  # length of the recording
    audio: str | None = None  # the recording's file name, when audio is kept (EARFUL_KEEP_AUDIO)


class Answer(BaseModel):
    """Free text from the customer (typed, or transcribed from a voice note: ``voice``)."""

    kind: Literal["answer"] = "answer"
    text: str
    voice: Voice | None = None


class Pause(BaseModel):
    kind: Literal["pause"] = "pause"


class Resume(BaseModel):
    kind: Literal["resume"] = "resume"


class Skip(BaseModel):
    kind: Literal["skip"] = "skip"


class Stop(BaseModel):
    kind: Literal["stop"] = "stop"


class SwitchLanguage(BaseModel):
    """The customer's answer to the offer to go on in another language."""

    kind: Literal["language"] = "language"
    accept: bool


class Forget(BaseModel):
    """Erase everything this customer said. A plain request asks to confirm; ``confirmed``
    erases; ``cancelled`` withdraws a pending request (the "No" button)."""

    kind: Literal["forget"] = "forget"
    confirmed: bool = False
    cancelled: bool = False


class RecapCheck(BaseModel):
    """The customer's verdict on the recap at the end of the interview (its buttons)."""

    kind: Literal["recap"] = "recap"
    right: bool


Event = Start | Consent | Answer | Pause | Resume | Skip | Stop | Forget | SwitchLanguage | RecapCheck


# --- replies ---------------------------------------------------------------------------


class ReplyKind(StrEnum):
    GREETING = "greeting"
    CONSENT = "consent"
    QUESTION = "question"
    PROBE = "probe"
    INFO = "info"
    CONFIRM_FORGET = "confirm_forget"
    LANGUAGE = "language"  # the offer to go on in another language (with choices)
    REFERRAL = "referral"  # thanks for a referral; channels add the invite link
    HEARD = "heard"  # what a voice note was heard to say, with buttons to keep it or type again
    RECAP = "recap"  # what the interview heard, for the customer to confirm or correct (with choices)
    DONE = "done"


class Choice(BaseModel):
    """A button a channel may render; sending ``event`` has the same effect as typing ``label``."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: str


class Reply(BaseModel):
    """Something the bot says; channels render ``choices`` as buttons where they can."""

    model_config = ConfigDict(frozen=True)

    kind: ReplyKind
    text: str
    question_id: str | None = None
    choices: tuple[Choice, ...] = ()
    invite: str | None = None  # a referral reply's invite token, turned into a link by the channel


# --- what gets stored ---------------------------------------------------------------------


class AnswerRecord(BaseModel):
    """One answer as typed, the system-of-record row behind a story."""

    model_config = ConfigDict(frozen=True)

    id: str
    interview_id: str
    team: str
    customer: str
    pseudonym: str
    channel: str
    question_id: str
    question: str
    section: str
    text: str
    probe: str | None = None  # the probe kind this answers, None for the main question
    language: str = "en"
    turn: int
    created_at: datetime
    label: str | None = None  # only for imported evaluation data
    reading: Reading | None = None  # what the answer says, as read when it was given
    # Said in a voice note and kept by the customer as transcribed; ``voice`` says how it was heard.
    spoken: bool = False
    voice: Voice | None = None


class Story(BaseModel):
    """An answer as indexed for search: redacted text plus the metadata a search filters on."""

    model_config = ConfigDict(frozen=True)

    id: str
    team: str
    interview_id: str
    customer: str  # pseudonym, never the raw identity
    question_id: str
    question: str
    section: str
    language: str
    channel: str
    created_at: datetime
    text: str
    label: str | None = None
    # The evidence ledger: the answer's act and facets as read (absent for unread answers).
    act: str | None = None
    facets: tuple[str, ...] = ()
    spoken: bool = False  # transcribed from a voice note (typed otherwise)


class StoryHit(BaseModel):
    """A search result: the story, its cosine similarity and a word a person can read."""

    model_config = ConfigDict(frozen=True)

    story: Story
    score: float = Field(description="cosine similarity, 1.0 is identical")
    match: str = Field(description="close / related / loose")


class MessagePart(BaseModel):
    """One channel message an answer was assembled from (a long answer typed as several).

    Committed with the answer's turn: its delivery counts as handled, and an edit of the
    message (named by ``key``) can later amend the answer."""

    model_config = ConfigDict(frozen=True)

    delivery_key: str  # the platform delivery that brought it (see :class:`core.service.Inbound`)
    key: str  # the message's own key on its channel
    text: str
