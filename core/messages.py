"""Everything the bot says besides the questions themselves, in one language.

Wording is data: it lives in ``prompts/messages.<lang>.yaml`` and is validated here, so a
missing or misspelt key is an error naming the file and the key, not a crash mid-interview.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ScriptError


class ProbeWording(BaseModel):
    """Follow-up probes, one list of phrasings per rule (the first unused one is chosen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hypothetical: tuple[str, ...] = Field(min_length=1)
    generality: tuple[str, ...] = Field(min_length=1)
    short: tuple[str, ...] = Field(min_length=1)
    pain_action: tuple[str, ...] = Field(min_length=1)
    pain_cost: tuple[str, ...] = Field(min_length=1)


class ProbeVocabulary(BaseModel):
    """Word lists the rule-based follow-up policy matches, per language (regex fragments)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hypothetical: tuple[str, ...] = Field(min_length=1)
    generality: tuple[str, ...] = Field(min_length=1)
    pain: tuple[str, ...] = Field(min_length=1)
    action: tuple[str, ...] = Field(min_length=1, description="words showing they already did something")
    cost: tuple[str, ...] = Field(min_length=1, description="words showing they already named a cost")
    short_answer_words: int = Field(default=4, ge=1, le=20)


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
    forgotten_receipt: str = Field(description="{answers} {interviews} {teams} {notes} {posts}")
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
    vocabulary: ProbeVocabulary
    # Chat-platform extras; defaults keep catalogues that predate them valid.
    command_descriptions: dict[str, str] = Field(
        default_factory=dict, description="command name -> its line in a chat app's command menu"
    )
    stories_usage: str = "Usage: /stories TEXT, e.g. /stories exports take forever"
    stories_none: str = "No similar stories yet."

    def invite_problem(self, reason: str) -> str:
        """The polite refusal for an invite that is ``unknown``, ``expired`` or ``used``."""
        return {"expired": self.invite_expired, "used": self.invite_used}.get(reason, self.invite_unknown)

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
