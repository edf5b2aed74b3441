"""Interview scripts: ordered sections of open questions, validated when loaded.

A script is data (YAML in ``prompts/``). This module defines its shape and the structural
rules; the wording rules (no leading, yes/no or hypothetical questions before the pitch)
live in :mod:`core.lint`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import ScriptError
from core.reading import Facet


class SectionKind(StrEnum):
    """What a section of an interview is for, in the order a discovery interview runs."""

    WARMUP = "warmup"
    CONTEXT = "context"
    FRUSTRATION = "frustration"
    SPECIFICS = "specifics"
    WORKAROUND = "workaround"
    IMPACT = "impact"
    PITCH = "pitch"
    REACTION = "reaction"
    WRAPUP = "wrapup"


# Sections whose answers get no follow-up probe unless the script says otherwise: a warm-up or
# wrap-up answer is not probed.
UNPROBED_KINDS = frozenset({SectionKind.WARMUP, SectionKind.WRAPUP})

# Sections that must all come before any pitch: the customer's story before our idea.
STORY_KINDS = frozenset({SectionKind.FRUSTRATION, SectionKind.SPECIFICS, SectionKind.WORKAROUND})


class Question(BaseModel):
    """One open question; ``max_probes`` overrides the script's default follow-up limit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    text: str
    max_probes: int | None = Field(default=None, ge=0, le=5)
    # The facets this question is after: once the interview holds them all, it is not asked
    # as written (its ``followup`` form is asked instead, or it is skipped).
    seeks: tuple[Facet, ...] = ()
    # Asked instead of ``text`` when the customer already told what it seeks; ``{quote}`` is
    # filled with the customer's own words.
    followup: str | None = None
    # Asked when the customer did not understand ``text``.
    rephrase: str | None = None

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question text is empty")
        return value.strip()


class Section(BaseModel):
    """A group of questions of one kind; ``optional`` sections (e.g. the pitch) may be absent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SectionKind
    title: str = ""
    optional: bool = False
    max_probes: int | None = Field(default=None, ge=0, le=5)
    questions: tuple[Question, ...] = Field(min_length=1)


class Script(BaseModel):
    """A whole interview script."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    language: str = Field(default="en", min_length=2, max_length=16)
    title: str = ""
    topic: str = Field(default="", description="What the interview is about, used in the greeting.")
    max_probes: int = Field(default=2, ge=0, le=5)
    sections: tuple[Section, ...] = Field(min_length=1)

    def questions(self) -> list[tuple[Section, Question]]:
        """Every question in interview order, with its section."""
        return [(section, question) for section in self.sections for question in section.questions]

    def probe_limit(self, index: int) -> int:
        """How many follow-up probes question number ``index`` may get (none by default in a
        warm-up or wrap-up section)."""
        section, question = self.questions()[index]
        for limit in (question.max_probes, section.max_probes):
            if limit is not None:
                return limit
        return 0 if section.kind in UNPROBED_KINDS else self.max_probes

    def find(self, question_id: str) -> tuple[int, Section, Question]:
        """The position, section and question with this id; ``KeyError`` if absent."""
        for index, (section, question) in enumerate(self.questions()):
            if question.id == question_id:
                return index, section, question
        raise KeyError(question_id)


def structural_problems(script: Script) -> list[str]:
    """Rules about the order and identity of questions (wording is checked by the lint)."""
    problems: list[str] = []
    kinds = [section.kind for section in script.sections]
    if SectionKind.FRUSTRATION not in kinds:
        problems.append("sections: at least one 'frustration' section is required")
    if SectionKind.PITCH in kinds:
        first_pitch = kinds.index(SectionKind.PITCH)
        late = sorted(
            {kind.value for kind in kinds[first_pitch:] if kind in STORY_KINDS},
        )
        if late:
            problems.append(
                f"sections[{first_pitch}]: the pitch comes before {', '.join(late)}: "
                "ask about their life before pitching your idea"
            )
    seen: set[str] = set()
    for _, question in script.questions():
        if question.id in seen:
            problems.append(f"question '{question.id}': duplicate id")
        seen.add(question.id)
    return problems


def parse_script(data: Any, source: str) -> Script:
    """Validate already-parsed YAML data as a script, raising :class:`ScriptError` on any problem."""
    if not isinstance(data, dict):
        raise ScriptError(source, ["the file must hold a mapping with 'id' and 'sections'"])
    try:
        script = Script.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        # A section whose only question is invalid also fails "at least 1 item": that echo
        # of the real problem would only mislead.
        deeper = [tuple(item["loc"]) for item in errors]
        shown = [
            item
            for item in errors
            if not (
                item["type"] == "too_short"
                and any(
                    len(other) > len(item["loc"]) and other[: len(item["loc"])] == tuple(item["loc"])
                    for other in deeper
                )
            )
        ]
        raise ScriptError(source, [_describe(data, item) for item in shown]) from None
    problems = structural_problems(script)
    if problems:
        raise ScriptError(source, problems)
    return script


def _describe(data: dict[str, Any], item: Any) -> str:
    """Turn a pydantic error into 'question 'q3' text: reason', naming the question id when known."""
    location = list(item["loc"])
    where = ".".join(str(part) for part in location)
    if len(location) >= 4 and location[0] == "sections" and location[2] == "questions":
        try:
            question = data["sections"][location[1]]["questions"][location[3]]
            if isinstance(question, dict) and question.get("id"):
                field = ".".join(str(part) for part in location[4:]) or "question"
                where = f"question '{question['id']}' {field}"
        except (KeyError, IndexError, TypeError):
            pass
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"
