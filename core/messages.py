"""Everything the bot says besides the questions themselves, in one language.

Wording is data: it lives in ``prompts/messages.<lang>.yaml`` and is validated here, so a
missing or misspelt key is an error naming the file and the key, not a crash mid-interview.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ScriptError


class ProbeWording(BaseModel):
    """Follow-up probes, one list of phrasings per kind (the first not yet asked is chosen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A generality or a hypothetical: ask for one specific time.
    generality: tuple[str, ...] = Field(min_length=1)
    hypothetical: tuple[str, ...] = Field(min_length=1)
    # What a story leaves out: what they did, what it cost.
    pain_action: tuple[str, ...] = Field(min_length=1)
    pain_cost: tuple[str, ...] = Field(min_length=1)
    short: tuple[str, ...] = Field(min_length=1)  # a minimal answer: say more
    facts: tuple[str, ...] = Field(min_length=1)  # an opinion: the facts behind it


class Topic(BaseModel):
    """Something customers ask the interviewer, recognised by its words, and our answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    words: tuple[str, ...] = Field(min_length=1, description="regex fragments, matched case-blind")
    answer: str
    # The answer is itself a question (the price one): asked instead of repeating ours.
    asks: bool = False


class AsideWording(BaseModel):
    """What the bot says when an answer is not an answer: a question, off topic, a refusal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rephrase: str = Field(description="said before the question again when the script has no rephrase")
    redirect: tuple[str, ...] = Field(min_length=1)
    declined: str
    topics: tuple[Topic, ...] = ()


class VoiceWording(BaseModel):
    """What the bot says about voice notes (``{placeholders}`` are filled by core.voice)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heard: str = Field(description="what a voice note was heard to say: {text}")
    keep: str = Field(description="the button that keeps it as the answer")
    again: str = Field(description="the button that drops it, to type the answer instead")
    retype: str = Field(description="said after that button")
    too_long: str = Field(description="a note over the limit, refused before listening: {minutes}")
    failed: str = Field(description="a note that could not be fetched or listened to")
    empty: str = Field(description="a note with no words in it")
    expired: str = Field(description="a button of a transcript that no longer waits")
    other_media: str = Field(description="a sticker, photo or file, when voice notes are heard")


class RecapWording(BaseModel):
    """The recap shown before the thanks: what the interview heard, for the customer to confirm
    or correct (``{points}``: the customer's own sentences, joined by ``joiner``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heard: str = Field(description="the recap and the question whether it is right: {points}")
    joiner: str = Field(description="between two of the customer's sentences")
    right: str = Field(description="the button: the recap is right")
    wrong: str = Field(description="the button: something is wrong")
    ask_correction: str = Field(description="asked after 'wrong': what should it say")
    corrected: str = Field(description="thanks for a correction, before the closing thanks")


class Messages(BaseModel):
    """All user-facing wording of one language. ``{placeholders}`` are filled by the core."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    greeting: str
    consent: str
    consent_yes: str
    consent_no: str
    yes_words: tuple[str, ...] = Field(min_length=1)
    no_words: tuple[str, ...] = Field(min_length=1)
    consent_unclear: str
    declined: str
    not_started: str
    empty_answer: str
    paused: str
    resumed: str
    skipped: str
    stopped: str
    forget_confirm: str
    forget_cancelled: str
    forgotten: str
    forgotten_receipt: str = Field(
        description="{teams} {interviews} {answers} {stories} {recordings} {notes} {posts}"
    )
    answer_too_long: str = Field(description="an answer over the limit, refused whole: {limit}")
    answer_cut: str = Field(description="parts beyond one merged answer, not kept: {limit} {parts}")
    finished: str
    already_finished: str
    referral: str
    try_again_later: str
    unsupported_message: str
    help: str
    invite_unknown: str
    invite_expired: str
    invite_used: str
    probes: ProbeWording
    asides: AsideWording
    # Regex fragments that make a probe (any policy's) an ask for one specific time.
    specific_time: tuple[str, ...] = Field(min_length=1)
    referral_thanks: str
    voice: VoiceWording
    # Catalogues that predate the recap stay valid: without it the interview ends with the thanks.
    recap: RecapWording | None = None
    referral_code: str = Field(description="the referral invite where no link can be made: {token}")
    language_name: str  # this catalogue's language, in itself ("español")
    language_offer: str  # in this language: shall we go on in it?
    language_switched: str
    language_kept: str  # in this language: we go on in it
    # Chat-platform extras; defaults keep catalogues that predate them valid.
    command_descriptions: dict[str, str] = Field(
        default_factory=dict, description="command name -> its line in a chat app's command menu"
    )
    stories_usage: str = "Usage: /stories TEXT, e.g. /stories exports take forever"
    stories_none: str = "No similar stories yet."
    stories_bad_filter: str = "I couldn't read {filter}. Filters: section:, since:, lang:, evidence:, facet:."
    # A story's evidence kind (its act as read) in search results; other acts show nothing.
    evidence_kinds: dict[str, str] = Field(default_factory=dict)

    def invite_problem(self, reason: str) -> str:
        """The polite refusal for an invite that is ``unknown``, ``expired`` or ``used``."""
        return {"expired": self.invite_expired, "used": self.invite_used}.get(reason, self.invite_unknown)

    @cached_property
    def _specific_time(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(" + "|".join(self.specific_time) + r")", re.IGNORECASE)

    def asks_specific_time(self, text: str) -> bool:
        """Whether ``text`` asks for one specific (or the last) time."""
        return self._specific_time.search(text) is not None

    def topic_of(self, text: str) -> Topic | None:
        """The first topic whose words ``text`` contains (a customer's question)."""
        for topic in self.asides.topics:
            if re.search(r"(?<!\w)(" + "|".join(topic.words) + r")", text, re.IGNORECASE):
                return topic
        return None

    def referral_invite(self, token: str, link: str | None) -> str:
        """The line handing out a referral invite: its link, or its code where no link can be made."""
        return self.referral.format(invite_link=link) if link else self.referral_code.format(token=token)

    def is_yes(self, text: str) -> bool | None:
        """True for a yes word, False for a no word, None when the text is neither."""
        word = text.strip().strip(".!").casefold()
        if word in {w.casefold() for w in self.yes_words}:
            return True
        if word in {w.casefold() for w in self.no_words}:
            return False
        return None


def parse_messages(data: Any, source: str) -> Messages:
    """Validate parsed YAML as a message catalogue, raising :class:`ScriptError` naming each key."""
    if not isinstance(data, dict):
        raise ScriptError(source, ["the file must hold a mapping of message keys"])
    try:
        return Messages.model_validate(data)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()]
        raise ScriptError(source, problems) from None
