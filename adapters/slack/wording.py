"""The Slack channel's wording, read from ``prompts/slack.<lang>.yaml`` and validated."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ScriptError
from prompts import read_packaged_yaml


class ScoreWords(BaseModel):
    """How a match word (``close``/``related``/``loose``) reads in a story."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    close: str
    related: str
    loose: str


class DmCommands(BaseModel):
    """Single words that act as interview commands in a DM."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pause: str
    resume: str
    skip: str
    stop: str
    forget: str
    help: str


class LintWords(BaseModel):
    """What ``/earful lint`` answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    usage: str
    ok: str
    header: str
    finding: str
    more: str
    broken: str
    unreadable: str


class SlackWording(BaseModel):
    """Every text the Slack channel writes itself. ``{placeholders}`` are filled by the adapter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    help: str
    unknown_command: str
    something_went_wrong: str
    store_unavailable: str
    not_installed: str
    invite_created: str
    invite_no_username: str
    unknown_script: str
    interview_needs_user: str
    interview_started: str
    interview_already_running: str
    interview_dm_failed: str
    stories_need_text: str
    stories_header: str
    stories_empty: str
    bad_filter: str
    story_context: str
    home_interview_score: str = "  ·  quality {score}/100"
    quality_part: str = "{label}: {detail} ({points}/{weight})"
    quality_parts: dict[str, str] = Field(default_factory=dict)
    summary_referrals: str = "*Who else has it*"
    summary_commitments: str = "*What they offered*"
    summary_correction: str = "*The customer corrected the recap*"
    spoken_mark: str = "🎙 said in a voice note"  # under a quote transcribed from a voice note
    persona_referrals: str = "*Who else has it*"
    persona_commitments: str = "*What they offered*"
    evidence_kinds: dict[str, str] = Field(default_factory=dict)
    score_words: ScoreWords
    lint: LintWords
    whole_interview: str = Field(max_length=75)  # Slack's limit for a button label
    transcript_title: str = Field(max_length=24)  # Slack's limit for a modal title
    transcript_heading: str
    transcript_truncated: str
    transcript_denied: str
    transcript_missing: str
    summary_header: str
    summary_frustrations: str
    summary_workarounds: str
    summary_costs: str
    summary_nothing: str
    summary_thread_intro: str
    # What a summary or transcript message says once its customer was erased and Slack would
    # not let the bot delete it.
    erased_post: str
    mention_help: str
    guests_cannot_search: str
    dm_help: str
    interview_help: str
    home_title: str
    home_counts: str
    home_latest: str
    home_interview: str
    home_no_interviews: str
    home_words: str
    home_no_words: str
    status_words: dict[str, str]
    dm_commands: DmCommands
    stopwords: tuple[str, ...] = Field(min_length=1)
    # Insights (issue 5): quality figures, personas, themes on the App Home tab.
    quality_title: str
    make_persona: str = Field(max_length=75)  # Slack's limit for a button label
    persona_title: str = Field(max_length=24)  # Slack's limit for a modal title
    persona_heading: str
    persona_role: str
    persona_goals: str
    persona_frustrations: str
    persona_workaround: str
    persona_cost: str
    persona_words: str
    persona_not_said: str
    persona_denied: str
    persona_missing: str
    home_themes: str
    home_theme: str
    home_themes_waiting: str
    home_themes_computing: str
    home_themes_none: str

    def score(self, match: str) -> str:
        """The word shown for a match of kind ``match``."""
        return str(getattr(self.score_words, match, match))


def parse_wording(data: object, source: str) -> SlackWording:
    """Validate parsed YAML; :class:`ScriptError` names the file and every bad key."""
    if not isinstance(data, dict):
        raise ScriptError(source, ["the file must hold a mapping of message keys"])
    try:
        return SlackWording.model_validate(data)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()]
        raise ScriptError(source, problems) from None


@cache
def load_wording(language: str = "en") -> SlackWording:
    """The packaged wording of ``language`` (English when there is none)."""
    for candidate in (language, "en"):
        name = f"slack.{candidate}.yaml"
        try:
            data = read_packaged_yaml(name)
        except FileNotFoundError:
            continue
        return parse_wording(data, f"prompts/{name}")
    raise ScriptError("prompts/slack.en.yaml", ["the Slack wording file is missing"])
